"""A module's ```assignment block -> an Assignment with its rubric; every problem at its file line.

The block is YAML (see courses/README.md, "Assignments"):

    ```assignment
    id: mealtime-plan
    title: A mealtime plan for Maria
    words: 80-400
    attachments: true
    pass_level: meets
    task: |
      Markdown...
    case: |
      Markdown...
    model_answer: |
      Markdown (shown after submission when the course is self-assessed)
    criteria:
      - id: positioning
        title: Positioning
        essential: true
        levels:
          - {id: not-yet, title: Not yet, points: 0, descriptor: "..."}
          - {id: meets, title: Meets, points: 2, descriptor: "..."}
    ```

The pass rule: every essential criterion marked at a level worth at least its `pass_level` level. Ids, points
and essential flags are the contract that marks are stored against: a translation changes only the words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

from . import yaml_nodes
from .markdown import LinkContext, render_fragment
from .problems import ProblemLog

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_WORDS = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
KEYS = ("id", "title", "words", "attachments", "pass_level", "task", "case", "model_answer", "criteria")
CRITERION_KEYS = ("id", "title", "essential", "levels")
LEVEL_KEYS = ("id", "title", "points", "descriptor")
# What a learner may attach when the assignment allows files (checked by content, see assignments/files.py).
MAX_FILES = 3
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RubricLevel:
    id: str
    title: str
    points: int
    descriptor_html: str


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    essential: bool
    levels: tuple[RubricLevel, ...]
    line: int = field(default=0, compare=False)

    def level(self, level_id: str) -> RubricLevel | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    @property
    def max_points(self) -> int:
        return max(lv.points for lv in self.levels)


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    task_html: str
    case_html: str
    model_answer_html: str
    min_words: int
    max_words: int
    attachments: bool
    pass_level: str
    criteria: tuple[Criterion, ...]
    line: int = field(default=0, compare=False)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria)

    def missing_criteria(self, levels: Mapping[str, str]) -> tuple[str, ...]:
        """Criteria without a valid level in `levels` (criterion id -> level id)."""
        return tuple(c.id for c in self.criteria if c.level(levels.get(c.id, "")) is None)

    def points(self, levels: Mapping[str, str]) -> int:
        total = 0
        for c in self.criteria:
            level = c.level(levels.get(c.id, ""))
            total += level.points if level else 0
        return total

    def meets_pass_rule(self, levels: Mapping[str, str]) -> bool:
        """Every essential criterion at least at its `pass_level` level (all levels must be given)."""
        if self.missing_criteria(levels):
            return False
        for c in self.criteria:
            if c.essential and c.level(levels[c.id]).points < c.level(self.pass_level).points:
                return False
        return True


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits (hyphenated and apostrophe words are one)."""
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def parse_assignment(
    text: str, first_line: int, log: ProblemLog, context: LinkContext | None = None
) -> Assignment | None:
    """The block's YAML (its first line is file line `first_line`) -> Assignment, or None with problems logged."""
    before = len(log.problems)
    root = yaml_nodes.compose(text, log, first_line)
    block_line = first_line - 1  # the ```assignment line
    if root is None:
        if len(log.problems) == before:
            log.add(block_line, "the assignment block is empty")
        return None
    fields = {}
    for key, line, node in yaml_nodes.mapping_items(root, log, first_line, "assignment"):
        if key not in KEYS:
            log.add(line, f"assignment: unknown key '{key}' (allowed: {', '.join(KEYS)})")
        else:
            fields[key] = (line, node)
    for key in ("id", "title", "words", "task", "pass_level", "criteria"):
        if key not in fields and isinstance(root, yaml.MappingNode):
            log.add(block_line, f"assignment: missing '{key}:'")

    def text_of(key: str, markdown: bool = False) -> str:
        if key not in fields:
            return ""
        line, node = fields[key]
        value = yaml_nodes.value(node)
        if not isinstance(value, str) or not value.strip():
            log.add(line, f"assignment: {key} must be text")
            return ""
        # A `|` block starts on the next line: report Markdown problems from there.
        return render_fragment(value.strip(), "markdown", context, log, line + 1) if markdown else value.strip()

    assignment_id = text_of("id")
    if assignment_id and not ID.match(assignment_id):
        log.add(fields["id"][0], "assignment: id must be lower-case letters, digits and -")
    min_words, max_words = _words(fields.get("words"), log)
    attachments = False
    if "attachments" in fields:
        attachments = yaml_nodes.value(fields["attachments"][1])
        if not isinstance(attachments, bool):
            log.add(fields["attachments"][0], "assignment: attachments must be true or false")
            attachments = False
    pass_level = text_of("pass_level")
    criteria = _criteria(fields.get("criteria"), first_line, log, context)
    _check_pass_level(pass_level, fields.get("pass_level"), criteria, log)
    result = Assignment(
        id=assignment_id,
        title=text_of("title"),
        task_html=text_of("task", markdown=True),
        case_html=text_of("case", markdown=True),
        model_answer_html=text_of("model_answer", markdown=True),
        min_words=min_words,
        max_words=max_words,
        attachments=attachments,
        pass_level=pass_level,
        criteria=criteria,
        line=block_line,
    )
    return None if len(log.problems) > before else result


def _words(entry, log: ProblemLog) -> tuple[int, int]:
    if entry is None:
        return 0, 0
    line, node = entry
    match = _WORDS.match(str(yaml_nodes.value(node)))
    if not match or int(match.group(1)) > int(match.group(2)) or int(match.group(2)) == 0:
        log.add(line, "assignment: words must be a range such as 80-400 (fewest-most, most above 0)")
        return 0, 0
    return int(match.group(1)), int(match.group(2))


def _criteria(entry, first_line: int, log: ProblemLog, context) -> tuple[Criterion, ...]:
    if entry is None:
        return ()
    line, node = entry
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        log.add(line, "assignment: criteria must be a list, each with id, title, essential and levels")
        return ()
    criteria, seen = [], set()
    for item in node.value:
        criterion = _criterion(item, first_line, log, context)
        if criterion is None:
            continue
        if criterion.id in seen:
            log.add(criterion.line, f"criterion id '{criterion.id}' is used twice")
            continue
        seen.add(criterion.id)
        criteria.append(criterion)
    if criteria and not any(c.essential for c in criteria):
        log.add(line, "assignment: mark at least one criterion essential: true (the pass rule applies to those)")
    return tuple(criteria)


def _criterion(node, first_line: int, log: ProblemLog, context) -> Criterion | None:
    item_line = yaml_nodes.line_of(node, first_line)
    fields = {}
    for key, line, value_node in yaml_nodes.mapping_items(node, log, first_line, "criterion"):
        if key not in CRITERION_KEYS:
            log.add(line, f"criterion: unknown key '{key}' (allowed: {', '.join(CRITERION_KEYS)})")
        else:
            fields[key] = (line, yaml_nodes.value(value_node), value_node)
    if not isinstance(node, yaml.MappingNode):
        return None
    ok = True
    cid = fields.get("id", (0, None))[1]
    if not isinstance(cid, str) or not ID.match(cid):
        log.add(item_line, "criterion needs an id of lower-case letters, digits and -")
        ok = False
    title = fields.get("title", (0, None))[1]
    if not isinstance(title, str) or not title.strip():
        log.add(fields.get("title", (item_line,))[0], "criterion needs a title")
        ok = False
    essential = fields.get("essential", (0, False))[1]
    if not isinstance(essential, bool):
        log.add(fields["essential"][0], "criterion: essential must be true or false")
        ok = False
    levels = _levels(fields.get("levels"), item_line, first_line, log, context)
    if not ok or not levels:
        return None
    return Criterion(cid, title.strip(), essential, levels, item_line)


def _levels(entry, item_line: int, first_line: int, log: ProblemLog, context) -> tuple[RubricLevel, ...]:
    if entry is None or not isinstance(entry[2], yaml.SequenceNode) or len(entry[2].value) < 2:
        log.add(entry[0] if entry else item_line, "criterion: levels must be a list of at least two levels")
        return ()
    levels, ok = [], True
    for level_node in entry[2].value:
        line = yaml_nodes.line_of(level_node, first_line)
        values = {}
        for key, key_line, value_node in yaml_nodes.mapping_items(level_node, log, first_line, "level"):
            if key not in LEVEL_KEYS:
                log.add(key_line, f"level: unknown key '{key}' (allowed: {', '.join(LEVEL_KEYS)})")
            values[key] = yaml_nodes.value(value_node)
        lid, title, points, descriptor = (values.get(k) for k in LEVEL_KEYS)
        if not isinstance(lid, str) or not ID.match(lid):
            log.add(line, "level needs an id of lower-case letters, digits and -")
            ok = False
        elif any(lv.id == lid for lv in levels):
            log.add(line, f"level id '{lid}' is used twice in this criterion")
            ok = False
        if not isinstance(title, str) or not title.strip():
            log.add(line, "level needs a title (what the marker picks, e.g. Meets)")
            ok = False
        if not isinstance(points, int) or isinstance(points, bool) or points < 0:
            log.add(line, "level: points must be a whole number, 0 or more")
            ok = False
        elif levels and points <= levels[-1].points:
            log.add(line, "levels go from the lowest to the highest: points must increase")
            ok = False
        if not isinstance(descriptor, str) or not descriptor.strip():
            log.add(line, "level needs a descriptor: what work at this level looks like")
            ok = False
        if ok:
            html = render_fragment(descriptor.strip(), "markdown", context, log, line)
            levels.append(RubricLevel(lid, title.strip(), points, html))
    return tuple(levels) if ok else ()


def _check_pass_level(pass_level: str, entry, criteria: tuple[Criterion, ...], log: ProblemLog) -> None:
    if not pass_level or entry is None:
        return
    for c in criteria:
        if c.essential and c.level(pass_level) is None:
            log.add(entry[0], f"pass_level '{pass_level}' is not a level of the essential criterion '{c.id}'")


def compare_assignments(
    source: Assignment | None, translation: Assignment | None, source_lang: str, log: ProblemLog, line: int
) -> None:
    """A translation must have the same assignment: ids, words, files, pass rule, criteria, levels and points."""
    if source is None and translation is None:
        return
    if source is None or translation is None:
        where = translation.line if translation else line
        has = "has no assignment" if translation is None else "has an assignment"
        log.add(where, f"this translation {has}, the {source_lang} source {'does' if translation is None else 'not'}")
        return
    rules = ("id", "min_words", "max_words", "attachments", "pass_level")
    for name in rules:
        if getattr(source, name) != getattr(translation, name):
            log.add(translation.line, f"assignment {name} differs from the {source_lang} source")
    source_ids = [c.id for c in source.criteria]
    if [c.id for c in translation.criteria] != source_ids:
        log.add(
            translation.line,
            f"assignment criteria must be the same ids in the same order as the {source_lang} source: "
            + ", ".join(source_ids),
        )
        return
    for original, criterion in zip(source.criteria, translation.criteria, strict=True):
        shape = [(lv.id, lv.points) for lv in original.levels]
        if original.essential != criterion.essential or [(lv.id, lv.points) for lv in criterion.levels] != shape:
            log.add(
                criterion.line,
                f"criterion '{criterion.id}' differs from the {source_lang} source: same essential flag, "
                "level ids and points in every language",
            )
