"""Confidence shift of a group: per statement, the mean rating before and after and the share who improved."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from ..content import Course
from ..extensions import db
from ..models import ConfidenceRating, Enrolment


@dataclass(frozen=True)
class StatementShift:
    statement_id: str
    text: str
    text_lang: str
    before_mean: float | None
    before_n: int
    after_mean: float | None
    after_n: int
    paired: int  # learners who rated both times
    improved: int  # of those, how many rated higher after

    @property
    def improved_share(self) -> float | None:
        return self.improved / self.paired if self.paired else None


def summarise_shift(ratings: list[tuple[int, str, str, int]]) -> dict[str, dict]:
    """From (learner, statement, phase, rating): means per phase and improvement among those who rated twice."""
    by: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: {"before": {}, "after": {}})
    for learner, statement, phase, rating in ratings:
        by[statement][phase][learner] = rating
    result = {}
    for statement, phases in by.items():
        before, after = phases["before"], phases["after"]
        both = before.keys() & after.keys()
        result[statement] = {
            "before_mean": sum(before.values()) / len(before) if before else None,
            "before_n": len(before),
            "after_mean": sum(after.values()) / len(after) if after else None,
            "after_n": len(after),
            "paired": len(both),
            "improved": sum(1 for learner in both if after[learner] > before[learner]),
        }
    return result


def confidence_shift(course: Course, scope: ColumnElement[bool], lang: str) -> list[StatementShift]:
    """One query; statements in the course's order, named in `lang` where the course has it."""
    ratings = db.session.execute(
        select(
            ConfidenceRating.enrolment_id,
            ConfidenceRating.statement_id,
            ConfidenceRating.phase,
            ConfidenceRating.rating,
        )
        .join(Enrolment, Enrolment.id == ConfidenceRating.enrolment_id)
        .where(scope, Enrolment.course_slug == course.slug)
    ).all()
    figures = summarise_shift([tuple(r) for r in ratings])
    empty = {"before_mean": None, "before_n": 0, "after_mean": None, "after_n": 0, "paired": 0, "improved": 0}
    shifts = []
    for statement in course.confidence:
        text_lang = lang if lang in statement.text else course.source_language
        text = statement.text.get(text_lang) or next(iter(statement.text.values()))
        shifts.append(StatementShift(statement.id, text, text_lang, **figures.get(statement.id, empty)))
    return shifts
