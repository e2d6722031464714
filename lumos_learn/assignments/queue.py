"""Marking queues: work waiting to be marked, oldest first, for a cohort or for a course's assessors.

A queue page is one query with LIMIT/OFFSET on the (status, submitted_at) index plus one COUNT, whatever the number
of submissions; "mark the next one" asks for the oldest waiting submission of the same queue other than this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, func, or_, select

from ..extensions import db
from ..models import Enrolment, User
from .models import Submission

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueRow:
    submission_id: int
    learner_name: str
    module_slug: str
    assignment_id: str
    submitted_at: datetime
    times_submitted: int


@dataclass(frozen=True)
class Scope:
    """Which submissions a queue holds: a cohort's, or those of a course's learners outside any cohort."""

    cohort_id: int | None = None
    course_slug: str | None = None
    marked: bool = True  # False: the learners of this scope self-assess (services.assessment_path), nothing waits

    def where(self):
        if not self.marked:
            return (false(),)
        if self.cohort_id is not None:
            return (Enrolment.cohort_id == self.cohort_id,)
        return (Enrolment.cohort_id.is_(None), Enrolment.course_slug == self.course_slug)


def _waiting(scope: Scope):
    return (
        select(Submission)
        .join(Enrolment, Enrolment.id == Submission.enrolment_id)
        .where(Submission.status == "submitted", *scope.where())
    )


def queue_page(scope: Scope, page: int = 1) -> tuple[list[QueueRow], int]:
    """(rows of the page, total waiting), oldest submission first."""
    page = max(page, 1)
    rows = db.session.execute(
        select(
            Submission.id,
            User.full_name,
            Submission.module_slug,
            Submission.assignment_id,
            Submission.submitted_at,
            Submission.times_submitted,
        )
        .join(Enrolment, Enrolment.id == Submission.enrolment_id)
        .join(User, User.id == Enrolment.user_id)
        .where(Submission.status == "submitted", *scope.where())
        .order_by(Submission.submitted_at, Submission.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    total = db.session.execute(
        select(func.count(Submission.id))
        .join(Enrolment, Enrolment.id == Submission.enrolment_id)
        .where(Submission.status == "submitted", *scope.where())
    ).scalar_one()
    return [QueueRow(*row) for row in rows], total


def status_counts(scope: Scope) -> dict[str, int]:
    """Status -> number of submissions (draft, submitted, returned, passed) in the scope."""
    counts = dict.fromkeys(("draft", "submitted", "returned", "passed"), 0)
    rows = db.session.execute(
        select(Submission.status, func.count(Submission.id))
        .join(Enrolment, Enrolment.id == Submission.enrolment_id)
        .where(*scope.where())
        .group_by(Submission.status)
    )
    counts.update(dict(rows.all()))
    return counts


def next_waiting(scope: Scope, after: Submission | None = None) -> int | None:
    """The waiting submission that follows `after` in queue order (then from the oldest again), never `after`."""
    query = _waiting(scope).with_only_columns(Submission.id).order_by(Submission.submitted_at, Submission.id)
    if after is None:
        return db.session.execute(query.limit(1)).scalar_one_or_none()
    later = query.where(
        or_(
            Submission.submitted_at > after.submitted_at,
            and_(Submission.submitted_at == after.submitted_at, Submission.id > after.id),
        )
    )
    found = db.session.execute(later.limit(1)).scalar_one_or_none()
    if found is None:
        found = db.session.execute(query.where(Submission.id != after.id).limit(1)).scalar_one_or_none()
    return found
