"""Quiz item analysis: is each question doing its job? Plain Python, no Flask, no database.

For every question, over learners' FIRST submitted attempt at its quiz:
- `p_correct`: the share who answered it correctly (classical difficulty index);
- `discrimination`: the upper-lower index D = p(upper 27%) - p(lower 27%), the groups formed by the
  learners' total score on that same quiz attempt (Kelley's 27%). D runs from -1 to 1; a good item is
  above about 0.2, a negative one is answered better by weak learners than by strong ones, which
  usually means a wrong key or a misleading wording. Ties at the group boundary are broken by
  learner order, so D is computed only from MIN_LEARNERS_FOR_DISCRIMINATION learners up.
- the most chosen wrong response;
- facility and discrimination per content language (discrimination ranks the learners of that language
  among themselves), since the same question much harder in one language usually has a translation
  defect: an item is flagged when its facility differs by more than LANGUAGE_GAP between two languages
  that each have MIN_ANSWERS_PER_LANGUAGE answers (fewer would flag chance).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

UPPER_LOWER_SHARE = 0.27
MIN_LEARNERS_FOR_DISCRIMINATION = 10
MIN_ANSWERS_FOR_FLAGS = 5
TOO_HARD_BELOW = 0.2
LANGUAGE_GAP = 0.2  # more than 20 points of facility between two languages
MIN_ANSWERS_PER_LANGUAGE = 30

FLAG_TOO_HARD = "too_hard"
FLAG_NEGATIVE = "negative_discrimination"
FLAG_LANGUAGE_GAP = "language_gap"


@dataclass(frozen=True)
class AnswerRecord:
    """One learner's answer to one question on their first attempt at the quiz."""

    learner: Hashable
    quiz: str
    question_id: str
    correct: bool
    score: float  # 0..1
    response: object
    language: str


@dataclass(frozen=True)
class LanguageFigures:
    language: str
    answers: int
    p_correct: float  # facility in this language
    discrimination: float | None = None  # among the learners who read the quiz in this language


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    quiz: str
    answers: int
    p_correct: float
    discrimination: float | None
    most_common_wrong: object  # the response as stored; None when nobody was wrong
    most_common_wrong_count: int
    by_language: tuple[LanguageFigures, ...]
    flags: tuple[str, ...]

    @property
    def hardest_language(self) -> LanguageFigures | None:
        return min(self.by_language, key=lambda f: f.p_correct) if len(self.by_language) > 1 else None


def first_attempts(rows: Iterable[tuple[Hashable, str, Hashable, object]]) -> set[Hashable]:
    """Attempt ids that are each learner's first at each quiz, from (learner, quiz, attempt, submitted_at)."""
    first: dict[tuple[Hashable, str], tuple[object, Hashable]] = {}
    for learner, quiz, attempt, submitted_at in rows:
        key = (learner, quiz)
        if key not in first or (submitted_at, attempt) < first[key]:
            first[key] = (submitted_at, attempt)
    return {attempt for _when, attempt in first.values()}


def discrimination_index(item_correct: dict[Hashable, bool], totals: dict[Hashable, float]) -> float | None:
    """Upper-lower 27% index for one item: learners ranked by total score on the quiz."""
    learners = [learner for learner in totals if learner in item_correct]
    if len(learners) < MIN_LEARNERS_FOR_DISCRIMINATION:
        return None
    ranked = sorted(learners, key=lambda learner: (totals[learner], str(learner)))
    size = max(1, math.floor(len(ranked) * UPPER_LOWER_SHARE + 0.5))
    lower, upper = ranked[:size], ranked[-size:]
    p_upper = sum(item_correct[learner] for learner in upper) / size
    p_lower = sum(item_correct[learner] for learner in lower) / size
    return p_upper - p_lower


class EncodedResponse(str):
    """A response still in the JSON text the database stores it as: counted as it is, decoded only if it is the
    most common wrong one (decoding every answer of a large cohort was a third of the item report's time)."""


def _response_key(response: object) -> str:
    if isinstance(response, EncodedResponse):
        return response
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


def analyse_items(records: Iterable[AnswerRecord]) -> list[ItemStats]:
    """Statistics per question, in the order questions were first seen."""
    by_question: dict[str, list[AnswerRecord]] = defaultdict(list)
    totals: dict[str, dict[Hashable, float]] = defaultdict(lambda: defaultdict(float))
    for record in records:
        by_question[record.question_id].append(record)
        totals[record.quiz][record.learner] += record.score
    return [_item_stats(question_id, answers, totals[answers[0].quiz]) for question_id, answers in by_question.items()]


def _item_stats(question_id: str, answers: list[AnswerRecord], totals: dict[Hashable, float]) -> ItemStats:
    n = len(answers)
    p = sum(a.correct for a in answers) / n
    discrimination = discrimination_index({a.learner: a.correct for a in answers}, totals)
    wrong = Counter(_response_key(a.response) for a in answers if not a.correct)
    most_common_wrong, wrong_count = (
        (json.loads(wrong.most_common(1)[0][0]), wrong.most_common(1)[0][1]) if wrong else (None, 0)
    )
    by_language = _by_language(answers, totals)
    return ItemStats(
        question_id,
        answers[0].quiz,
        n,
        p,
        discrimination,
        most_common_wrong,
        wrong_count,
        by_language,
        _flags(n, p, discrimination, by_language),
    )


def _by_language(answers: list[AnswerRecord], totals: dict[Hashable, float]) -> tuple[LanguageFigures, ...]:
    groups: dict[str, list[AnswerRecord]] = defaultdict(list)
    for a in answers:
        groups[a.language].append(a)
    return tuple(
        LanguageFigures(
            lang,
            len(records),
            sum(r.correct for r in records) / len(records),
            discrimination_index({r.learner: r.correct for r in records}, totals),
        )
        for lang, records in sorted(groups.items())
    )


def _flags(n: int, p: float, discrimination: float | None, by_language: tuple[LanguageFigures, ...]) -> tuple[str, ...]:
    flags = []
    if n >= MIN_ANSWERS_FOR_FLAGS and p < TOO_HARD_BELOW:
        flags.append(FLAG_TOO_HARD)
    if discrimination is not None and discrimination < 0:
        flags.append(FLAG_NEGATIVE)
    comparable = [f for f in by_language if f.answers >= MIN_ANSWERS_PER_LANGUAGE]
    if (
        len(comparable) > 1
        and max(f.p_correct for f in comparable) - min(f.p_correct for f in comparable) > LANGUAGE_GAP + 1e-9
    ):
        flags.append(FLAG_LANGUAGE_GAP)
    return tuple(flags)
