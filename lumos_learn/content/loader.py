"""courses/ -> Library. Every problem in every file is collected in one pass, with its path and line."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .assignment import compare_assignments, parse_assignment
from .banks import read_bank
from .course_yml import LANGUAGE, SLUG, read_course_yml
from .gift import parse_gift_bank
from .job_aids import load_job_aids
from .markdown import LinkContext, render_body
from .model import Course, Library, Module, ModuleText, Quiz, frozen_mapping
from .module_file import read_module_file
from .problems import CourseValidationError, Problem, ProblemLog
from .translation_sources import source_hash
from .translations import compare_quizzes

# Markdown files in a course folder that are not modules: the learner-facing change log of the course.
COURSE_NOTES = frozenset({"CHANGES.md"})
_MODULE_FILE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]*)\.([a-z]{2,3})\.md$")
_HTML_ID = re.compile(r'\bid="([^"]+)"')


def check_courses(root: Path) -> list[Problem]:
    """Every problem in the courses under `root`, sorted by path and line; [] when all is well."""
    return _load(Path(root))[1]


def load_library(root: Path) -> Library:
    """The valid library, or CourseValidationError listing every problem."""
    library, problems = _load(Path(root))
    if problems:
        raise CourseValidationError(problems)
    return library


def _load(root: Path) -> tuple[Library, list[Problem]]:
    problems: list[Problem] = []
    courses = []
    if not root.is_dir():
        return Library(()), [Problem(str(root), 0, "courses folder not found")]
    # folders starting with . or _ are drafts or tooling, not courses
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        course = _load_course(folder, problems)
        if course is not None:
            courses.append(course)
    problems.sort()
    return Library(tuple(sorted(courses, key=lambda c: c.slug))), problems


@dataclass
class _ModuleFile:
    number: int
    slug: str
    lang: str
    path: Path


def _load_course(folder: Path, problems: list[Problem]) -> Course | None:
    before = len(problems)
    yml = folder / "course.yml"
    if not yml.is_file():
        problems.append(Problem(str(folder), 0, "not a course: course.yml is missing"))
        return None
    yml_log = ProblemLog(str(yml), problems)
    settings = read_course_yml(_read_text(yml, yml_log) or "", folder.name, yml_log)
    if settings is None:
        return None
    v = settings.values
    source, languages, module_slugs = v.get("source_language"), v.get("languages"), v.get("modules")
    if not (source and languages and module_slugs):
        return None
    files = _module_files(folder, problems, yml_log, settings, languages)
    context = LinkContext(folder.name, {slug: i + 1 for i, slug in enumerate(module_slugs)}, folder / "media")
    modules, file_langs = [], {}
    for position, slug in enumerate(module_slugs):
        versions = {}
        by_lang = {f.lang: f for f in files if f.slug == slug}
        if source not in by_lang:
            continue
        for lang in [source] + [lang for lang in languages if lang != source and lang in by_lang]:
            if lang != source and source not in versions:
                break  # translations are checked against a source that loaded
            text = _load_module_text(by_lang[lang], context, problems, versions.get(source), source)
            if text is not None:
                versions[lang] = text
                file_langs[text.path] = (slug, lang)
        if source in versions:
            modules.append(Module(slug, position + 1, position, source, frozen_mapping(versions)))
    _check_question_ids(modules, problems)
    _check_assignments(modules, v, settings.key_lines, yml_log)
    if len(modules) == len(module_slugs):
        _check_hours(modules, v, settings.key_lines, yml_log)
    _check_anchors(context, modules, file_langs, problems)
    job_aids = load_job_aids(folder, context, module_slugs, source, languages, problems)
    if len(problems) > before:
        return None
    return Course(
        slug=v["slug"],
        version=v["version"],
        source_language=source,
        languages=languages,
        title=v["title"],
        summary=v["summary"],
        audience=v["audience"],
        hours=v["hours"],
        pass_mark=v["pass_mark"],
        max_attempts=v["max_attempts"],
        attempt_policy=v["attempt_policy"],
        certificate=v["certificate"],
        completion=v["completion"],
        modules=tuple(modules),
        confidence=tuple(v["confidence"]),
        path=str(folder),
        attempt_wait_hours=v["attempt_wait_hours"],
        review_practice=v["review"]["practice"],
        review_graded=v["review"]["graded"],
        assessment=v["assessment"],
        job_aids=job_aids,
    )


def _read_text(path: Path, log: ProblemLog, data: bytes | None = None) -> str | None:
    try:
        data = path.read_bytes() if data is None else data
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        log.add(line, "not UTF-8 text: save the file as UTF-8")
    return None


def _module_files(folder, problems, yml_log, settings, languages) -> list[_ModuleFile]:
    """Module files by name; checks names, numbering, languages and that every listed module exists."""
    positions = {slug: i + 1 for i, slug in enumerate(settings.values["modules"])}
    source = settings.values["source_language"]
    files = []
    for path in sorted(folder.glob("*.md")):
        if path.name in COURSE_NOTES:
            continue
        match = _MODULE_FILE.match(path.name)
        if not match:
            problems.append(Problem(str(path), 0, "not a module file name: NN-<module-slug>.<lang>.md"))
            continue
        number, slug, lang = int(match.group(1)), match.group(2), match.group(3)
        if slug not in positions:
            problems.append(Problem(str(path), 0, f"module '{slug}' is not listed under modules: in course.yml"))
            continue
        if number != positions[slug]:
            problems.append(
                Problem(
                    str(path),
                    0,
                    f"module '{slug}' is number {positions[slug]:02d} in "
                    f"course.yml: rename the file to {positions[slug]:02d}-{slug}.{lang}.md",
                )
            )
            continue
        if lang not in languages:
            problems.append(Problem(str(path), 0, f"language '{lang}' is not in the course languages"))
            continue
        files.append(_ModuleFile(number, slug, lang, path))
    present = {f.slug for f in files if f.lang == source}
    for slug, position in positions.items():
        if slug not in present:
            yml_log.add(settings.module_lines[slug], f"module '{slug}' has no file {position:02d}-{slug}.{source}.md")
    return files


def _load_module_text(
    file: _ModuleFile, context, problems, source_text: ModuleText | None, source_lang: str
) -> ModuleText | None:
    log = ProblemLog(str(file.path), problems)
    before = len(problems)
    data = file.path.read_bytes()
    text = _read_text(file.path, log, data)
    if text is None:
        return None
    module = read_module_file(text, log)
    html, toc = render_body(module.body, context, log, module.body_first_line)
    questions, categories, quiz_start, group = [], [], len(problems), ""
    for first_line, block in module.quiz_blocks:
        found, started = parse_gift_bank(block, log, first_line, context=context, group=group)
        questions += found
        categories += started
        group = started[-1].id if started else group  # a group goes on into the next ```quiz block
    quiz_broken = len(problems) > quiz_start
    quiz = Quiz(tuple(questions)) if module.quiz_blocks else None
    bank = read_bank(module, questions, categories, log, source_text, source_lang, quiz_broken)
    assignment = None
    for number, (first_line, block) in enumerate(module.assignment_blocks):
        if number:
            log.add(first_line - 1, "a module holds at most one ```assignment block")
        else:
            assignment = parse_assignment(block, first_line, log, context)
    graded = module.graded
    if source_text is None and module.source_hash is not None:
        log.add(module.source_hash_line, "source_hash: belongs in translations only, not in a source-language file")
    if source_text is not None:  # a translation
        if graded is not None and graded != source_text.graded:
            log.add(module.graded_line, f"graded: must be the same as in the {source_lang} source")
        graded = source_text.graded
        quiz_line = module.quiz_blocks[0][0] - 1 if module.quiz_blocks else 1  # the ```quiz line
        compare_quizzes(source_text.quiz, quiz, source_lang, log, quiz_line)
        for question in questions:
            for check, _reason, line in question.exemptions:
                log.add(line, f"exempt {check}: exemptions go in the {source_lang} source file, before the question")
        if not module.assignment_blocks or assignment is not None:
            compare_assignments(source_text.assignment, assignment, source_lang, log, 1)
    elif graded and not quiz_broken and (quiz is None or not quiz.graded_questions):
        log.add(module.graded_line, "a graded module needs a ```quiz with at least one question that is not an essay")
    if len(problems) > before:
        return None
    return ModuleText(
        lang=file.lang,
        title=module.title,
        minutes=module.minutes,
        objectives=module.objectives,
        graded=bool(graded),
        html=html,
        toc=toc,
        quiz=quiz,
        path=str(file.path),
        content_hash=hashlib.sha256(data).hexdigest(),
        draw=bank.draw,
        groups=bank.groups,
        critical=bank.critical,
        review=bank.review,
        draw_line=bank.draw_line,
        assignment=assignment,
        source_hash=source_hash(data),
        translated_from=module.source_hash,
    )


def _check_question_ids(modules: list[Module], problems: list[Problem]) -> None:
    seen: dict[str, tuple[str, int]] = {}
    for module in modules:
        quiz = module.quiz
        if quiz is None:
            continue
        path = module.versions[module.source_language].path
        for q in quiz.questions:
            if q.id in seen:
                where = seen[q.id]
                problems.append(Problem(path, q.line, f"question id '{q.id}' is already used at {where[0]}:{where[1]}"))
            else:
                seen[q.id] = (path, q.line)


def _check_assignments(modules: list[Module], values: dict, key_lines: dict[str, int], yml_log) -> None:
    """Assignment ids are unique in a course; the course's completion and assessment rules can be met."""
    seen: dict[str, str] = {}
    for module in modules:
        assignment = module.assignment
        if assignment is None:
            continue
        path = module.versions[module.source_language].path
        log = yml_log.for_file(path)
        if assignment.id in seen:
            log.add(assignment.line, f"assignment id '{assignment.id}' is already used in {seen[assignment.id]}")
        seen[assignment.id] = path
        # Every course may have self-assessing learners (assessment: self, or outside any trainer's group with
        # no assessor named): they compare their work with the model answer.
        for text in module.versions.values():
            if not text.assignment.model_answer_html:
                yml_log.for_file(text.path).add(
                    text.assignment.line,
                    "the assignment needs a model_answer: self-assessing learners compare their work with it",
                )
    if values.get("completion") == "read-all-pass-graded-and-assignments" and not seen:
        yml_log.add(key_lines.get("completion", 1), "completion counts assignments, but no module has an ```assignment")


def study_hours(minutes: int) -> float:
    """The hours a course states for modules taking `minutes` (source language): to the nearest half hour."""
    return round(minutes / 30) / 2


def _check_hours(modules: list[Module], values: dict, key_lines: dict[str, int], yml_log) -> None:
    """The certificate prints `hours`: it must be what the modules' minutes add up to."""
    hours = values.get("hours")
    if not isinstance(hours, (int, float)) or isinstance(hours, bool):
        return
    minutes = sum(m.versions[m.source_language].minutes for m in modules)
    expected = study_hours(minutes)
    if float(hours) != expected:
        unit = "hour" if expected == 1 else "hours"
        yml_log.add(
            key_lines.get("hours", 1),
            f"hours: {hours:g} but the modules take {minutes} minutes, i.e. {expected:g} {unit}"
            " (the sum of the modules' minutes / 60, to the nearest half hour)",
        )


def _check_anchors(context: LinkContext, modules: list[Module], file_langs, problems) -> None:
    """Links to NN-slug.md#anchor must name a heading or footnote that exists in the linked module."""
    by_slug = {m.slug: m for m in modules}
    for path, slug, anchor, line in context.module_links:
        target = by_slug.get(slug)
        if not anchor or target is None or path not in file_langs:
            continue
        html = target.text(file_langs[path][1]).html
        if anchor not in _HTML_ID.findall(html):
            problems.append(Problem(path, line, f"module '{slug}' has no heading with the anchor #{anchor}"))


__all__ = ["LANGUAGE", "SLUG", "check_courses", "load_library"]
