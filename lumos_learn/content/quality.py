"""Quiz-quality checks: can a test-wise guesser who never opened a lesson pass? Run by `flask courses check`.

Each finding is a Problem at a question's `path:line` (or at the front matter line of a bank), named by its
check. A question that is right to break a rule carries `// exempt <check>: <reason>` before it, in the
source-language file: it is then left out of that check's count. These checks do not stop the site from
starting (load_library ignores them): they guard the quality of what authors write, and CI runs them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from html import unescape

from .model import Course, Library, Module, ModuleText, Question
from .problems import Problem
from .quality_checks import BANK_SIZE, KEY_POSITION, LONGEST_KEY, REPEATS_MODULE, TRANSLATION_KEY, TRUEFALSE_BALANCE

LONGEST_KEY_MAX_SHARE = 1 / 3
TRUE_SHARE = (0.35, 0.65)
POSITION_SLACK = (1.5, 1.0)  # a position may hold up to 1.5 x its fair share of keys, plus one
_TAG = re.compile(r"<[^>]+>")
_DIGITS = re.compile(r"\d+")


def check_quality(library: Library) -> list[Problem]:
    """Every quality problem of every course, sorted by path and line."""
    problems: list[Problem] = []
    for course in library.courses:
        problems += course_quality(course)
    return sorted(problems)


def course_quality(course: Course, exempt: dict[str, frozenset[str]] | None = None) -> list[Problem]:
    """The quality problems of one course; `exempt` (question id -> checks) replaces the files' exemptions."""
    exempt = _exemptions(course) if exempt is None else exempt
    problems: list[Problem] = []
    for lang in course.languages:
        problems += _longest_key(course, lang, exempt)
        problems += _repeats_module(course, lang, exempt)
    problems += _truefalse_balance(course, exempt)
    problems += _key_position(course, exempt)
    problems += _bank_size(course, exempt)
    problems += _translation_key(course, exempt)
    return problems


def _exemptions(course: Course) -> dict[str, frozenset[str]]:
    """question id -> the checks it is exempt from (written in the source-language file)."""
    return {
        q.id: frozenset(check for check, _reason, _line in q.exemptions)
        for module in course.modules
        if module.quiz
        for q in module.quiz.questions
    }


def _texts(course: Course, lang: str) -> Iterator[tuple[Module, ModuleText]]:
    """The module texts written in `lang` (a module shown in the source language does not count twice)."""
    for module in course.modules:
        text = module.versions.get(lang)
        if text is not None and text.quiz is not None:
            yield module, text


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(_TAG.sub("", html))).strip()


def _single_key(question: Question) -> int | None:
    """The keyed option of a single-answer multiple choice question (None if not exactly one)."""
    if question.type != "multichoice":
        return None
    keys = [i for i, a in enumerate(question.answers) if a.fraction >= 0.9999]
    return keys[0] if len(keys) == 1 else None


def _hint(check: str) -> str:
    return f"rewrite it, or write '// exempt {check}: <reason>' on the line before the question"


def _longest_key(course: Course, lang: str, exempt) -> list[Problem]:
    counted, longest = 0, []
    for _module, text in _texts(course, lang):
        for question in text.quiz.questions:
            key = _single_key(question)
            if key is None or LONGEST_KEY in exempt.get(question.id, ()):
                continue
            counted += 1
            lengths = [len(_plain(a.text_html) or a.text) for a in question.answers]
            if all(lengths[key] > n for i, n in enumerate(lengths) if i != key):
                longest.append((text.path, question))
    if not counted or len(longest) <= counted * LONGEST_KEY_MAX_SHARE:
        return []
    return [
        Problem(
            path,
            q.line,
            f"{LONGEST_KEY}: question '{q.id}': the right option is the longest, as in {len(longest)} of {counted} "
            f"single-answer questions of this course in {lang} (at most a third may be): {_hint(LONGEST_KEY)}",
        )
        for path, q in longest
    ]


def _truefalse_balance(course: Course, exempt) -> list[Problem]:
    keyed = [
        (text.path, q)
        for _module, text in _texts(course, course.source_language)
        for q in text.quiz.questions
        if q.type == "truefalse" and TRUEFALSE_BALANCE not in exempt.get(q.id, ())
    ]
    n = len(keyed)
    trues = sum(1 for _path, q in keyed if q.answer)
    low, high = math.floor(TRUE_SHARE[0] * n), math.ceil(TRUE_SHARE[1] * n)
    if low <= trues <= high:
        return []
    majority = trues > high
    word = "true" if majority else "false"
    return [
        Problem(
            path,
            q.line,
            f"{TRUEFALSE_BALANCE}: question '{q.id}' is keyed {word}, as {trues if majority else n - trues} of the "
            f"course's {n} true/false questions are (keep 35-65% true: {low} to {high} of {n}): "
            f"{_hint(TRUEFALSE_BALANCE)}",
        )
        for path, q in keyed
        if bool(q.answer) == majority
    ]


def _key_position(course: Course, exempt) -> list[Problem]:
    keyed = []
    for _module, text in _texts(course, course.source_language):
        for q in text.quiz.questions:
            key = _single_key(q)
            if key is not None and KEY_POSITION not in exempt.get(q.id, ()):
                keyed.append((text.path, q, key))
    problems = []
    most = max((len(q.answers) for _p, q, _k in keyed), default=0)
    for position in range(most):
        expected = sum(1 / len(q.answers) for _p, q, _k in keyed if len(q.answers) > position)
        observed = [(path, q) for path, q, key in keyed if key == position]
        if len(observed) > POSITION_SLACK[0] * expected + POSITION_SLACK[1]:
            problems += [
                Problem(
                    path,
                    q.line,
                    f"{KEY_POSITION}: question '{q.id}': the right option is written in position {position + 1}, as in "
                    f"{len(observed)} of {len(keyed)} single-answer questions of this course (a fair share is "
                    f"about {expected:.0f}; Moodle may show them in this order): {_hint(KEY_POSITION)}",
                )
                for path, q in observed
            ]
    return problems


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _repeats_module(course: Course, lang: str, exempt) -> list[Problem]:
    lessons: dict[str, tuple[str, int]] = {}
    for module, text in _texts(course, lang):
        if not module.graded:
            for q in text.quiz.questions:
                lessons.setdefault(_normal(q.text), (text.path, q.line))
    problems = []
    for module, text in _texts(course, lang):
        if not module.graded:
            continue
        for q in text.quiz.questions:
            where = lessons.get(_normal(q.text))
            if where and REPEATS_MODULE not in exempt.get(q.id, ()):
                problems.append(
                    Problem(
                        text.path,
                        q.line,
                        f"{REPEATS_MODULE}: question '{q.id}' repeats the module question at {where[0]}:{where[1]} "
                        f"word for word, so the final asks what a learner may have learnt by heart: "
                        f"{_hint(REPEATS_MODULE)}",
                    )
                )
    return problems


def _bank_size(course: Course, exempt) -> list[Problem]:
    problems = []
    for module in course.graded_modules:
        text = module.versions[module.source_language]
        if text.quiz is None:
            continue
        graded = text.quiz.graded_questions

        def exempted(questions) -> bool:
            return any(BANK_SIZE in exempt.get(q.id, ()) for q in questions)

        if text.groups:
            for group in text.groups:
                members = [q for q in graded if q.group == group.id]
                if len(members) < 2 * group.draw and not exempted(members):
                    problems.append(
                        Problem(
                            text.path,
                            group.line,
                            f"{BANK_SIZE}: group '{group.id}' holds {len(members)} questions for a draw of "
                            f"{group.draw}: a graded quiz's bank needs at least twice its draw ({2 * group.draw}), "
                            f"or '// exempt {BANK_SIZE}: <reason>' before one of its questions",
                        )
                    )
        elif graded and not exempted(graded):
            draw = text.draw or len(graded)
            if len(graded) < 2 * draw:
                line = text.draw_line if text.draw else graded[0].line
                what = f"a draw of {draw}" if text.draw else f"no draw: every attempt asks all {draw}"
                problems.append(
                    Problem(
                        text.path,
                        line,
                        f"{BANK_SIZE}: the graded quiz holds {len(graded)} questions for {what}, so a retake asks "
                        f"the same paper: hold at least twice the draw, or write '// exempt {BANK_SIZE}: <reason>' "
                        "before one of its questions",
                    )
                )
    return problems


def _numbers(text: str) -> set[str]:
    """The numbers of a text as digit runs ("1 000", "1,000" and "1.000" all give {'1', '000'})."""
    return set(_DIGITS.findall(text))


def _translation_key(course: Course, exempt) -> list[Problem]:
    problems = []
    for module in course.modules:
        source = module.versions[module.source_language]
        if source.quiz is None:
            continue
        for lang, text in module.versions.items():
            if lang == module.source_language or text.quiz is None:
                continue
            for q in text.quiz.questions:
                original = source.quiz.question(q.id)
                if original is None or TRANSLATION_KEY in exempt.get(q.id, ()):
                    continue
                difference = _key_numbers_differ(original, q)
                if difference:
                    problems.append(
                        Problem(
                            text.path,
                            q.line,
                            f"{TRANSLATION_KEY}: question '{q.id}': {difference}: check that the translation kept "
                            f"the key, or write '// exempt {TRANSLATION_KEY}: <reason>' before the question in the "
                            f"{module.source_language} source",
                        )
                    )
    return problems


def _key_numbers_differ(original: Question, translated: Question) -> str | None:
    """A keyed option (or matched pair) of the translation naming a number its source does not.

    Numbers the translation writes in words or Roman numerals ("Grade 1", "clasa I") are not a difference;
    a number that is not in the source's key (90 in English, 45 in Bulgarian) is the fault to catch."""
    pairs = list(zip(original.answers, translated.answers, strict=False))
    if original.type in ("multichoice", "multianswer"):
        for number, (a, b) in enumerate(pairs, start=1):
            extra = _numbers(b.text) - _numbers(a.text)
            if a.fraction > 0 and extra:
                return (
                    f"the right option (answer {number}) names {', '.join(sorted(extra))}, which the source's does not"
                )
    if original.type == "matching":
        for number, (a, b) in enumerate(pairs, start=1):
            extra = _numbers(b.match or "") - _numbers(a.match or "")
            if extra:
                return f"pair {number} is matched to {', '.join(sorted(extra))}, which the source's pair does not name"
    return None
