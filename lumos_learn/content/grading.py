"""Scoring an attempt: a pure function of the quiz, the learner's responses and the pass mark.

Each graded question is worth one point, scored 0..1; essays (reflections) are recorded but not scored.
Response values are those produced by `parse_responses`. A must-pass (critical) question not answered fully
right fails the attempt whatever the total.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import ModuleText, Question, Quiz


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    score: float
    correct: bool
    feedback_html: tuple[str, ...]
    general_feedback_html: str
    answered: bool


@dataclass(frozen=True)
class AttemptResult:
    results: tuple[QuestionResult, ...]
    score: float
    max_score: float
    percent: float
    passed: bool
    failed_critical: tuple[str, ...] = ()  # must-pass questions not answered fully right: the attempt fails

    def result(self, question_id: str) -> QuestionResult | None:
        return next((r for r in self.results if r.question_id == question_id), None)


# Quotes and end punctuation a learner may type around an answer ("OSPOD." or „SAP”).
_SURROUNDING = " \t\n.,;:!?\"'«»„“”‘’()[]"
# Digits grouped in thousands: "10,000", "1.250.000", "10 000" (spaces removed before matching).
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,.'])\d{3}(\1\d{3})*$")


def normalise_short_answer(text: str) -> str:
    """Case, surrounding punctuation, repeated spaces and Unicode composition do not matter in short answers."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip(_SURROUNDING).casefold()


def parse_number(text: str) -> float | None:
    """A number as people type it: '3.5' and '3,5' (decimal comma) -> 3.5; '10,000', '10.000', '10 000'
    and "10'000" (thousands separators) -> 10000; '1,234.5' and '1.234,5' -> 1234.5. None if not a number."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if _THOUSANDS.match(cleaned):
        cleaned = re.sub(r"[,.']", "", cleaned)
    elif "," in cleaned and "." in cleaned:
        # Both marks: the last one is the decimal separator, the other groups thousands.
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _score(question: Question, response) -> tuple[float, tuple[str, ...]]:
    """(score 0..1, feedback of the chosen answers)."""
    answers = question.answers
    kind = question.type
    if kind in ("multichoice", "multianswer", "truefalse"):
        if kind == "truefalse":
            chosen = [0 if response else 1]
        else:
            chosen = [response] if kind == "multichoice" else sorted(response)
        score = sum(answers[i].fraction for i in chosen)
        return min(1.0, max(0.0, score)), tuple(answers[i].feedback_html for i in chosen if answers[i].feedback_html)
    if kind == "shortanswer":
        given = normalise_short_answer(response)
        matched = [a for a in answers if normalise_short_answer(a.text) == given]
    elif kind == "numerical":
        number = parse_number(response)
        matched = [] if number is None else [a for a in answers if a.accepts_number(number)]
    elif kind == "matching":
        choices = question.match_choices
        pairs = question.pairs
        right = sum(1 for i, a in pairs if i in response and choices[response[i]] == a.match)
        return right / len(pairs), ()
    else:
        return 0.0, ()
    best = max(matched, key=lambda a: a.fraction, default=None)
    if best is None:
        return 0.0, ()
    return max(0.0, best.fraction), ((best.feedback_html,) if best.feedback_html else ())


def grade_attempt(
    quiz: Quiz, responses: dict, pass_mark: int | float, critical: frozenset[str] = frozenset()
) -> AttemptResult:
    """Score every question; unanswered questions score 0. `passed` when percent >= pass_mark and every
    question of `quiz` listed in `critical` is fully right."""
    results = []
    total = maximum = 0.0
    for question in quiz.questions:
        response = responses.get(question.id)
        answered = response is not None and response != "" and response != frozenset() and response != {}
        if not question.graded:
            results.append(QuestionResult(question.id, 0.0, False, (), question.general_feedback_html, answered))
            continue
        score, feedback = _score(question, response) if answered else (0.0, ())
        total += score
        maximum += 1.0
        results.append(
            QuestionResult(question.id, score, score >= 0.9999, feedback, question.general_feedback_html, answered)
        )
    # a quiz of reflections only has nothing to fail
    percent = 100.0 * total / maximum if maximum else 100.0
    failed = tuple(r.question_id for r in results if r.question_id in critical and not r.correct)
    return AttemptResult(tuple(results), total, maximum, percent, percent + 1e-9 >= pass_mark and not failed, failed)


def missed_groups(text: ModuleText, result: AttemptResult) -> tuple[str, ...]:
    """Ids of the groups (objectives) with a graded question of the attempt not fully right, in quiz order."""
    wrong = {r.question_id for r in result.results if not r.correct}
    by_id = {q.id: q for q in text.quiz.questions} if text.quiz else {}
    missed = {by_id[qid].group for qid in wrong if qid in by_id and by_id[qid].graded and by_id[qid].group}
    return tuple(g.id for g in text.groups if g.id in missed)
