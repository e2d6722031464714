"""No review page of a failed graded final hands out the key: every shipped course, in every language.

A learner fails each shipped final (every answer they give is a wrong one) and opens the review of that
attempt, as the issue's tester did; its HTML must contain none of the keyed answers' texts, nor any per-answer
or general feedback of the final's questions (drawn or not).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from support import ROOT
from test_learning_journey import quiz_token

from lumos_learn.course_library import load_cached
from lumos_learn.models import AttemptQuestion, QuizAttempt

LIBRARY = load_cached(ROOT / "courses")
FINALS = [(c.slug, lang) for c in LIBRARY.courses for lang in c.languages]


def wrong_answers(paper_rows, text) -> dict:
    """Form data answering every drawn question wrongly, by the positions the page shows."""
    data = {}
    for row in paper_rows:
        question = text.quiz.question(row.question_id)
        field = f"q-{question.id}"
        if question.type in ("multichoice", "multianswer"):
            wrong = next(i for i, a in enumerate(question.answers) if a.fraction <= 0)
            data[field] = str(row.answer_order.index(wrong))
        elif question.type == "truefalse":
            data[field] = "false" if question.answer else "true"
        elif question.type in ("shortanswer", "numerical"):
            data[field] = "-987654"
    return data


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize(("slug", "lang"), FINALS)
def test_the_review_of_a_failed_final_does_not_contain_the_key(app, client, learner, login_as, db, slug, lang):
    app.extensions["course_library"] = LIBRARY
    course = LIBRARY.get(slug)
    (final,) = course.graded_modules
    text = final.text(lang)
    login_as(client, learner)
    client.submit(f"/en/courses/{slug}/enrol", {"content_language": lang}, page=f"/en/courses/{slug}/")
    lesson_url = f"/en/courses/{slug}/{final.slug}/"
    page = client.get(lesson_url).get_data(as_text=True)
    attempt = db.session.execute(select(QuizAttempt)).scalar_one()
    rows = (
        db.session.execute(select(AttemptQuestion).filter_by(attempt_id=attempt.id).order_by(AttemptQuestion.position))
        .scalars()
        .all()
    )
    data = {"token": quiz_token(page), "action": "submit", **wrong_answers(rows, text)}
    response = client.submit(f"{lesson_url}quiz", data, page=lesson_url)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).passed is False
    review = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Not passed yet" in review
    checked = 0
    for question in text.quiz.questions:
        keys = []
        if question.type in ("multichoice", "multianswer", "shortanswer"):
            keys = [a.text_html for a in question.answers if a.fraction > 0]
        elif question.type == "matching":
            keys = [f"{a.text_html} → {a.match}" for _i, a in question.pairs]
        for key in keys:
            assert visible_text(key) not in review, f"{question.id}: the key {key!r} is on the review page"
            checked += 1
        for answer in question.answers:
            if answer.feedback_html:
                assert visible_text(answer.feedback_html) not in review, f"{question.id}: feedback shown"
        if question.general_feedback_html:
            assert visible_text(question.general_feedback_html) not in review
    assert checked >= len(text.quiz.graded_questions) // 2  # the check looked at real keys
