"""What the trainer reports show of assignments: the state per learner in the grid, assessed work in the impact
report, and each marking (with its marking time) on a learner's page. Each is one query, whatever the numbers."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, select

from ..extensions import db
from ..models import Enrolment, User
from .models import Review, Submission


def assignment_states(enrolment_ids: list[int]) -> dict[int, dict[str, str]]:
    """Enrolment id -> {assignment id: status} (no entry: not started)."""
    if not enrolment_ids:
        return {}
    states: dict[int, dict[str, str]] = {}
    rows = db.session.execute(
        select(Submission.enrolment_id, Submission.assignment_id, Submission.status).where(
            Submission.enrolment_id.in_(enrolment_ids)
        )
    )
    for enrolment_id, assignment_id, status in rows:
        states.setdefault(enrolment_id, {})[assignment_id] = status
    return states


@dataclass(frozen=True)
class AssessedWork:
    assessed: int  # submissions marked at least once by a trainer or assessor
    passed: int  # of those, passed now
    markings: int  # every marking (a returned and resubmitted piece of work is marked more than once)
    median_minutes: float | None  # median marking time, from opening the marking page to saving the mark


def assessed_work(
    scope: ColumnElement[bool], start: date | None, end: date | None, course_slug: str | None = None
) -> AssessedWork:
    """Work by learners who enrolled in the period (as in the impact report), marked by someone other than them."""
    where = [scope, Review.self_assessed.is_(False)]
    if start:
        where.append(Enrolment.enrolled_at >= datetime.combine(start, time.min, UTC))
    if end:
        where.append(Enrolment.enrolled_at < datetime.combine(end + timedelta(days=1), time.min, UTC))
    if course_slug:
        where.append(Enrolment.course_slug == course_slug)
    rows = db.session.execute(
        select(Submission.id, Submission.status, Review.seconds)
        .join(Review, Review.submission_id == Submission.id)
        .join(Enrolment, Enrolment.id == Submission.enrolment_id)
        .where(*where)
    ).all()
    status = {sid: s for sid, s, _seconds in rows}
    seconds = [s for _sid, _status, s in rows if s is not None]
    return AssessedWork(
        assessed=len(status),
        passed=sum(1 for s in status.values() if s == "passed"),
        markings=len(rows),
        median_minutes=statistics.median(seconds) / 60 if seconds else None,
    )


@dataclass(frozen=True)
class Marking:
    assignment_id: str
    module_slug: str
    decision: str
    points: int
    max_points: int
    marker: str | None
    self_assessed: bool
    at: datetime
    minutes: float | None


def markings_of(enrolment: Enrolment) -> list[Marking]:
    """Every marking of the learner's work, oldest first, with the time the marker spent."""
    rows = db.session.execute(
        select(
            Submission.assignment_id,
            Submission.module_slug,
            Review.decision,
            Review.points,
            Review.max_points,
            User.full_name,
            Review.self_assessed,
            Review.created_at,
            Review.seconds,
        )
        .join(Review, Review.submission_id == Submission.id)
        .outerjoin(User, User.id == Review.marker_id)
        .where(Submission.enrolment_id == enrolment.id)
        .order_by(Review.created_at, Review.id)
    ).all()
    return [Marking(*row[:8], None if row[8] is None else row[8] / 60) for row in rows]


def submissions_of(enrolment: Enrolment) -> list[Submission]:
    return list(
        db.session.execute(select(Submission).filter_by(enrolment_id=enrolment.id).order_by(Submission.id)).scalars()
    )
