"""Progress through a course: what is read, which quizzes count, the percent, and completion.

`summarise` is the rule a trainer would state in a sentence, as a pure function; `load_progress`
feeds it from the database in one query for any number of enrolments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import Boolean, DateTime, Float, bindparam, literal, null, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from ..content import Course
from ..extensions import db
from ..models import Enrolment, ModuleProgress, QuizAttempt, utcnow
from ..signals import course_completed


@dataclass(frozen=True)
class ModuleStatus:
    slug: str
    read: bool
    graded: bool
    attempts: int
    best_percent: float | None
    counting_percent: float | None  # best or last attempt, by the course's policy
    passed: bool | None  # None for a module whose quiz is not graded
    assignment_passed: bool | None = None  # None when the module's assignment does not count (or it has none)


@dataclass(frozen=True)
class CourseProgress:
    modules: dict[str, ModuleStatus]
    percent: int
    complete: bool
    next_module: str | None  # where "continue" leads

    @property
    def started(self) -> bool:
        return any(m.read or m.attempts for m in self.modules.values())


@dataclass(frozen=True)
class SubmittedAttempt:
    module_slug: str
    percent: float
    passed: bool
    submitted_at: datetime


def summarise(
    course: Course, read: set[str], attempts: list[SubmittedAttempt], passed_assignments: frozenset[str] = frozenset()
) -> CourseProgress:
    """`passed_assignments`: ids of the learner's passed assignments; they count when the course's completion says."""
    by_module: dict[str, list[SubmittedAttempt]] = defaultdict(list)
    for attempt in attempts:
        by_module[attempt.module_slug].append(attempt)
    statuses = {}
    done = required = 0
    next_module = None
    for module in course.modules:
        tries = sorted(by_module.get(module.slug, []), key=lambda a: a.submitted_at)
        best = max((a.percent for a in tries), default=None)
        last = tries[-1].percent if tries else None
        counting = last if course.attempt_policy == "last" else best
        passed = (counting is not None and counting >= course.pass_mark) if module.graded else None
        is_read = module.slug in read
        assignment_passed = None
        if course.assignments_count_for_completion and module.assignment is not None:
            assignment_passed = module.assignment.id in passed_assignments
            required += 1
            done += 1 if assignment_passed else 0
        statuses[module.slug] = ModuleStatus(
            module.slug, is_read, module.graded, len(tries), best, counting, passed, assignment_passed
        )
        required += 1 + (1 if module.graded else 0)
        done += (1 if is_read else 0) + (1 if passed else 0)
        if next_module is None and (not is_read or passed is False or assignment_passed is False):
            next_module = module.slug
    percent = int(100 * done / required) if required else 0
    return CourseProgress(statuses, percent, done == required, next_module)


@cache
def _progress_of():
    """Built once: every signed-in page with progress asks it (see SESSION_BY_TOKEN in auth/sessions.py for why).
    What the enrolments did, in one statement: the submitted attempts, the modules read and the passed assignments
    (a row per fact, its kind first; the columns a kind does not use are NULL). A quiz submit reads the same inputs
    of the completion rule in its own statement (quiz_submit.py): a new input goes into both."""
    from ..assignments.models import Submission  # here, not at the top: assignments' services import this module

    ids = bindparam("ids", expanding=True)
    no_attempt = (null().cast(Float), null().cast(Boolean), null().cast(DateTime))  # percent, passed, submitted
    return union_all(
        select(
            literal("attempt").label("kind"),
            QuizAttempt.enrolment_id,
            QuizAttempt.module_slug.label("slug"),
            QuizAttempt.percent,
            QuizAttempt.passed,
            QuizAttempt.submitted_at,
        ).where(QuizAttempt.enrolment_id.in_(ids), QuizAttempt.submitted_at.is_not(None)),
        select(literal("read"), ModuleProgress.enrolment_id, ModuleProgress.module_slug, *no_attempt).where(
            ModuleProgress.enrolment_id.in_(ids)
        ),
        select(literal("assignment"), Submission.enrolment_id, Submission.assignment_id, *no_attempt).where(
            Submission.enrolment_id.in_(ids), Submission.status == "passed"
        ),
    )


# The learner's last activity, without loading the enrolment (a quiz save or submit); built once.
TOUCH_ENROLMENT = (
    update(Enrolment.__table__)
    .where(Enrolment.id == bindparam("enrolment_id"))
    .values(last_activity_at=bindparam("now"))
)


def load_progress(course_of: dict[int, Course], enrolment_ids: list[int]) -> dict[int, CourseProgress]:
    """Progress of many enrolments (id -> its course) in one query, whatever their number."""
    if not enrolment_ids:
        return {}
    read: dict[int, set[str]] = defaultdict(set)
    attempts: dict[int, list[SubmittedAttempt]] = defaultdict(list)
    passed: dict[int, set[str]] = defaultdict(set)
    for kind, enrolment_id, slug, percent, was_passed, submitted_at in db.session.execute(
        _progress_of(), {"ids": enrolment_ids}
    ):
        if kind == "attempt":
            attempts[enrolment_id].append(SubmittedAttempt(slug, percent or 0.0, bool(was_passed), submitted_at))
        elif kind == "read":
            read[enrolment_id].add(slug)
        else:
            passed[enrolment_id].add(slug)
    return {eid: summarise(course_of[eid], read[eid], attempts[eid], frozenset(passed[eid])) for eid in enrolment_ids}


def progress_of(course: Course, enrolment: Enrolment) -> CourseProgress:
    return load_progress({enrolment.id: course}, [enrolment.id])[enrolment.id]


def mark_read(course: Course, enrolment: Enrolment, module_slug: str) -> None:
    """Record that a module was read (once) and complete the course if that was the last step."""
    record_read(enrolment, module_slug)
    complete_if_done(course, enrolment)


def record_read(enrolment: Enrolment, module_slug: str) -> None:
    """In the current transaction: the module is read (reading it again changes nothing) and the learner active."""
    enrolment.last_activity_at = utcnow()
    db.session.execute(insert_once(ModuleProgress), {"enrolment_id": enrolment.id, "module_slug": module_slug})


def insert_once(model):
    """INSERT ... ON CONFLICT DO NOTHING (both databases): a row that exists already is not an error, so no
    savepoint is needed around it and the caller's transaction goes on. Its columns come with the parameters."""
    return _insert_once(model, db.session.get_bind().dialect.name)


@cache  # built once per table and database: a quiz submit runs it
def _insert_once(model, dialect_name: str):
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(model.__table__).on_conflict_do_nothing()


def complete_if_done(course: Course, enrolment: Enrolment) -> bool:
    """Commit the current transaction, with the enrolment marked complete if the course's rule is now met.

    Returns True only the first time: the conditional UPDATE makes completion happen once even when two
    requests reach it together. Whatever the caller recorded (an attempt, a read module) is committed with it.
    """
    completed = False
    if enrolment.completed_at is None and progress_of(course, enrolment).complete:
        result = db.session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment.id, Enrolment.completed_at.is_(None))
            .values(completed_at=utcnow(), course_version_completed=course.version)
        )
        completed = result.rowcount == 1
    db.session.commit()
    if completed:
        db.session.refresh(enrolment)
        course_completed.send(current_app._get_current_object(), enrolment=enrolment, course=course)
    return completed
