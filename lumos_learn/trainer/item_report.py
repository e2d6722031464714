"""Feeding item_analysis from the database, and naming responses the way a trainer reads them."""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import ColumnElement, Text, case, cast, func, select

from ..content import Course, Question
from ..extensions import db
from ..models import Enrolment, QuizAnswer, QuizAttempt
from .item_analysis import (
    FLAG_LANGUAGE_GAP,
    FLAG_NEGATIVE,
    FLAG_TOO_HARD,
    ItemStats,
    analyse_answers,
)


@dataclass(frozen=True)
class ItemRow:
    module_title: str
    question: Question | None
    stats: ItemStats

    @property
    def flag_messages(self) -> list[str]:
        messages = {
            FLAG_TOO_HARD: _("Almost no one answers correctly: check the answer key."),
            FLAG_NEGATIVE: _("Strong learners get it wrong more often than weak ones: check the key and the wording."),
            FLAG_LANGUAGE_GAP: _("Much harder in one language: check the translation."),
        }
        return [messages[f] for f in self.stats.flags]


def item_rows(course: Course, scope: ColumnElement[bool], lang: str) -> list[ItemRow]:
    """Statistics for every question of the course's quizzes, over the enrolments in `scope` (one query).

    Only each learner's first submitted attempt at each quiz counts (the rule of item_analysis.first_attempts);
    the database picks them (ROW_NUMBER over the same order), so the answers of later attempts are never read.
    """
    ranked = (
        select(
            QuizAttempt.id,
            QuizAttempt.enrolment_id,
            QuizAttempt.module_slug,
            QuizAttempt.content_language,
            func.row_number()
            .over(
                partition_by=(QuizAttempt.enrolment_id, QuizAttempt.module_slug),
                order_by=(QuizAttempt.submitted_at, QuizAttempt.id),
            )
            .label("nth"),
        )
        .join(Enrolment, Enrolment.id == QuizAttempt.enrolment_id)
        .where(scope, Enrolment.course_slug == course.slug, QuizAttempt.submitted_at.is_not(None))
        .subquery()
    )
    # through the connection, not the ORM session: tens of thousands of plain rows, no entities (the ORM's
    # per-row handling was half the fetch)
    rows = (
        db.session.connection()
        .execute(
            select(
                ranked.c.enrolment_id,
                ranked.c.module_slug,
                QuizAnswer.question_id,
                case((QuizAnswer.correct, 1), else_=0),
                func.coalesce(QuizAnswer.score, 0.0),
                # only wrong answers' responses are counted: left as the stored JSON text (a missing one as JSON null)
                case((QuizAnswer.correct, None), else_=func.coalesce(cast(QuizAnswer.response, Text), "null")),
                ranked.c.content_language,
            )
            .join(ranked, ranked.c.id == QuizAnswer.attempt_id)
            .where(ranked.c.nth == 1)
        )
        .partitions(2000)  # fetchmany: one row at a time costs a call per row, and all at once keeps
    )  # tens of thousands of row objects alive for the garbage collector to walk
    stats = {s.question_id: s for s in analyse_answers(row for chunk in rows for row in chunk)}
    result = []
    for module in course.modules:
        text = module.text(lang)
        if text.quiz is None:
            continue
        for question in text.quiz.graded_questions:
            if question.id in stats:
                result.append(ItemRow(text.title, question, stats[question.id]))
    return result


def _plain(html: str) -> str:
    return nh3.clean(html, tags=set()).strip()


def describe_response(question: Question | None, response: object) -> str:
    """A stored response in words: the answer's text for choices, the value typed otherwise."""
    if response is None or response == "" or response == []:
        return _("(no answer)")
    if question is None:
        return str(response)
    answers = question.answers
    if question.type == "multichoice" and isinstance(response, int) and 0 <= response < len(answers):
        return _plain(answers[response].text_html)
    if question.type == "multianswer" and isinstance(response, list):
        return "; ".join(_plain(answers[i].text_html) for i in response if isinstance(i, int) and 0 <= i < len(answers))
    if question.type == "truefalse" and isinstance(response, bool):
        return _("True") if response else _("False")
    if question.type == "matching" and isinstance(response, dict):
        choices = question.match_choices
        parts = []
        for left, choice in sorted(response.items()):
            if left.isdigit() and int(left) < len(answers) and isinstance(choice, int) and 0 <= choice < len(choices):
                parts.append(f"{_plain(answers[int(left)].text_html)} → {choices[choice]}")
        return "; ".join(parts)
    return str(response)


def question_text(question: Question | None, question_id: str) -> Markup | str:
    return Markup(question.text_html) if question is not None else question_id  # noqa: S704 - sanitised by the course engine
