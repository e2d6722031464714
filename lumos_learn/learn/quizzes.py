"""Quiz attempts: open (or resume), save answers as the learner goes, submit once, and keep the result.

When an attempt opens, its questions are drawn (all of them for a quiz without a bank) and stored with the
answers' shuffled order (attempt_questions), so a reload or a lost connection shows the same paper. The
browser only ever sees answers in that order, numbered by position; the mapping back to the course file's
answers is read from the attempt. So nothing in the page tells which answer the author wrote first (usually
the right one). Attempts from before question banks have no stored draw: they ask every question, in the
order derived from their token, as they always did.

The attempt rules (content.attempt_rules) are checked when an attempt opens and again when it is submitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..content import (
    AttemptDecision,
    Course,
    InvalidResponses,
    Module,
    ModuleText,
    PastAttempt,
    Question,
    Quiz,
    answer_order,
    attempt_decision,
    draw_questions,
    missed_groups,
    parse_responses,
    review_level,
    shuffled_answer_order,
)
from ..extensions import db
from ..models import AttemptGrant, AttemptQuestion, Enrolment, QuizAnswer, QuizAttempt, new_token, utcnow
from .progress import TOUCH_ENROLMENT

CHOICE_TYPES = ("multichoice", "multianswer")


class AttemptBlocked(Exception):
    """The attempt rules do not allow an attempt now: `decision` says why and until when."""

    def __init__(self, decision: AttemptDecision):
        super().__init__(decision.reason)
        self.decision = decision


def display_order(question: Question, token: str) -> tuple[int, ...]:
    """The order of attempts that have no stored draw (opened before question banks)."""
    return shuffled_answer_order(question, f"{token}:{question.id}")


@dataclass(frozen=True)
class AttemptPaper:
    """What one attempt asks: its questions in order, and each question's answers in the order shown."""

    quiz: Quiz
    orders: dict[str, tuple[int, ...]]

    def order_of(self, question: Question) -> tuple[int, ...]:
        return self.orders.get(question.id) or tuple(range(len(question.answers)))


def attempt_paper(
    text: ModuleText, attempt: QuizAttempt, drawn: list[tuple[str, list | None]] | None = None
) -> AttemptPaper:
    """The attempt's paper in `text`'s language; `drawn` = its stored (question id, answer order) rows if loaded.
    Of `attempt` only the token is read when `drawn` is given (quiz_submit passes its OpenedAttempt)."""
    if drawn is None:
        drawn = [(row.question_id, row.answer_order) for row in attempt.questions]
    if not drawn:  # an attempt from before question banks: every question, orders from the token
        quiz = text.quiz
        return AttemptPaper(quiz, {q.id: display_order(q, attempt.token) for q in quiz.questions})
    quiz = text.quiz.subset(qid for qid, _order in drawn)
    sizes = {q.id: _order_size(q) for q in quiz.questions}
    orders = {}
    for qid, order in drawn:
        if qid in sizes and order is not None and sorted(order) == list(range(sizes[qid])):
            orders[qid] = tuple(order)
    return AttemptPaper(quiz, orders)


def _order_size(question: Question) -> int:
    return len(question.match_choices) if question.type == "matching" else len(question.answers)


def _to_canonical(paper: AttemptPaper, form: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Translate display positions in a submitted form to answer indices of the course file."""
    quiz = paper.quiz
    result: dict[str, list[str]] = {}
    for name, values in form.items():
        if not name.startswith("q-"):
            continue
        question = quiz.question(name[2:]) or _matching_question(quiz, name)
        if question is None or question.type not in (*CHOICE_TYPES, "matching"):
            result[name] = values
            continue
        order = paper.order_of(question)
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


def parse_form(paper: AttemptPaper, form: Mapping[str, list[str]]) -> dict:
    """Responses from a submitted quiz form, or InvalidResponses for anything a real form of this attempt
    cannot send (answers to questions that were not drawn for it among them)."""
    return parse_responses(paper.quiz, _to_canonical(paper, form))


def submitted_attempts(enrolment: Enrolment, module_slug: str) -> list[QuizAttempt]:
    return list(
        db.session.execute(
            select(QuizAttempt)
            .filter_by(enrolment_id=enrolment.id, module_slug=module_slug)
            .where(QuizAttempt.submitted_at.is_not(None))
            .order_by(QuizAttempt.submitted_at)
        ).scalars()
    )


def granted_attempts(enrolment: Enrolment, module_slug: str) -> int:
    return db.session.execute(
        select(func.count(AttemptGrant.id)).filter_by(enrolment_id=enrolment.id, module_slug=module_slug)
    ).scalar_one()


def decide(course: Course, module: Module, enrolment: Enrolment, at: datetime | None = None) -> AttemptDecision:
    """May this learner start an attempt at `at` (now)? (A submit checks the same rules in quiz_submit.py.)"""
    past = [PastAttempt(a.submitted_at, bool(a.passed)) for a in submitted_attempts(enrolment, module.slug)]
    return attempt_decision(course, module, past, granted_attempts(enrolment, module.slug), at or utcnow())


def review_of(course: Course, module: Module, enrolment: Enrolment) -> tuple[AttemptDecision, str]:
    """The attempt rules now, and how much of a submitted attempt the learner may see (content.review)."""
    past = submitted_attempts(enrolment, module.slug)
    history = [PastAttempt(a.submitted_at, bool(a.passed)) for a in past]
    decision = attempt_decision(course, module, history, granted_attempts(enrolment, module.slug), utcnow())
    passed = any(a.passed for a in past)
    return decision, review_level(course, module, passed=passed, attempts_left=decision.attempts_left)


def attempts_left(course: Course, module: Module, enrolment: Enrolment) -> int | None:
    """None for unlimited."""
    return decide(course, module, enrolment).attempts_left


def new_attempt(
    course: Course, module: Module, enrolment: Enrolment, seen: frozenset[str] = frozenset()
) -> QuizAttempt:
    """An attempt at a module's quiz in the enrolment's reading language, with its draw (not yet added to the
    session). `seen`: questions asked in the learner's earlier attempts, drawn last."""
    text = module.text(enrolment.content_language)
    attempt = QuizAttempt(
        token=new_token(),
        enrolment_id=enrolment.id,
        module_slug=module.slug,
        content_language=text.lang,
        content_hash=text.content_hash,
        course_version=course.version,
        graded=module.graded,
    )
    by_id = {q.id: q for q in text.quiz.questions}
    for position, question_id in enumerate(draw_questions(text, attempt.token, seen)):
        order = answer_order(by_id[question_id], attempt.token)
        attempt.questions.append(
            AttemptQuestion(position=position, question_id=question_id, answer_order=list(order) if order else None)
        )
    return attempt


def questions_seen(enrolment: Enrolment, module_slug: str) -> frozenset[str]:
    """Questions asked in the learner's earlier attempts at this quiz (drawn, or answered before banks)."""
    attempt_ids = select(QuizAttempt.id).filter_by(enrolment_id=enrolment.id, module_slug=module_slug)
    drawn = select(AttemptQuestion.question_id).where(AttemptQuestion.attempt_id.in_(attempt_ids))
    answered = select(QuizAnswer.question_id).where(QuizAnswer.attempt_id.in_(attempt_ids))
    return frozenset(db.session.execute(drawn.union(answered)).scalars())


def open_attempt(course: Course, module: Module, enrolment: Enrolment) -> QuizAttempt:
    """The attempt in progress for this quiz, or a new one. Raises AttemptBlocked when the rules say no."""
    query = select(QuizAttempt).filter_by(enrolment_id=enrolment.id, module_slug=module.slug, submitted_at=None)
    attempt = db.session.execute(query).scalar_one_or_none()
    if attempt is not None:
        return attempt
    decision = decide(course, module, enrolment)
    if not decision.allowed:
        raise AttemptBlocked(decision)
    attempt = new_attempt(course, module, enrolment, questions_seen(enrolment, module.slug))
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # another request opened it at the same moment: use theirs
        db.session.rollback()
        attempt = db.session.execute(query).scalar_one()
    return attempt


def restart_if_allowed(course: Course, module: Module, enrolment: Enrolment, attempt: QuizAttempt) -> bool:
    """An attempt in progress that the rules would not have let start then (opened before a rule applied):
    True, with its start moved to now, once the rules allow an attempt; False while they still do not."""
    if decide(course, module, enrolment, attempt.started_at).allowed:
        return True
    if not decide(course, module, enrolment).allowed:
        return False
    attempt.started_at = utcnow()
    db.session.commit()
    return True


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
        stored = storable(response)
        if question_id in existing:
            existing[question_id].response = stored
        else:
            attempt.answers.append(QuizAnswer(question_id=question_id, response=stored))
    db.session.execute(TOUCH_ENROLMENT, {"enrolment_id": attempt.enrolment_id, "now": utcnow()})
    db.session.commit()


def storable(response):
    if isinstance(response, (set, frozenset, tuple)):
        return sorted(response)
    if isinstance(response, dict):
        return {str(k): v for k, v in response.items()}
    return response


def snapshot(text: ModuleText, paper: AttemptPaper, responses: dict, result) -> dict:
    """The questions as shown and graded, kept with the attempt so later course edits never change it.

    It holds the key and the feedback: what of it a learner sees is decided when the page is shown
    (content.review), because a failed attempt's review opens up once the learner passes or runs out of attempts.
    """
    outcomes = {r.question_id: r for r in result.results}
    critical = text.critical_ids()
    questions = []
    for question in paper.quiz.questions:
        outcome = outcomes.get(question.id)
        questions.append(
            {
                "id": question.id,
                "type": question.type,
                "group": question.group,
                "critical": question.id in critical,
                "text_html": question.text_html,
                "your_answer": describe_response(question, responses.get(question.id)),
                "correct_answer": describe_correct(question),
                "answered": bool(outcome and outcome.answered),
                "score": outcome.score if outcome else 0.0,
                "correct": bool(outcome and outcome.correct),
                "feedback_html": list(outcome.feedback_html) if outcome else [],
                "general_feedback_html": question.general_feedback_html,
            }
        )
    objective = {g.id: g.objective for g in text.groups}
    by_id = {q.id: q for q in paper.quiz.questions}
    critical_groups = []
    for qid in result.failed_critical:
        group = by_id[qid].group if qid in by_id else ""
        if group not in critical_groups:
            critical_groups.append(group)
    return {
        "lang": text.lang,
        "title": text.title,
        "questions": questions,
        "percent": result.percent,
        "passed": result.passed,
        "score": result.score,
        "max_score": result.max_score,
        "right": sum(1 for r in result.results if r.correct and r.question_id in by_id and by_id[r.question_id].graded),
        "asked": sum(1 for q in paper.quiz.questions if q.graded),
        # what a learner who failed is told to revisit: the objectives of the groups with a wrong answer
        "missed_objectives": [objective[g] for g in missed_groups(text, result)],
        # must-pass questions answered wrongly: the objective of their group (or "" outside groups)
        "critical_objectives": [objective.get(g, "") for g in critical_groups],
        "module_objectives": list(text.objectives),
    }


def describe_response(question: Question, response) -> list[str]:
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


__all__ = ["AttemptBlocked", "InvalidResponses", "open_attempt", "parse_form", "save_answers"]
