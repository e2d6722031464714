"""Submitting a quiz attempt: the busiest write of the site, so it is done in as few statements as the rules allow.

After the sign-in's own SELECT, a submit runs: the enrolment, the attempt and its draw (one SELECT); the claim of
the attempt (a conditional UPDATE); everything the attempt rules and the completion rule need (one SELECT); the
answers (one multi-row INSERT); the module marked read (only if it was not); the learner's last activity, with the
completion when this submit completes the course (one UPDATE); then one commit. The answers saved while the
attempt was open are deleted only if there are any. Rows are read as plain tuples (no ORM objects are built for
data nobody changes), and the statements are built once.

The state is read after the claim, in the same transaction: on SQLite the claim holds the write lock, so no other
submit of the same learner can commit between the read and the commit, and the completion check sees every
attempt (two final quizzes passed at the same moment in two tabs still complete the course).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, bindparam, func, literal_column, null, select, union_all, update

from ..assignments.models import Submission
from ..content import Course, Module, PastAttempt, attempt_decision, grade_attempt
from ..extensions import db
from ..models import AttemptGrant, AttemptQuestion, Enrolment, ModuleProgress, QuizAnswer, QuizAttempt, utcnow
from ..signals import course_completed
from .progress import TOUCH_ENROLMENT, SubmittedAttempt, insert_once, summarise
from .quizzes import AttemptBlocked, AttemptPaper, snapshot, storable


@dataclass(frozen=True)
class OpenedAttempt:
    """What a submit needs of the attempt named by the form's token (not an ORM object: nothing is tracked)."""

    id: int
    token: str
    started_at: datetime
    submitted_at: datetime | None
    drawn: list[tuple[str, list | None]] = field(default_factory=list)  # (question id, answer order), in order


@dataclass(frozen=True)
class QuizTarget:
    """The learner's enrolment in the course, and their attempt with the form's token (None: no such attempt)."""

    enrolment_id: int
    content_language: str
    completed: bool
    attempt: OpenedAttempt | None


# One statement: the enrolment (none: not enrolled), the attempt with this token at this module of it (none: a
# stale or forged form) and the attempt's drawn questions in order (none: an attempt from before question banks).
_TARGET = (
    select(
        Enrolment.id.label("enrolment_id"),
        Enrolment.content_language,
        Enrolment.completed_at,
        QuizAttempt.id.label("attempt_id"),
        QuizAttempt.token,
        QuizAttempt.started_at,
        QuizAttempt.submitted_at,
        AttemptQuestion.question_id,
        AttemptQuestion.answer_order,
    )
    .select_from(Enrolment)
    .outerjoin(
        QuizAttempt,
        and_(
            QuizAttempt.enrolment_id == Enrolment.id,
            QuizAttempt.module_slug == bindparam("module_slug"),
            QuizAttempt.token == bindparam("token"),
        ),
    )
    .outerjoin(AttemptQuestion, AttemptQuestion.attempt_id == QuizAttempt.id)
    .where(Enrolment.user_id == bindparam("user_id"), Enrolment.course_slug == bindparam("course_slug"))
    .order_by(AttemptQuestion.position)
)


def find_quiz_target(user_id: int, course_slug: str, module_slug: str, token: str) -> QuizTarget | None:
    """None when the user is not enrolled in the course."""
    rows = (
        db.session.connection()
        .execute(_TARGET, {"user_id": user_id, "course_slug": course_slug, "module_slug": module_slug, "token": token})
        .all()
    )
    if not rows:
        return None
    first = rows[0]
    attempt = None
    if first.attempt_id is not None:
        drawn = [(row.question_id, row.answer_order) for row in rows if row.question_id is not None]
        attempt = OpenedAttempt(first.attempt_id, first.token, first.started_at, first.submitted_at, drawn)
    return QuizTarget(first.enrolment_id, first.content_language, first.completed_at is not None, attempt)


_CLAIM = (
    update(QuizAttempt)
    .where(QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.submitted_at.is_(None))
    .values(
        {
            name: bindparam(name)
            for name in (
                "submitted_at",
                "score",
                "max_score",
                "percent",
                "passed",
                "result",
                "content_language",
                "content_hash",
                "course_version",
            )
        }
    )
)


def _state_rows():
    """One SELECT for what the rules and the completion need after a claim, as (kind, name, number, percent,
    passed, submitted_at) rows: every submitted attempt of the enrolment ("attempt": module, id, ...), every module
    read ("read": module), the passed assignments ("assignment": its id), the attempts granted at this quiz
    ("grants": count) and the answers saved while the attempt was open ("saved": count).

    The completion rule's inputs are those progress.load_progress reads (modules read, submitted attempts, passed
    assignments): a new input of the rule goes into both."""
    enrolment_id = bindparam("enrolment_id")
    attempts = select(
        literal_column("'attempt'").label("kind"),
        QuizAttempt.module_slug.label("name"),
        QuizAttempt.id.label("number"),
        QuizAttempt.percent,
        QuizAttempt.passed,
        QuizAttempt.submitted_at,
    ).where(QuizAttempt.enrolment_id == enrolment_id, QuizAttempt.submitted_at.is_not(None))
    read = select(literal_column("'read'"), ModuleProgress.module_slug, null(), null(), null(), null()).where(
        ModuleProgress.enrolment_id == enrolment_id
    )
    assignments = select(
        literal_column("'assignment'"), Submission.assignment_id, null(), null(), null(), null()
    ).where(Submission.enrolment_id == enrolment_id, Submission.status == "passed")
    grants = select(
        literal_column("'grants'"), literal_column("''"), func.count(AttemptGrant.id), null(), null(), null()
    ).where(AttemptGrant.enrolment_id == enrolment_id, AttemptGrant.module_slug == bindparam("module_slug"))
    saved = select(
        literal_column("'saved'"), literal_column("''"), func.count(QuizAnswer.id), null(), null(), null()
    ).where(QuizAnswer.attempt_id == bindparam("attempt_id"))
    return union_all(attempts, read, assignments, grants, saved)


_STATE = _state_rows()
_FORGET_SAVED = QuizAnswer.__table__.delete().where(QuizAnswer.attempt_id == bindparam("attempt_id"))
_ANSWERS = QuizAnswer.__table__.insert()
_ACTIVE = TOUCH_ENROLMENT
# the conditional UPDATE makes completion happen once, even when two requests reach it together
_ACTIVE_AND_COMPLETE = _ACTIVE.where(Enrolment.completed_at.is_(None)).values(
    completed_at=bindparam("now"), course_version_completed=bindparam("course_version")
)


@dataclass
class _State:
    attempts: list[tuple[int, SubmittedAttempt]] = field(default_factory=list)
    read: set[str] = field(default_factory=set)
    passed_assignments: set[str] = field(default_factory=set)
    granted: int = 0
    saved: int = 0


def _load_state(target: QuizTarget, module_slug: str) -> _State:
    state = _State()
    rows = db.session.connection().execute(
        _STATE, {"enrolment_id": target.enrolment_id, "module_slug": module_slug, "attempt_id": target.attempt.id}
    )
    for kind, name, number, percent, passed, submitted_at in rows:
        if kind == "attempt":
            state.attempts.append((number, SubmittedAttempt(name, percent or 0.0, bool(passed), submitted_at)))
        elif kind == "read":
            state.read.add(name)
        elif kind == "assignment":
            state.passed_assignments.add(name)
        elif kind == "grants":
            state.granted = number
        else:
            state.saved = number
    return state


def submit_attempt(course: Course, module: Module, target: QuizTarget, paper: AttemptPaper, responses: dict) -> bool:
    """Grade and close the attempt, in one commit with its answers, the module read and the course's completion.
    True if this call submitted it; False if it was already submitted. Raises AttemptBlocked, recording nothing,
    if the rules would not have let this attempt start.

    The conditional UPDATE is what makes a double click or two racing requests record one attempt.
    """
    attempt = target.attempt
    if attempt.submitted_at is not None:
        return False
    text = module.text(target.content_language)
    result = grade_attempt(paper.quiz, responses, course.pass_mark, text.critical_ids())
    # everything but SQL before the claim: on SQLite the claim takes the write lock, held until the commit
    graded = {r.question_id: r for r in result.results}
    answers = []
    for question_id, response in responses.items():
        outcome = graded.get(question_id)
        answers.append(
            {
                "attempt_id": attempt.id,
                "question_id": question_id,
                "response": storable(response),
                "score": outcome.score if outcome else None,
                "correct": outcome.correct if outcome and outcome.answered else None,
            }
        )
    now = utcnow()
    connection = db.session.connection()
    claimed = connection.execute(
        _CLAIM,
        {
            "attempt_id": attempt.id,
            "submitted_at": now,
            "score": result.score,
            "max_score": result.max_score,
            "percent": result.percent,
            "passed": result.passed,
            "result": snapshot(text, paper, responses, result),
            "content_language": text.lang,
            "content_hash": text.content_hash,
            "course_version": course.version,
        },
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return False
    state = _load_state(target, module.slug)
    past = [
        PastAttempt(a.submitted_at, a.passed)
        for n, a in state.attempts
        if a.module_slug == module.slug and n != attempt.id
    ]
    if not attempt_decision(course, module, past, state.granted, attempt.started_at).allowed:
        db.session.rollback()  # the claim is undone: nothing recorded
        raise AttemptBlocked(attempt_decision(course, module, past, state.granted, now))
    if state.saved:
        connection.execute(_FORGET_SAVED, {"attempt_id": attempt.id})
    if answers:
        connection.execute(_ANSWERS, answers)
    if module.slug not in state.read:  # taking the quiz means the learner was on the page
        connection.execute(
            insert_once(ModuleProgress), {"enrolment_id": target.enrolment_id, "module_slug": module.slug}
        )
        state.read.add(module.slug)
    completes = (
        not target.completed
        and summarise(course, state.read, [a for _n, a in state.attempts], frozenset(state.passed_assignments)).complete
    )
    active = {"enrolment_id": target.enrolment_id, "now": now}
    completed = (
        completes
        and connection.execute(_ACTIVE_AND_COMPLETE, {**active, "course_version": course.version}).rowcount == 1
    )
    if not completed:
        connection.execute(_ACTIVE, active)
    db.session.commit()
    if completed:
        enrolment = db.session.get(Enrolment, target.enrolment_id)
        course_completed.send(current_app._get_current_object(), enrolment=enrolment, course=course)
    return True
