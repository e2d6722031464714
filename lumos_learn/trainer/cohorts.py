"""Cohorts: who may see which, creating them, join codes and co-trainers (joining: learn/joining.py).

`cohort_for_trainer` is the one object-level check of the trainer area: every view that takes a
cohort id goes through it, and a cohort the user does not run is a 404 (not a 403: that would
confirm it exists).
"""

from __future__ import annotations

import secrets
from datetime import date

from flask import abort
from sqlalchemy import ColumnElement, Select, exists, func, select, true
from sqlalchemy.exc import IntegrityError

from ..content import Course
from ..extensions import db
from ..models import Cohort, CohortTrainer, Enrolment, User, record_audit

# No 0/O, 1/I/L: codes are read aloud in a classroom and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def visible_cohorts(user: User) -> Select:
    """The cohorts `user` may see: all for an admin, else those they train."""
    statement = select(Cohort)
    if not user.is_admin:
        statement = statement.where(
            exists().where(CohortTrainer.cohort_id == Cohort.id, CohortTrainer.user_id == user.id)
        )
    return statement


def visible_cohort_ids(user: User) -> Select:
    return visible_cohorts(user).with_only_columns(Cohort.id)


def cohort_for_trainer(cohort_id: int, user: User) -> Cohort:
    """The cohort if `user` trains it (or is an admin), else abort(404)."""
    cohort = db.session.execute(visible_cohorts(user).where(Cohort.id == cohort_id)).scalar_one_or_none()
    if cohort is None:
        abort(404)
    return cohort


def enrolment_in_cohort(cohort: Cohort, enrolment_id: int) -> Enrolment:
    """A learner's enrolment if it belongs to `cohort`, else abort(404)."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.cohort_id != cohort.id:
        abort(404)
    return enrolment


def cohort_list(user: User) -> list[tuple[Cohort, int, int]]:
    """(cohort, learners, completed) for the cohorts `user` may see, newest first, in one query."""
    learners = select(func.count(Enrolment.id)).where(Enrolment.cohort_id == Cohort.id).scalar_subquery()
    completed = (
        select(func.count(Enrolment.id))
        .where(Enrolment.cohort_id == Cohort.id, Enrolment.completed_at.is_not(None))
        .scalar_subquery()
    )
    statement = (
        visible_cohorts(user)
        .add_columns(learners, completed)
        .order_by(Cohort.archived, Cohort.created_at.desc(), Cohort.id.desc())
    )
    return [(cohort, n, done) for cohort, n, done in db.session.execute(statement)]


def create_cohort(
    creator: User,
    course: Course,
    *,
    name: str,
    language: str,
    starts_on: date | None,
    ends_on: date | None,
    deadline: date | None,
) -> Cohort:
    """A new cohort trained by `creator`, with a fresh join code (the unique index settles collisions)."""
    for _attempt in range(5):
        cohort = Cohort(
            course_slug=course.slug,
            name=name.strip(),
            language=language,
            starts_on=starts_on,
            ends_on=ends_on,
            deadline=deadline,
            join_code=new_join_code(),
            created_by_id=creator.id,
        )
        cohort.trainers.append(creator)
        db.session.add(cohort)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            continue
        record_audit(creator, "cohort.created", "cohort", cohort.id, course=course.slug, name=cohort.name)
        db.session.commit()
        return cohort
    raise RuntimeError("could not find a free join code")


class CoTrainerProblem(ValueError):
    pass


def add_co_trainer(actor: User, cohort: Cohort, person: User | None) -> None:
    """Add a trainer (or admin) account to the cohort's trainers; CoTrainerProblem says why not."""
    if person is None or not person.is_trainer:
        raise CoTrainerProblem("not_trainer")
    if person.id in {t.id for t in cohort.trainers}:
        raise CoTrainerProblem("already")
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=person.id))
    record_audit(actor, "cohort.trainer_added", "cohort", cohort.id, user_id=person.id)
    try:
        db.session.commit()
    except IntegrityError as error:  # added by someone else a moment ago
        db.session.rollback()
        raise CoTrainerProblem("already") from error


def remove_co_trainer(actor: User, cohort: Cohort, person_id: int) -> None:
    """Remove a trainer; the last one stays, so that a cohort is never left without anyone to run it."""
    trainer_ids = [t.id for t in cohort.trainers]
    if person_id not in trainer_ids:
        abort(404)
    if len(trainer_ids) == 1:
        raise CoTrainerProblem("last")
    db.session.execute(
        CohortTrainer.__table__.delete().where(CohortTrainer.cohort_id == cohort.id, CohortTrainer.user_id == person_id)
    )
    record_audit(actor, "cohort.trainer_removed", "cohort", cohort.id, user_id=person_id)
    db.session.commit()
    db.session.expire(cohort)


def enrolment_scope(user: User) -> ColumnElement[bool]:
    """The enrolments whose numbers `user` may see: their cohorts' (all, for an admin)."""
    if user.is_admin:
        return true()
    return Enrolment.cohort_id.in_(visible_cohort_ids(user))
