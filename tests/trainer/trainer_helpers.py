"""Builders for the trainer tests: cohorts and learners with progress, written straight to the database."""

from __future__ import annotations

from datetime import timedelta

from lumos_learn.course_library import library
from lumos_learn.extensions import db
from lumos_learn.models import Certificate, ConfidenceRating, Enrolment, ModuleProgress, QuizAnswer, QuizAttempt, utcnow
from lumos_learn.trainer.cohorts import create_cohort

COURSE = "demo-course"
FINAL_QUESTIONS = (
    "demo-final-position",
    "demo-final-signs",
    "demo-final-number",
    "demo-final-call",
    "demo-final-match",
)


def make_cohort(trainer, name="Shumen care staff", language="en"):
    return create_cohort(
        trainer, library().get(COURSE), name=name, language=language, starts_on=None, ends_on=None, deadline=None
    )


def add_learner(
    cohort,
    user,
    *,
    read=(),
    final=None,
    completed=False,
    language="en",
    days_idle=0,
    correct=None,
    responses=None,
    certificate=None,
    enrolled_days_ago=None,
):
    """Enrol `user` in `cohort` with some progress. `final`: percent of one submitted final-check attempt;
    `correct`: {question_id: bool} answers of that attempt."""
    now = utcnow()
    enrolment = Enrolment(
        user_id=user.id,
        course_slug=COURSE,
        content_language=language,
        cohort_id=cohort.id,
        last_activity_at=now - timedelta(days=days_idle),
    )
    if enrolled_days_ago is not None:
        enrolment.enrolled_at = now - timedelta(days=enrolled_days_ago)
    db.session.add(enrolment)
    db.session.flush()
    for slug in read:
        db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_slug=slug))
    if final is not None:
        attempt = QuizAttempt(
            enrolment_id=enrolment.id,
            module_slug="final-check",
            content_language=language,
            content_hash="x",
            course_version="1.0",
            submitted_at=now - timedelta(days=days_idle),
            percent=final,
            passed=final >= 80,
            graded=True,
            score=final / 20,
            max_score=5,
        )
        db.session.add(attempt)
        db.session.flush()
        for question_id, right in (correct or {}).items():
            db.session.add(
                QuizAnswer(
                    attempt_id=attempt.id,
                    question_id=question_id,
                    correct=right,
                    score=1.0 if right else 0.0,
                    response=(responses or {}).get(question_id, 0),
                )
            )
    if completed:
        enrolment.completed_at = now - timedelta(days=days_idle)
    if certificate:
        db.session.add(
            Certificate(
                code=certificate,
                enrolment_id=enrolment.id,
                user_id=user.id,
                course_slug=COURSE,
                course_version="1.0",
                language=language,
                recipient_name=user.full_name,
                course_title="Safe mealtimes",
                hours=2,
                completed_on=now.date(),
                status_index=enrolment.id,
            )
        )
    db.session.commit()
    return enrolment


def rate(enrolment, phase, **ratings):
    for statement, rating in ratings.items():
        db.session.add(
            ConfidenceRating(
                enrolment_id=enrolment.id, statement_id=statement.replace("_", "-"), phase=phase, rating=rating
            )
        )
    db.session.commit()
