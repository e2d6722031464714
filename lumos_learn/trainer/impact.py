"""The impact report: the numbers a funder asks for, over a date range.

Who counts: enrolments made between `start` and `end` (inclusive) in the reader's scope (a trainer's
cohorts; everything for an admin). Their completion is counted whenever it happened, so a report for
last spring says how many of the people who started then have finished by now.

Figures per group: people, completed, completion rate, average final score (the best score on the
course's last graded quiz, over those who completed), median days from enrolment to completion,
certificates issued (not revoked). One query fetches a row per enrolment; the grouping is Python,
because medians are not portable SQL.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, case, exists, func, literal, select, true

from ..content import Course
from ..extensions import db
from ..models import Certificate, Enrolment, QuizAttempt, User

DIMENSIONS = ("course", "country", "organisation", "role")


class EnrolmentFacts(NamedTuple):
    """One enrolment's row (a tuple: made 50,000 times for a country's report, where a frozen dataclass's
    __init__ was a third of the time spent in Python)."""

    user_id: int
    course_slug: str
    country: str
    organisation: str
    role: str
    completed: bool
    days_to_complete: float | None
    final_score: float | None
    certified: bool


@dataclass(frozen=True)
class Figures:
    key: str
    people: int
    completed: int
    completion_rate: float | None
    average_final_score: float | None
    median_days: float | None
    certificates: int


@dataclass(frozen=True)
class ImpactReport:
    start: date | None
    end: date | None
    total: Figures
    breakdowns: dict[str, list[Figures]]


def figures(key: str, facts: list[EnrolmentFacts]) -> Figures:
    completed = [f for f in facts if f.completed]
    scores = [f.final_score for f in completed if f.final_score is not None]
    days = [max(f.days_to_complete, 0.0) for f in completed if f.days_to_complete is not None]
    people = len({f.user_id for f in facts})
    return Figures(
        key=key,
        people=people,
        completed=len(completed),
        completion_rate=len(completed) / len(facts) if facts else None,
        average_final_score=sum(scores) / len(scores) if scores else None,
        median_days=statistics.median(days) if days else None,
        certificates=sum(1 for f in facts if f.certified),
    )


def summarise(facts: Iterable[EnrolmentFacts], start: date | None = None, end: date | None = None) -> ImpactReport:
    facts = list(facts)
    keys: dict[str, Callable[[EnrolmentFacts], str]] = {
        "course": lambda f: f.course_slug,
        "country": lambda f: f.country,
        "organisation": lambda f: f.organisation,
        "role": lambda f: f.role,
    }
    breakdowns = {}
    for dimension, key_of in keys.items():
        groups: dict[str, list[EnrolmentFacts]] = defaultdict(list)
        for fact in facts:
            groups[key_of(fact)].append(fact)
        breakdowns[dimension] = sorted((figures(k, g) for k, g in groups.items()), key=lambda f: (-f.people, f.key))
    return ImpactReport(start, end, figures("", facts), breakdowns)


def _final_modules(courses: Iterable[Course]) -> dict[str, str]:
    return {c.slug: c.graded_modules[-1].slug for c in courses if c.graded_modules}


def load_facts(
    scope: ColumnElement[bool],
    courses: Iterable[Course],
    start: date | None,
    end: date | None,
    course_slug: str | None = None,
) -> list[EnrolmentFacts]:
    """One row per enrolment in scope and range (one query)."""
    finals = _final_modules(courses)
    final_module = case(finals, value=Enrolment.course_slug, else_=literal("")) if finals else literal("")
    final_score = (
        select(func.max(QuizAttempt.percent))
        .where(
            QuizAttempt.enrolment_id == Enrolment.id,
            QuizAttempt.module_slug == final_module,
            QuizAttempt.submitted_at.is_not(None),
        )
        .scalar_subquery()
    )
    certified = exists().where(Certificate.enrolment_id == Enrolment.id, Certificate.revoked_at.is_(None))
    statement = (
        select(
            Enrolment.user_id,
            Enrolment.course_slug,
            User.country,
            User.organisation,
            User.professional_role,
            Enrolment.completed_at.is_not(None),
            _days_between(Enrolment.enrolled_at, Enrolment.completed_at),
            case((Enrolment.completed_at.is_not(None), final_score), else_=None),
            certified,
        )
        .join(User, User.id == Enrolment.user_id)
        .where(scope, _in_range(start, end))
    )
    if course_slug:
        statement = statement.where(Enrolment.course_slug == course_slug)
    rows = db.session.connection().execute(statement)  # plain rows: no ORM result handling for 50,000 of them
    return [EnrolmentFacts(*row[:5], bool(row[5]), row[6], row[7], bool(row[8])) for row in rows]


def _days_between(start, end) -> ColumnElement[float]:
    """Days from `start` to `end` computed by the database: parsing two datetimes per row in Python
    was most of the report's time at 50,000 enrolments."""
    if db.engine.dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return func.extract("epoch", end - start) / 86400.0


def _in_range(start: date | None, end: date | None) -> ColumnElement[bool]:
    conditions = []
    if start:
        conditions.append(Enrolment.enrolled_at >= datetime.combine(start, time.min, UTC))
    if end:
        conditions.append(Enrolment.enrolled_at < datetime.combine(end + timedelta(days=1), time.min, UTC))
    return conditions[0] & conditions[1] if len(conditions) == 2 else (conditions[0] if conditions else true())


def impact_report(
    scope: ColumnElement[bool],
    courses: Iterable[Course],
    start: date | None,
    end: date | None,
    course_slug: str | None = None,
) -> ImpactReport:
    courses = list(courses)
    return summarise(load_facts(scope, courses, start, end, course_slug), start, end)
