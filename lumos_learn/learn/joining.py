"""Joining a cohort by its code or link: the learner's side of cohorts (trainer/cohorts.py makes them).

One place decides what joining does and says, called by the join page and by registration when a
visitor followed a join link before they had an account.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..content import Course
from ..course_library import library
from ..extensions import db
from ..models import Cohort, Enrolment, User
from .enrolment import enrol


def normalise_join_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def cohort_by_join_code(code: str) -> Cohort | None:
    """The open cohort with this code (spaces, dashes and case ignored), or None."""
    code = normalise_join_code(code)
    if not code:
        return None
    cohort = db.session.execute(select(Cohort).filter_by(join_code=code)).scalar_one_or_none()
    return None if cohort is None or cohort.archived else cohort


def join_cohort(user: User, cohort: Cohort, course: Course) -> tuple[Enrolment, str]:
    """Enrol `user` in the cohort's course within the cohort.

    Returns (enrolment, outcome): 'joined', 'moved_in' (already enrolled without a cohort, now in this
    one), 'already' (already in this cohort) or 'other_cohort' (enrolled through another cohort, left there:
    moving a learner between cohorts would change another trainer's numbers).
    """
    lang = user.preferred_language if user.preferred_language in course.languages else cohort.language
    previous = db.session.execute(
        select(Enrolment.cohort_id).filter_by(user_id=user.id, course_slug=course.slug)
    ).first()
    enrolment, created = enrol(user, course, lang, cohort)
    if created:
        return enrolment, "joined"
    if previous is not None and previous.cohort_id == cohort.id:
        return enrolment, "already"
    if enrolment.cohort_id == cohort.id:
        return enrolment, "moved_in"
    return enrolment, "other_cohort"


def join_and_tell(user: User, cohort: Cohort, course: Course) -> str:
    """Join, flash what happened in the person's words, and return the page to go to next."""
    _enrolment, outcome = join_cohort(user, cohort, course)
    messages = {
        "joined": _("You have joined “%(cohort)s”.", cohort=cohort.name),
        "moved_in": _("You have joined “%(cohort)s”. Your progress in the course is kept.", cohort=cohort.name),
        "already": _("You are already in “%(cohort)s”.", cohort=cohort.name),
        "other_cohort": _(
            "You already take this course with another group; your progress stays there. "
            "Ask your trainer if you need to change group."
        ),
    }
    flash(messages[outcome], "success" if outcome != "other_cohort" else "error")
    if outcome == "joined" and course.confidence:
        return url_for("learn.confidence_form", slug=course.slug, phase="before")
    return url_for("learn.course", slug=course.slug)


def cohort_of_link(path: str | None) -> tuple[Cohort, Course] | None:
    """(cohort, course) if `path` is the join link of an open cohort of a course this site has; else None."""
    if not path:
        return None
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(urlsplit(path).path, method="POST")
    except HTTPException:
        return None
    if endpoint != "learn.join_cohort":
        return None
    cohort = cohort_by_join_code(values["code"])
    course = library().get(cohort.course_slug) if cohort else None
    return (cohort, course) if cohort is not None and course is not None else None


def join_by_link(user: User, path: str | None) -> str | None:
    """If `path` is a join link of an open cohort, join it (join_and_tell); else None.

    Registration calls this with its `next`: someone who followed a join link and had to create an account
    first ends in the cohort, as they would have by pressing "Join" once signed in. The registration page
    says so before they create the account (the link could have been handed to them by anyone).
    """
    found = cohort_of_link(path)
    return join_and_tell(user, *found) if found else None
