"""Question banks: a module's `draw`, `groups` and `critical` front matter checked against its quiz.

The quiz's `$CATEGORY: <group-id>` lines and the front matter's `groups:` must name the same groups in the same
order; a draw can never ask for more questions than there are; a critical flag must name a graded question.
A translation follows its source: it repeats the groups (with objectives in its language) and may repeat
`draw`, `critical` and `review`, which must then be the source's. Every problem names its file line.
"""

from __future__ import annotations

from dataclasses import dataclass

from .gift import Category
from .model import ModuleText, Question, QuestionGroup
from .module_file import ModuleSource
from .problems import ProblemLog


@dataclass(frozen=True)
class BankRules:
    draw: int | None
    draw_line: int
    groups: tuple[QuestionGroup, ...]
    critical: frozenset[str]
    review: str | None


def read_bank(
    module: ModuleSource,
    questions: list[Question],
    categories: list[Category],
    log: ProblemLog,
    source: ModuleText | None,
    source_lang: str,
    quiz_broken: bool,
) -> BankRules:
    """The bank rules of one module file (a translation's are its source's), problems reported to `log`."""
    _check_categories(questions, categories, log, quiz_broken)
    if not module.quiz_blocks:
        for written, line, key in (
            (module.draw is not None, module.draw_line, "draw"),
            (module.groups_line > 1, module.groups_line, "groups"),
            (module.critical is not None, module.critical_line, "critical"),
        ):
            if written:
                log.add(line, f"{key}: this module has no ```quiz to draw from")
    if source is not None:
        return _translation_rules(module, source, source_lang, categories, log)
    groups = _check_groups(module, questions, categories, log)
    draw = module.draw
    graded = [q for q in questions if q.graded]
    if draw is not None and groups:
        log.add(module.draw_line, "draw: is for a quiz without groups: give each group its own draw under groups:")
        draw = None
    if draw is not None and module.quiz_blocks and not quiz_broken and draw > len(graded):
        log.add(
            module.draw_line,
            f"draw: {draw} is more than the {len(graded)} questions of the quiz (reflections are not counted)",
        )
    critical = _check_critical(module, questions, log)
    return BankRules(draw, module.draw_line, groups, critical, module.review)


def _check_categories(questions, categories, log, quiz_broken) -> None:
    if not categories:
        return
    started: dict[str, int] = {}
    for category in categories:
        if category.id in started:
            log.add(
                category.line,
                f"group '{category.id}' already started at line {started[category.id]}: keep a group's questions "
                "together under one $CATEGORY line",
            )
        else:
            started.setdefault(category.id, category.line)
    for question in questions:
        if not question.group:
            log.add(
                question.line,
                f"question '{question.id}' comes before the first $CATEGORY line: in a quiz with groups every "
                "question belongs to one",
            )
    if not quiz_broken:
        filled = {q.group for q in questions}
        for category in categories:
            if category.id not in filled and started.get(category.id) == category.line:
                log.add(category.line, f"group '{category.id}' has no questions")


def _category_order(categories: list[Category]) -> list[Category]:
    seen, order = set(), []
    for category in categories:
        if category.id not in seen:
            seen.add(category.id)
            order.append(category)
    return order


def _check_groups(module: ModuleSource, questions, categories, log) -> tuple[QuestionGroup, ...]:
    written = module.groups_line > 1
    order = _category_order(categories)
    if order and not written:
        log.add(
            order[0].line,
            "the quiz has $CATEGORY groups: list each one under groups: in the front matter (id, objective, draw)",
        )
        return ()
    if written and not order and module.quiz_blocks:
        log.add(module.groups_line, "groups: the quiz has no $CATEGORY: <group-id> lines to start its groups")
        return ()
    if module.groups is None:  # written but unreadable: already reported
        return ()
    if not _same_groups(module, order, log):
        return ()
    counts = {g.id: sum(1 for q in questions if q.group == g.id and q.graded) for g in module.groups}
    for group in module.groups:
        if group.draw > counts[group.id]:
            log.add(
                group.line,
                f"group '{group.id}' draws {group.draw} but has {counts[group.id]} questions "
                "(reflections are not counted)",
            )
    return tuple(QuestionGroup(g.id, g.objective, g.draw, g.critical, g.line) for g in module.groups)


def _same_groups(module: ModuleSource, order: list[Category], log) -> bool:
    listed = [g.id for g in module.groups]
    in_quiz = [c.id for c in order]
    ok = True
    for group in module.groups:
        if group.id not in in_quiz:
            ok = False
            log.add(group.line, f"group '{group.id}' has no '$CATEGORY: {group.id}' line in the quiz")
    for category in order:
        if category.id not in listed:
            ok = False
            log.add(category.line, f"group '{category.id}' is not listed under groups: in the front matter")
    if ok and listed != in_quiz:
        ok = False
        log.add(module.groups_line, f"groups: list the groups in the order of the quiz: {', '.join(in_quiz)}")
    return ok


def _check_critical(module: ModuleSource, questions, log) -> frozenset[str]:
    if module.critical is None:
        return frozenset()
    by_id = {q.id: q for q in questions}
    ok = True
    for qid in module.critical:
        question = by_id.get(qid)
        if question is None:
            ok = False
            log.add(module.critical_line, f"critical: '{qid}' is not a question of this module's quiz")
        elif not question.graded:
            ok = False
            log.add(module.critical_line, f"critical: '{qid}' is a reflection, which is not graded")
    return frozenset(module.critical) if ok else frozenset()


def _translation_rules(module: ModuleSource, source: ModuleText, source_lang: str, categories, log) -> BankRules:
    if module.draw is not None and module.draw != source.draw:
        log.add(module.draw_line, f"draw must be the same as in the {source_lang} source ({source.draw or 'none'})")
    if module.critical is not None and frozenset(module.critical) != source.critical:
        log.add(module.critical_line, f"critical must list the same questions as the {source_lang} source")
    if module.review is not None and module.review != source.review:
        log.add(module.review_line, f"review must be the same as in the {source_lang} source")
    written = module.groups_line > 1
    if source.groups and not written:
        log.add(
            1,
            f"front matter is missing groups: repeat the {source_lang} source's groups, with the objectives "
            "written in this language",
        )
        return BankRules(source.draw, source.draw_line, source.groups, source.critical, source.review)
    if written and not source.groups:
        log.add(module.groups_line, f"groups: the {source_lang} source has no groups")
    groups = source.groups
    if written and module.groups is not None and source.groups:
        expected = [(g.id, g.draw, g.critical) for g in source.groups]
        mine = [(g.id, g.draw, g.critical) for g in module.groups]
        if mine != expected:
            line = next(
                (g.line for g, e in zip(module.groups, expected, strict=False) if (g.id, g.draw, g.critical) != e),
                module.groups_line,
            )
            log.add(
                line,
                f"groups must have the same ids, draws and critical flags, in the same order, as the {source_lang} "
                "source: only the objectives are translated",
            )
        else:
            groups = tuple(
                QuestionGroup(g.id, mine.objective, g.draw, g.critical, mine.line)
                for g, mine in zip(source.groups, module.groups, strict=True)
            )
    return BankRules(source.draw, source.draw_line, groups, source.critical, source.review)
