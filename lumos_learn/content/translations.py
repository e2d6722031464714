"""Translations must ask the same questions: same ids, order, types and answer structure as the source.

Only the words may differ (and short-answer accepted answers, which are per language), so that attempts and
item statistics are comparable across languages.
"""

from __future__ import annotations

from .model import Question, Quiz
from .problems import ProblemLog


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def compare_quizzes(
    source: Quiz | None, translation: Quiz | None, source_lang: str, log: ProblemLog, quiz_line: int
) -> None:
    """Report at the translation's lines how its quiz differs from the source-language quiz."""
    source_questions = source.questions if source else ()
    translated = translation.questions if translation else ()
    for index in range(max(len(source_questions), len(translated))):
        if index >= len(translated):
            missing = ", ".join(q.id for q in source_questions[index:])
            log.add(quiz_line, f"questions missing from this translation (in the {source_lang} source): {missing}")
            return
        question = translated[index]
        if index >= len(source_questions):
            log.add(question.line, f"question '{question.id}' is not in the {source_lang} source")
            continue
        original = source_questions[index]
        if question.id != original.id:
            log.add(
                question.line,
                f"question {index + 1} is '{original.id}' in the {source_lang} source, "
                f"'{question.id}' here: same questions in the same order",
            )
            continue
        difference = _structure_difference(original, question)
        if difference:
            log.add(question.line, f"question '{question.id}' differs from the {source_lang} source: {difference}")


def _structure_difference(original: Question, question: Question) -> str | None:
    if original.group != question.group:
        return f"in group '{question.group or '(none)'}' here, '{original.group or '(none)'}' in the source"
    if original.type != question.type:
        return f"type {question.type} here, {original.type} in the source"
    if question.type == "shortanswer":
        return None
    if question.type == "truefalse":
        return None if original.answer == question.answer else "true/false answer differs"
    if len(original.answers) != len(question.answers):
        what = "pairs/choices" if question.type == "matching" else "answers"
        return f"{len(question.answers)} {what} here, {len(original.answers)} in the source"
    for number, (a, b) in enumerate(zip(original.answers, question.answers, strict=False), start=1):
        if not _close(a.fraction, b.fraction):
            return f"answer {number} has another right/wrong mark or weight"
        if question.type == "matching" and bool(a.text) != bool(b.text):
            return f"answer {number}: a pair in one language is an extra choice in the other"
        if question.type == "numerical" and not all(
            _close(getattr(a, f), getattr(b, f)) for f in ("value", "tolerance", "min", "max")
        ):
            return f"answer {number} has other numbers"
    return None
