"""The course library as immutable values: built once by the loader, shared read-only by every request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

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


@dataclass(frozen=True)
class ModuleText:
    """A module in one language: its front matter, rendered body and quiz."""

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

    @property
    def graded(self) -> bool:
        return self.versions[self.source_language].graded

    @property
    def quiz(self) -> Quiz | None:
        """The source-language quiz (ids and structure are the same in every language)."""
        return self.versions[self.source_language].quiz


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
