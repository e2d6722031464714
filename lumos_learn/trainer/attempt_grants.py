"""One more attempt at a graded quiz, granted by a trainer to a learner of their cohort, and audited."""

from __future__ import annotations

from sqlalchemy import exists, select

from ..content import Course
from ..extensions import db
from ..models import AttemptGrant, Cohort, Enrolment, QuizAttempt, User, record_audit


class GrantRefused(ValueError):
    """Why no attempt was granted: 'no_module', 'unlimited' or 'passed'."""


def grant_attempt(actor: User, cohort: Cohort, enrolment: Enrolment, course: Course, module_slug: str) -> AttemptGrant:
    """Record one more attempt for `enrolment` at the graded quiz `module_slug` (the caller checked that the
    enrolment is in a cohort `actor` trains). Raises GrantRefused when a grant would mean nothing."""
    module = course.module(module_slug)
    if module is None or not module.graded:
        raise GrantRefused("no_module")
    if not course.max_attempts:
        raise GrantRefused("unlimited")
    passed = db.session.execute(
        select(
            exists().where(
                QuizAttempt.enrolment_id == enrolment.id,
                QuizAttempt.module_slug == module.slug,
                QuizAttempt.passed.is_(True),
            )
        )
    ).scalar()
    if passed:
        raise GrantRefused("passed")
    grant = AttemptGrant(enrolment_id=enrolment.id, module_slug=module.slug, granted_by_id=actor.id)
    db.session.add(grant)
    record_audit(
        actor,
        "attempt.granted",
        "enrolment",
        enrolment.id,
        cohort=cohort.id,
        course=course.slug,
        module=module.slug,
        learner=enrolment.user_id,
    )
    db.session.commit()
    return grant


def grants_of(enrolment: Enrolment) -> dict[str, int]:
    """module slug -> attempts granted to this enrolment."""
    counts: dict[str, int] = {}
    for slug in db.session.execute(select(AttemptGrant.module_slug).filter_by(enrolment_id=enrolment.id)).scalars():
        counts[slug] = counts.get(slug, 0) + 1
    return counts
