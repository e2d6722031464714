"""Quiz attempts: open (or resume), save answers as the learner goes, submit once, and keep the result.

The browser only ever sees answers in their shuffled display order, numbered by position; the
mapping back to the course file's answers is recomputed here from the attempt's token. So nothing in
the page tells which answer the author wrote first (usually the right one), and reloading shows the
same order.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from ..content import Course, InvalidResponses, Module, Question, grade_attempt, parse_responses, shuffled_answer_order
from ..extensions import db
from ..models import Enrolment, QuizAnswer, QuizAttempt, utcnow
from .progress import complete_if_done, record_read

CHOICE_TYPES = ("multichoice", "multianswer")


class AttemptsExhausted(Exception):
    pass


def display_order(question: Question, token: str) -> tuple[int, ...]:
    return shuffled_answer_order(question, f"{token}:{question.id}")


def _to_canonical(module_text, token: str, form: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Translate display positions in a submitted form to answer indices of the course file."""
    quiz = module_text.quiz
    result: dict[str, list[str]] = {}
    for name, values in form.items():
        if not name.startswith("q-"):
            continue
        question = quiz.question(name[2:]) or _matching_question(quiz, name)
        if question is None or question.type not in (*CHOICE_TYPES, "matching"):
            result[name] = values
            continue
        order = display_order(question, token)
        mapped = []
        for value in values:
            if value.isdigit() and int(value) < len(order):
                mapped.append(str(order[int(value)]))
            else:
                mapped.append(value)  # left for parse_responses to reject
        result[name] = mapped
    return result


def _matching_question(quiz, name: str) -> Question | None:
    base, _, index = name[2:].rpartition("-")
    question = quiz.question(base)
    return question if question is not None and question.type == "matching" and index.isdigit() else None


def parse_form(module_text, token: str, form: Mapping[str, list[str]]) -> dict:
    """Responses from a submitted quiz form, or InvalidResponses for anything a real form cannot send."""
    return parse_responses(module_text.quiz, _to_canonical(module_text, token, form))


def submitted_attempts(enrolment: Enrolment, module_slug: str) -> list[QuizAttempt]:
    return list(
        db.session.execute(
            select(QuizAttempt)
            .filter_by(enrolment_id=enrolment.id, module_slug=module_slug)
            .where(QuizAttempt.submitted_at.is_not(None))
            .order_by(QuizAttempt.submitted_at)
        ).scalars()
    )


def attempts_left(course: Course, module: Module, enrolment: Enrolment) -> int | None:
    """None for unlimited."""
    if not module.graded or not course.max_attempts:
        return None
    return max(course.max_attempts - len(submitted_attempts(enrolment, module.slug)), 0)


def new_attempt(course: Course, module: Module, enrolment: Enrolment) -> QuizAttempt:
    """An attempt at a module's quiz in the enrolment's reading language (not yet added to the session)."""
    text = module.text(enrolment.content_language)
    return QuizAttempt(
        enrolment_id=enrolment.id,
        module_slug=module.slug,
        content_language=text.lang,
        content_hash=text.content_hash,
        course_version=course.version,
        graded=module.graded,
    )


def open_attempt(course: Course, module: Module, enrolment: Enrolment) -> QuizAttempt:
    """The attempt in progress for this quiz, or a new one. Raises AttemptsExhausted."""
    query = select(QuizAttempt).filter_by(enrolment_id=enrolment.id, module_slug=module.slug, submitted_at=None)
    attempt = db.session.execute(query).scalar_one_or_none()
    if attempt is not None:
        return attempt
    if attempts_left(course, module, enrolment) == 0:
        raise AttemptsExhausted()
    attempt = new_attempt(course, module, enrolment)
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # another request opened it at the same moment: use theirs
        db.session.rollback()
        attempt = db.session.execute(query).scalar_one()
    return attempt


# Built once: every quiz save and submit asks it (see SESSION_BY_TOKEN in auth/sessions.py for why).
_ATTEMPT_BY_TOKEN = select(QuizAttempt).where(
    QuizAttempt.token == bindparam("token"),
    QuizAttempt.enrolment_id == bindparam("enrolment_id"),
    QuizAttempt.module_slug == bindparam("module_slug"),
)


def find_attempt(enrolment: Enrolment, module_slug: str, token: str) -> QuizAttempt | None:
    return db.session.execute(
        _ATTEMPT_BY_TOKEN, {"token": token, "enrolment_id": enrolment.id, "module_slug": module_slug}
    ).scalar_one_or_none()


def saved_responses(attempt: QuizAttempt) -> dict[str, object]:
    return {a.question_id: a.response for a in attempt.answers}


def save_answers(attempt: QuizAttempt, responses: dict) -> None:
    """Keep the answers of an attempt in progress (a reload or lost connection loses nothing).

    `responses` is the whole form as it is now: a question it leaves out was cleared (every box unticked, the
    text deleted), so its saved answer goes too, or a reload would bring back what the learner took away.
    """
    if attempt.submitted_at is not None:
        return
    existing = {a.question_id: a for a in attempt.answers}
    for question_id, answer in existing.items():
        if question_id not in responses:
            attempt.answers.remove(answer)  # delete-orphan: the row goes
    for question_id, response in responses.items():
        stored = _storable(response)
        if question_id in existing:
            existing[question_id].response = stored
        else:
            attempt.answers.append(QuizAnswer(question_id=question_id, response=stored))
    attempt.enrolment.last_activity_at = utcnow()
    db.session.commit()


def _storable(response):
    if isinstance(response, (set, frozenset, tuple)):
        return sorted(response)
    if isinstance(response, dict):
        return {str(k): v for k, v in response.items()}
    return response


def submit_attempt(course: Course, module: Module, enrolment: Enrolment, attempt: QuizAttempt, responses: dict) -> bool:
    """Grade and close the attempt. True if this call submitted it; False if it was already submitted.

    The conditional UPDATE is what makes a double click or two racing requests record one attempt.
    """
    if attempt.submitted_at is not None:
        return False
    text = module.text(enrolment.content_language)
    result = grade_attempt(text.quiz, responses, course.pass_mark)
    snapshot = _snapshot(text, attempt.token, responses, result, show_answers=not module.graded)
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(
            submitted_at=utcnow(),
            score=result.score,
            max_score=result.max_score,
            percent=result.percent,
            passed=result.passed,
            result=snapshot,
            content_language=text.lang,
            content_hash=text.content_hash,
            course_version=course.version,
        )
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return False
    graded = {r.question_id: r for r in result.results}
    db.session.execute(QuizAnswer.__table__.delete().where(QuizAnswer.attempt_id == attempt.id))
    answers = []
    for question_id, response in responses.items():
        outcome = graded.get(question_id)
        answers.append(
            {
                "attempt_id": attempt.id,
                "question_id": question_id,
                "response": _storable(response),
                "score": outcome.score if outcome else None,
                "correct": outcome.correct if outcome and outcome.answered else None,
            }
        )
    if answers:  # one multi-row INSERT, without the ORM's bookkeeping for rows nobody reads in this request
        db.session.execute(QuizAnswer.__table__.insert(), answers)
    record_read(enrolment, module.slug)  # taking the quiz means the learner was on the page
    complete_if_done(course, enrolment)  # one commit: the attempt, its answers, the read module, completion
    return True


def _snapshot(text, token: str, responses: dict, result, *, show_answers: bool) -> dict:
    """The questions as shown and graded, kept with the attempt so later course edits never change it."""
    outcomes = {r.question_id: r for r in result.results}
    questions = []
    for question in text.quiz.questions:
        outcome = outcomes.get(question.id)
        questions.append(
            {
                "id": question.id,
                "type": question.type,
                "text_html": question.text_html,
                "your_answer": describe_response(question, token, responses.get(question.id)),
                "correct_answer": describe_correct(question) if show_answers else None,
                "answered": bool(outcome and outcome.answered),
                "score": outcome.score if outcome else 0.0,
                "correct": bool(outcome and outcome.correct),
                "feedback_html": list(outcome.feedback_html) if outcome else [],
                "general_feedback_html": question.general_feedback_html,
            }
        )
    return {
        "lang": text.lang,
        "title": text.title,
        "questions": questions,
        "percent": result.percent,
        "passed": result.passed,
        "score": result.score,
        "max_score": result.max_score,
    }


def describe_response(question: Question, token: str, response) -> list[str]:
    """The learner's answer as HTML snippets, for the result page."""
    if response is None:
        return []
    if question.type in CHOICE_TYPES:
        chosen = response if isinstance(response, (list, set, tuple, frozenset)) else [response]
        return [question.answers[i].text_html for i in sorted(chosen)]
    if question.type == "truefalse":
        return [_("True") if response else _("False")]
    if question.type == "matching":
        choices = question.match_choices
        return [
            f"{question.answers[i].text_html} → {_escape(choices[j])}"
            for i, j in sorted(dict(response).items(), key=lambda kv: int(kv[0]))
            if int(i) < len(question.answers) and j is not None and int(j) < len(choices)
        ]
    return [_escape(str(response))]


def describe_correct(question: Question) -> list[str]:
    if question.type in CHOICE_TYPES:
        return [a.text_html for a in question.answers if a.fraction > 0]
    if question.type == "truefalse":
        return [_("True") if question.answer else _("False")]
    if question.type == "matching":
        return [f"{a.text_html} → {_escape(a.match or '')}" for _i, a in question.pairs]
    if question.type in ("shortanswer", "numerical"):
        return [a.text_html or _escape(str(a.value)) for a in question.answers if a.fraction > 0][:3]
    return []


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


__all__ = ["AttemptsExhausted", "InvalidResponses", "open_attempt", "parse_form", "save_answers", "submit_attempt"]
