"""Confidence self-assessment: the course's statements rated 1-5 at enrolment and again at completion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..content import Course
from ..extensions import db
from ..models import ConfidenceRating, Enrolment

PHASES = ("before", "after")
SCALE = (1, 2, 3, 4, 5)


class InvalidRatings(ValueError):
    pass


def partial_ratings(form: Mapping) -> dict[str, int]:
    """What could be read of a form that failed, to show it again as it was."""
    ratings = {}
    for name, value in form.items():
        if name.startswith("c-") and value.isdigit() and int(value) in SCALE:
            ratings[name[2:]] = int(value)
    return ratings


def parse_ratings(course: Course, form: Mapping) -> dict[str, int]:
    """One rating 1-5 for every statement of the course, else InvalidRatings with a message to show."""
    known = {s.id for s in course.confidence}
    for name in form:
        if name.startswith("c-") and name[2:] not in known:
            raise InvalidRatings(_("The form does not match this course. Reload the page and try again."))
    ratings = partial_ratings(form)
    if set(ratings) != known:
        raise InvalidRatings(_("Rate every statement from 1 to 5, or choose “Skip for now”."))
    return ratings


def record(enrolment: Enrolment, phase: str, ratings: dict[str, int]) -> None:
    """Store (or replace) the ratings of one phase."""
    existing = {r.statement_id: r for r in ratings_rows(enrolment, phase)}
    for statement_id, rating in ratings.items():
        if statement_id in existing:
            existing[statement_id].rating = rating
        else:
            db.session.add(
                ConfidenceRating(enrolment_id=enrolment.id, statement_id=statement_id, phase=phase, rating=rating)
            )
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the first one stands
        db.session.rollback()


def ratings_rows(enrolment: Enrolment, phase: str) -> list[ConfidenceRating]:
    return list(
        db.session.execute(select(ConfidenceRating).filter_by(enrolment_id=enrolment.id, phase=phase)).scalars()
    )


def ratings_of(enrolment: Enrolment, phase: str) -> dict[str, int]:
    return {r.statement_id: r.rating for r in ratings_rows(enrolment, phase)}


@dataclass(frozen=True)
class StatementShift:
    statement_id: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


def shift(course: Course, enrolment: Enrolment) -> list[StatementShift]:
    before, after = ratings_of(enrolment, "before"), ratings_of(enrolment, "after")
    return [StatementShift(s.id, before.get(s.id), after.get(s.id)) for s in course.confidence]
