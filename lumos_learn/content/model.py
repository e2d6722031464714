"""The course library as immutable values: built once by the loader, shared read-only by every request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .assignment import Assignment

QUESTION_TYPES = frozenset({"multichoice", "multianswer", "truefalse", "shortanswer", "numerical", "matching", "essay"})
TEXT_FORMATS = ("markdown", "plain", "html", "moodle")


def frozen_mapping(items: Mapping) -> Mapping:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Answer:
    """One answer of a question. `text`/`feedback` keep the GIFT source so that questions can be written back.

    numerical: either `value` and `tolerance`, or `min` and `max`.
    matching: `text` is the left item (empty for an extra wrong choice), `match` the right-hand text.
    `text_format` is empty when the answer uses its question's format.
    """

    text: str
    text_html: str
    fraction: float
    feedback: str = ""
    feedback_html: str = ""
    value: float | None = None
    tolerance: float | None = None
    min: float | None = None
    max: float | None = None
    match: str | None = None
    text_format: str = ""

    def accepts_number(self, number: float) -> bool:
        """Numerical answers only: whether `number` is within this answer's range."""
        if self.value is not None:
            slack = (self.tolerance or 0.0) + 1e-9 * max(1.0, abs(self.value))
            return abs(number - self.value) <= slack
        if self.min is not None and self.max is not None:
            slack = 1e-9 * max(1.0, abs(self.min), abs(self.max))
            return self.min - slack <= number <= self.max + slack
        return False


@dataclass(frozen=True)
class Question:
    """A quiz question. `line` (where it starts in its file) is not part of equality."""

    id: str
    type: str
    text: str
    text_html: str
    answers: tuple[Answer, ...] = ()
    general_feedback: str = ""
    general_feedback_html: str = ""
    text_format: str = "markdown"
    answer: bool | None = None  # truefalse only
    line: int = field(default=0, compare=False)
    group: str = ""  # the `$CATEGORY` group of a course quiz, "" outside groups
    # quality checks this question may break, with the author's reason: ((check, reason, comment line), ...)
    exemptions: tuple[tuple[str, str, int], ...] = field(default=(), compare=False)

    def exempt_from(self, check: str) -> bool:
        return any(c == check for c, _reason, _line in self.exemptions)

    @property
    def graded(self) -> bool:
        return self.type != "essay"

    @property
    def match_choices(self) -> tuple[str, ...]:
        """Distinct right-hand texts of a matching question, sorted so that their order reveals no pairing."""
        if self.type != "matching":
            return ()
        distinct = {a.match for a in self.answers if a.match is not None}
        return tuple(sorted(distinct, key=lambda t: (t.casefold(), t)))

    @property
    def pairs(self) -> tuple[tuple[int, Answer], ...]:
        """Matching: (answer index, answer) of the left items to be matched (extra wrong choices excluded)."""
        return tuple((i, a) for i, a in enumerate(self.answers) if a.text)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    @property
    def graded_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.graded)

    def subset(self, question_ids) -> Quiz:
        """The quiz an attempt asks: these questions, in this order (ids not in the quiz are left out)."""
        by_id = {q.id: q for q in self.questions}
        return Quiz(tuple(by_id[qid] for qid in question_ids if qid in by_id))


REVIEW_POLICIES = ("full", "score", "after-pass")


@dataclass(frozen=True)
class QuestionGroup:
    """A group of a quiz's questions on one objective: `draw` of them are asked in every attempt."""

    id: str
    objective: str  # in the module's language: what a learner who missed it is told to revisit
    draw: int
    critical: bool = False  # a wrong answer to any drawn question of the group fails the attempt
    line: int = field(default=0, compare=False)  # its `- id:` line in the front matter


@dataclass(frozen=True)
class ModuleText:
    """A module in one language: its front matter, rendered body and quiz.

    `draw` (questions per attempt, without groups), `groups`, `critical` (must-pass question ids) and `review`
    (a review policy overriding the course's) are the same in every language; objectives' words are not.
    """

    lang: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    graded: bool
    html: str
    toc: tuple[tuple[int, str, str], ...]
    quiz: Quiz | None
    path: str
    content_hash: str
    draw: int | None = None
    groups: tuple[QuestionGroup, ...] = ()
    critical: frozenset[str] = frozenset()
    review: str | None = None
    draw_line: int = field(default=0, compare=False)
    # source language: the hash of this file's normalised text; translation: the source hash it was made from
    source_hash: str = ""
    translated_from: str | None = None

    def group(self, group_id: str) -> QuestionGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def critical_ids(self) -> frozenset[str]:
        """Every must-pass question: listed one by one, or in a critical group."""
        critical_groups = {g.id for g in self.groups if g.critical}
        in_groups = {q.id for q in self.quiz.questions if q.group in critical_groups} if self.quiz else set()
        return frozenset(self.critical) | frozenset(in_groups)

    assignment: Assignment | None = None


@dataclass(frozen=True)
class Module:
    slug: str
    number: int
    position: int
    source_language: str
    versions: Mapping[str, ModuleText]

    def text(self, lang: str) -> ModuleText:
        """The module in `lang`, or in the source language when not translated (check `.lang`)."""
        return self.versions.get(lang) or self.versions[self.source_language]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.versions)

    def out_of_date(self, lang: str) -> bool:
        """True if the `lang` translation was not recorded as made from the source as it is now."""
        text = self.versions.get(lang)
        if text is None or lang == self.source_language:
            return False
        current = self.versions[self.source_language].source_hash
        return not (text.translated_from and current.startswith(text.translated_from))

    @property
    def graded(self) -> bool:
        return self.versions[self.source_language].graded

    @property
    def quiz(self) -> Quiz | None:
        """The source-language quiz (ids and structure are the same in every language)."""
        return self.versions[self.source_language].quiz

    @property
    def assignment(self) -> Assignment | None:
        """The source-language assignment (ids, points and rules are the same in every language)."""
        return self.versions[self.source_language].assignment


@dataclass(frozen=True)
class ConfidenceStatement:
    id: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class Course:
    slug: str
    version: str
    source_language: str
    languages: tuple[str, ...]
    title: Mapping[str, str]
    summary: Mapping[str, str]
    audience: Mapping[str, str]
    hours: float | int
    pass_mark: int
    max_attempts: int
    attempt_policy: str
    certificate: bool
    completion: str
    modules: tuple[Module, ...]
    confidence: tuple[ConfidenceStatement, ...]
    path: str = ""
    attempt_wait_hours: int = 0
    review_practice: str = "full"
    review_graded: str = "after-pass"
    # Who marks assignments: "trainer" (cohort trainers or course assessors) or "self" (the learner, against the
    # rubric, with the model answer shown after submitting).
    assessment: str = "trainer"
    job_aids: tuple = ()  # JobAid values (content/job_aids.py), in file-name order

    def text(self, field_name: str, lang: str) -> tuple[str, str]:
        """(value, language used) of title/summary/audience, falling back to the source language."""
        values: Mapping[str, str] = getattr(self, field_name)
        if lang in values:
            return values[lang], lang
        return values[self.source_language], self.source_language

    def module(self, slug: str) -> Module | None:
        for m in self.modules:
            if m.slug == slug:
                return m
        return None

    @property
    def graded_modules(self) -> tuple[Module, ...]:
        return tuple(m for m in self.modules if m.graded)

    @property
    def assignment_modules(self) -> tuple[Module, ...]:
        return tuple(m for m in self.modules if m.assignment is not None)

    @property
    def assignments_count_for_completion(self) -> bool:
        return self.completion == "read-all-pass-graded-and-assignments"

    @property
    def has_assessed_assignment(self) -> bool:
        """Whether the course counts a trainer-marked assignment: what certificates issued before each one stored who
        assessed it (certificates.assignment_marking) say; newer ones say what the learner's reviews show."""
        return self.assignments_count_for_completion and self.assessment == "trainer" and bool(self.assignment_modules)

    @property
    def question_ids(self) -> frozenset[str]:
        return frozenset(q.id for m in self.modules if m.quiz for q in m.quiz.questions)


@dataclass(frozen=True)
class Library:
    courses: tuple[Course, ...]

    def get(self, slug: str) -> Course | None:
        for c in self.courses:
            if c.slug == slug:
                return c
        return None
