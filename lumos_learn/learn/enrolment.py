"""Enrolling in a course and choosing the language to read it in."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from ..content import Course
from ..extensions import db
from ..models import Cohort, Enrolment, User


def content_language_for(course: Course, *preferences: str | None) -> str:
    """The first of `preferences` the course is written in, else its source language."""
    for lang in preferences:
        if lang and lang in course.languages:
            return lang
    return course.source_language


# Built once: every signed-in course page asks it (see SESSION_BY_TOKEN in auth/sessions.py for why).
ENROLMENT_OF = select(Enrolment).where(
    Enrolment.user_id == bindparam("user_id"), Enrolment.course_slug == bindparam("slug")
)


def find_enrolment(user: User, course_slug: str) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return db.session.execute(ENROLMENT_OF, {"user_id": user.id, "slug": course_slug}).scalar_one_or_none()


def enrol(user: User, course: Course, content_language: str, cohort: Cohort | None = None) -> tuple[Enrolment, bool]:
    """Enrol `user` (once: the database's unique constraint decides). Returns (enrolment, created)."""
    if content_language not in course.languages:
        content_language = course.source_language
    enrolment = Enrolment(
        user_id=user.id,
        course_slug=course.slug,
        content_language=content_language,
        cohort_id=cohort.id if cohort else None,
    )
    db.session.add(enrolment)
    try:
        db.session.commit()
        return enrolment, True
    except IntegrityError:
        db.session.rollback()
        existing = find_enrolment(user, course.slug)
        if cohort is not None and existing.cohort_id is None:
            existing.cohort_id = cohort.id
            db.session.commit()
        return existing, False


def set_content_language(enrolment: Enrolment, course: Course, lang: str) -> bool:
    if lang not in course.languages:
        return False
    enrolment.content_language = lang
    db.session.commit()
    return True
