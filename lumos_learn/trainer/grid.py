"""The cohort progress grid: learners x modules, filtered, sorted and paginated in a bounded number of queries.

Progress comes from learn.progress.load_progress (the learner's own pages use it too), so a trainer
and a learner always see the same percent. Queries per page, whatever the cohort's size: the counts
for the filter links, the page's rows (plus one for its total), two for progress, one for certificates
(and one for assignment states when the course has assignments).
Sorting by percent needs every filtered learner's progress (percent is not stored): one more query
for their ids, and progress is then loaded for all of them rather than for one page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, exists, func, not_, or_, select

from ..assignments.reports import assignment_states
from ..content import Course, Module
from ..extensions import db
from ..learn.progress import CourseProgress, load_progress
from ..models import Certificate, Cohort, Enrolment, ModuleProgress, QuizAttempt, User, utcnow

PAGE_SIZE = 100
STUCK_AFTER_DAYS = 14
STATUSES = ("all", "not_started", "in_progress", "stuck", "completed")
SORTS = ("name", "percent", "activity", "completed")


@dataclass(frozen=True)
class GridRow:
    enrolment_id: int
    user_id: int
    name: str
    email: str
    organisation: str
    content_language: str
    enrolled_at: datetime
    last_activity_at: datetime | None  # None: nothing read or submitted yet ("never"), whenever they enrolled
    completed_at: datetime | None
    progress: CourseProgress
    certificate_code: str | None


@dataclass(frozen=True)
class Grid:
    modules: tuple[Module, ...]
    rows: list[GridRow]
    total: int
    page: int
    pages: int
    status: str
    sort: str
    descending: bool
    query: str
    counts: dict[str, int]
    # enrolment id -> {assignment id: status}, for the courses with assignments (see assignments/reports.py)
    assignment_states: dict[int, dict[str, str]] = field(default_factory=dict)


def _started() -> ColumnElement[bool]:
    return or_(
        exists().where(ModuleProgress.enrolment_id == Enrolment.id),
        exists().where(QuizAttempt.enrolment_id == Enrolment.id, QuizAttempt.submitted_at.is_not(None)),
    )


def status_conditions(now: datetime) -> dict[str, ColumnElement[bool]]:
    """The filters as SQL. Stuck: started, not completed, nothing done for STUCK_AFTER_DAYS days."""
    idle_since = now - timedelta(days=STUCK_AFTER_DAYS)
    started, done = _started(), Enrolment.completed_at.is_not(None)
    return {
        "not_started": and_(not_(done), not_(started)),
        "in_progress": and_(not_(done), started, Enrolment.last_activity_at >= idle_since),
        "stuck": and_(not_(done), started, Enrolment.last_activity_at < idle_since),
        "completed": done,
    }


def status_counts(cohort: Cohort, now: datetime) -> dict[str, int]:
    conditions = status_conditions(now)
    columns = [func.count(Enrolment.id)] + [
        func.coalesce(func.sum(case((c, 1), else_=0)), 0) for c in conditions.values()
    ]
    values = db.session.execute(select(*columns).where(Enrolment.cohort_id == cohort.id)).one()
    return dict(zip(("all", *conditions), (int(v) for v in values), strict=True))


def _order(sort: str, descending: bool) -> list:
    name = func.lower(User.full_name)
    if sort == "activity":
        # An enrolment starts with last_activity_at = the enrolment (or import) time; until the learner has
        # read or submitted something there is no activity: those rows come last, whichever the direction.
        activity = case((_started(), Enrolment.last_activity_at), else_=None)
        return [activity.is_(None), activity.desc() if descending else activity, name, Enrolment.id]
    if sort == "completed":
        # Not yet completed last whichever the direction.
        return [
            Enrolment.completed_at.is_(None),
            Enrolment.completed_at.desc() if descending else Enrolment.completed_at,
            name,
            Enrolment.id,
        ]
    else:
        column = name
    return [column.desc() if descending else column, name, Enrolment.id]


def cohort_progress_grid(
    cohort: Cohort,
    course: Course,
    *,
    status: str = "all",
    sort: str = "name",
    descending: bool = False,
    query: str = "",
    page: int = 1,
    per_page: int | None = PAGE_SIZE,
    now: datetime | None = None,
) -> Grid:
    """One page of the grid (every row when `per_page` is None: the exports)."""
    now = now or utcnow()
    status = status if status in STATUSES else "all"
    sort = sort if sort in SORTS else "name"
    counts = status_counts(cohort, now)
    where = [Enrolment.cohort_id == cohort.id]
    if status != "all":
        where.append(status_conditions(now)[status])
    query = query.strip()
    if query:
        like = f"%{query.lower()}%"
        where.append(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    base = select(Enrolment.id).join(User, User.id == Enrolment.user_id).where(*where)
    progress: dict[int, CourseProgress] = {}

    if sort == "percent":
        ids = list(db.session.execute(base.order_by(*_order("name", False))).scalars())
        progress = load_progress(dict.fromkeys(ids, course), ids)
        ids.sort(key=lambda i: progress[i].percent, reverse=descending)  # stable: name order within a percent
        total = len(ids)
        page, pages = _clamp(page, total, per_page)
        page_ids = ids[(page - 1) * per_page : page * per_page] if per_page else ids
        rows = _rows(select_columns().where(Enrolment.id.in_(page_ids))) if page_ids else []
        position = {eid: n for n, eid in enumerate(page_ids)}
        rows.sort(key=lambda r: position[r[0]])
    else:
        total = db.session.scalar(select(func.count()).select_from(base.subquery())) if per_page else None
        statement = select_columns().where(*where).order_by(*_order(sort, descending))
        if per_page:
            page, pages = _clamp(page, total, per_page)
            statement = statement.limit(per_page).offset((page - 1) * per_page)
        rows = _rows(statement)
        if not per_page:
            total, page, pages = len(rows), 1, 1
        ids = [r[0] for r in rows]
        progress = load_progress(dict.fromkeys(ids, course), ids)

    certificates = _certificates([r[0] for r in rows])
    grid_rows = [
        GridRow(
            eid,
            uid,
            name,
            email,
            organisation,
            lang,
            enrolled,
            active if progress[eid].started or completed else None,
            completed,
            progress[eid],
            certificates.get(eid),
        )
        for eid, uid, name, email, organisation, lang, enrolled, active, completed in rows
    ]
    states = assignment_states([r[0] for r in rows]) if course.assignment_modules else {}
    return Grid(course.modules, grid_rows, total, page, pages, status, sort, descending, query, counts, states)


def select_columns():
    return select(
        Enrolment.id,
        User.id,
        User.full_name,
        User.email,
        User.organisation,
        Enrolment.content_language,
        Enrolment.enrolled_at,
        Enrolment.last_activity_at,
        Enrolment.completed_at,
    ).join(User, User.id == Enrolment.user_id)


def _rows(statement) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(statement)]


def _clamp(page: int, total: int, per_page: int | None) -> tuple[int, int]:
    if not per_page:
        return 1, 1
    pages = max(1, math.ceil(total / per_page))
    return min(max(page, 1), pages), pages


def _certificates(enrolment_ids: list[int]) -> dict[int, str]:
    if not enrolment_ids:
        return {}
    return dict(
        db.session.execute(
            select(Certificate.enrolment_id, Certificate.code).where(
                Certificate.enrolment_id.in_(enrolment_ids), Certificate.revoked_at.is_(None)
            )
        ).all()
    )
