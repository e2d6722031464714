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


def _response_key(response: object) -> str:
    """A response as JSON text, the form the database stores it in (so responses from both count together)."""
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


def analyse_items(records: Iterable[AnswerRecord]) -> list[ItemStats]:
    """Statistics per question, in the order questions were first seen."""
    return analyse_answers(
        (
            r.learner,
            r.quiz,
            r.question_id,
            r.correct,
            r.score,
            None if r.correct else _response_key(r.response),
            r.language,
        )
        for r in records
    )


# One answer as plain values, the shape the database returns it in: (learner, quiz, question id, correct, score,
# the response as JSON text when the answer is wrong (None when right), content language).
AnswerRow = tuple[Hashable, str, str, object, float, str | None, str]


class _Question:
    """One question's answers as they stream in, kept as plain ints and strings (no object per answer, which the
    garbage collector would have to walk): the answering learner's index and correct bit as learner * 2 + correct,
    the content language, and the wrong responses already counted."""

    __slots__ = ("codes", "correct", "languages", "quiz", "wrong")

    def __init__(self, quiz: str) -> None:
        self.quiz = quiz
        self.codes: list[int] = []
        self.languages: list[str] = []
        self.correct = 0
        self.wrong: Counter[str] = Counter()


def analyse_answers(rows: Iterable[AnswerRow]) -> list[ItemStats]:
    """analyse_items over plain tuples, read once. A cohort's report reads tens of thousands of answers; building a
    record per answer and ranking the learners again by their totals for every question and language was most of
    its time. Here each quiz's learners are ranked once (by total score, then str(learner), as discrimination_index
    does), and a question's answers become integers, rank * 2 + correct, which sort in C and keep the correct bit."""
    questions: dict[str, _Question] = {}
    learners: dict[Hashable, int] = {}
    totals: dict[str, dict[int, float]] = defaultdict(dict)
    for learner, quiz, question_id, ok, score, response, language in rows:
        question = questions.get(question_id)
        if question is None:
            question = questions[question_id] = _Question(quiz)
        index = learners.get(learner)
        if index is None:
            index = learners[learner] = len(learners)
        if ok:
            question.codes.append(index * 2 + 1)
            question.correct += 1
        else:
            question.codes.append(index * 2)
            question.wrong[response] += 1
        question.languages.append(language)
        # a question belongs to one quiz of a course: its learners are ranked by their total on that quiz
        quiz_totals = totals[question.quiz]
        quiz_totals[index] = quiz_totals.get(index, 0.0) + score
    names = [str(learner) for learner in learners]
    ranks: dict[str, dict[int, int]] = {}
    for quiz, quiz_totals in totals.items():
        ranked = sorted(quiz_totals, key=lambda index, t=quiz_totals: (t[index], names[index]))
        ranks[quiz] = {index: position for position, index in enumerate(ranked)}
    return [_item_stats(question_id, question, ranks[question.quiz]) for question_id, question in questions.items()]


def _upper_minus_lower(encoded: list[int]) -> float | None:
    """The upper-lower index from a question's answers encoded as rank * 2 + correct (one per learner)."""
    if len(encoded) < MIN_LEARNERS_FOR_DISCRIMINATION:
        return None
    encoded.sort()
    size = max(1, math.floor(len(encoded) * UPPER_LOWER_SHARE + 0.5))
    p_upper = sum(code & 1 for code in encoded[-size:]) / size
    p_lower = sum(code & 1 for code in encoded[:size]) / size
    return p_upper - p_lower


def _item_stats(question_id: str, question: _Question, ranks: dict[int, int]) -> ItemStats:
    n = len(question.codes)
    by_language: dict[str, list[int]] = defaultdict(list)
    for code, language in zip(question.codes, question.languages, strict=True):
        by_language[language].append(ranks[code >> 1] * 2 + (code & 1))
    p = question.correct / n
    discrimination = _upper_minus_lower([code for codes in by_language.values() for code in codes])
    wrong = question.wrong
    most_common_wrong, wrong_count = (
        (json.loads(wrong.most_common(1)[0][0]), wrong.most_common(1)[0][1]) if wrong else (None, 0)
    )
    languages = tuple(
        LanguageFigures(lang, len(codes), sum(code & 1 for code in codes) / len(codes), _upper_minus_lower(codes))
        for lang, codes in sorted(by_language.items())
    )
    return ItemStats(
        question_id,
        question.quiz,
        n,
        p,
        discrimination,
        most_common_wrong,
        wrong_count,
        languages,
        _flags(n, p, discrimination, languages),
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
