"""Assessments that certify, as a learner meets them: draws per attempt, reviews, attempt rules, must-pass questions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bank_course import (
    CHOKING,
    CHOKING_OBJECTIVE,
    TEXTURE,
    TEXTURE_OBJECTIVE,
    URL,
    answers,
    drawn_ids,
    feedback_text,
    right_text,
    write_bank_course,
)
from sqlalchemy import func, select
from test_learning_journey import quiz_token

from lumos_learn.content import load_library
from lumos_learn.models import AttemptQuestion, QuizAnswer, QuizAttempt, utcnow

FINAL = f"{URL}final/"


@pytest.fixture
def bank(app, tmp_path):
    """Use the bank course; returns a function that rewrites its rules (max attempts, waiting hours)."""

    def use(max_attempts: int = 3, wait_hours: int = 0):
        root = write_bank_course(
            tmp_path / f"courses-{max_attempts}-{wait_hours}", max_attempts=max_attempts, wait_hours=wait_hours
        )
        app.extensions["course_library"] = load_library(root)

    use()
    return use


@pytest.fixture
def taker(app, bank, learner, login_as):
    client = app.test_client()
    login_as(client, learner)
    client.submit(f"{URL}enrol", {"content_language": "en"}, page=URL)
    return client


def take(client, *, wrong=frozenset(), action="submit"):
    """Open the final, answer it (right except `wrong`), submit; returns (questions asked, response)."""
    page = client.get(FINAL).get_data(as_text=True)
    asked = drawn_ids(page)
    data = {
        "token": quiz_token(page),
        "action": action,
        **answers(page, wrong=set(wrong) | set()),
    }
    return asked, client.submit(f"{FINAL}quiz", data, page=FINAL)


def quiz_form(html: str) -> str:
    """The quiz form without its CSRF token (signed with a timestamp, so it changes from second to second)."""
    form = re.search(r'<form method="post" action="[^"]+/quiz".*?</form>', html, re.S).group(0)
    return re.sub(r'name="csrf_token" value="[^"]+"', "", form)


def open_attempt_rows(db):
    return db.session.execute(select(QuizAttempt).where(QuizAttempt.submitted_at.is_(None))).scalars().all()


def test_the_draw_covers_every_group_and_stays_the_same_on_reload(taker, db):
    first = taker.get(FINAL).get_data(as_text=True)
    assert "a wrong answer to one of them means the assessment is not passed" in first  # told before starting
    asked = drawn_ids(first)
    assert len([q for q in asked if q in CHOKING]) == 1 and len([q for q in asked if q in TEXTURE]) == 4
    assert asked[-1] == "reflect"  # reflections are always asked, after the drawn questions
    form = quiz_form(first)
    # a reload, or coming back after a lost connection, shows the same paper: questions and answer order
    again = taker.get(FINAL).get_data(as_text=True)
    assert quiz_form(again) == form
    (attempt,) = open_attempt_rows(db)
    rows = (
        db.session.execute(select(AttemptQuestion).filter_by(attempt_id=attempt.id).order_by(AttemptQuestion.position))
        .scalars()
        .all()
    )
    assert [r.question_id for r in rows] == asked
    # the stored order is the order shown: the right answer (index 1 in the file) sits where the page shows it
    for row in rows[:-1]:
        labels = re.findall(rf'id="q-{row.question_id}-\d+" value="\d+"[^>]*>\s*<label[^>]*>([^<]+)</label>', again)
        assert labels.index(right_text(row.question_id)) == row.answer_order.index(1)
    assert rows[-1].answer_order is None  # the reflection has no answers to shuffle
    # the key never reaches the browser before submit
    assert "Hint for" not in again


def test_the_shuffled_positions_are_graded_as_the_answers_shown(taker, db):
    asked, response = take(taker)
    assert response.status_code == 302
    attempt = db.session.execute(select(QuizAttempt)).scalar_one()
    assert (attempt.percent, attempt.passed) == (100.0, True)
    assert attempt.result["asked"] == 5 and [q["id"] for q in attempt.result["questions"]] == asked


def test_a_retake_draws_again_preferring_questions_not_seen(bank, taker):
    bank(max_attempts=0)
    papers = []
    for _ in range(3):
        asked, _response = take(taker, wrong=set(CHOKING))  # a wrong critical answer: failed, so a retake
        papers.append(set(asked) - {"reflect"})
    first, second, third = papers
    assert first.isdisjoint(second)  # 3 choking and 8 texture questions: the second attempt is all new
    choking = [p & set(CHOKING) for p in papers]
    assert choking[0] | choking[1] | choking[2] == set(CHOKING)  # every choking question asked once
    assert len(third & set(TEXTURE)) == 4 and len(third & set(CHOKING)) == 1


def test_a_submit_with_questions_not_in_the_draw_records_nothing(taker, db):
    page = taker.get(FINAL).get_data(as_text=True)
    asked = drawn_ids(page)
    other = next(q for q in TEXTURE if q not in asked)
    data = {"token": quiz_token(page), "action": "submit", **answers(page), f"q-{other}": "0"}
    response = taker.submit(f"{FINAL}quiz", data, page=FINAL)
    assert response.status_code == 400
    assert "did not match the questions of this attempt. Nothing was recorded" in response.get_data(as_text=True)
    response = taker.submit(f"{FINAL}quiz", {**data, "action": "save"}, page=FINAL)
    assert response.status_code == 400
    (attempt,) = open_attempt_rows(db)
    assert attempt.submitted_at is None
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 0


def test_a_failed_final_shows_the_score_and_missed_objectives_never_the_key(taker, db):
    _asked, response = take(taker, wrong=set(asked_texture(taker)))
    page = taker.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet: the pass mark is 80%." in page and "What to revisit" in page
    assert TEXTURE_OBJECTIVE in page and CHOKING_OBJECTIVE not in page
    for qid in CHOKING + TEXTURE:
        assert right_text(qid) not in page
        assert feedback_text(qid) not in page
    assert "once you have passed this assessment or used your last attempt" in page


def asked_texture(client):
    """The texture questions of the attempt the final page opens (the next take answers them wrongly)."""
    return [q for q in drawn_ids(client.get(FINAL).get_data(as_text=True)) if q in TEXTURE][:2]


def test_the_full_review_opens_once_passed(taker, db):
    _asked, failed = take(taker, wrong=set(asked_texture(taker)))
    failed_url = failed.headers["Location"]
    take(taker)
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.passed)) == 1
    page = taker.get(failed_url).get_data(as_text=True)
    assert "The right answer:" in page
    attempt = db.session.execute(select(QuizAttempt).order_by(QuizAttempt.id)).scalars().first()
    for question in attempt.result["questions"]:
        if question["type"] != "essay":
            assert right_text(question["id"]) in page  # the key of every question of the failed attempt


def test_the_full_review_opens_after_the_last_allowed_attempt(bank, taker, db):
    bank(max_attempts=2)
    take(taker, wrong=set(CHOKING))
    _asked, last = take(taker, wrong=set(CHOKING))
    page = taker.get(last.headers["Location"]).get_data(as_text=True)
    assert "The right answer:" in page and "Try again" not in page
    lesson = taker.get(FINAL).get_data(as_text=True)
    assert "You have used all your attempts" in lesson and 'name="token"' not in lesson
    assert not open_attempt_rows(db)


def test_a_wrong_critical_answer_fails_whatever_the_score(taker, db):
    _asked, response = take(taker, wrong=set(CHOKING))
    attempt = db.session.execute(select(QuizAttempt)).scalar_one()
    assert attempt.percent == 80.0 and attempt.passed is False  # 4 of 5: the pass mark, but a must-pass was wrong
    page = taker.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet: a must-pass question was not answered right." in page
    assert "A must-pass question was not answered right" in page and CHOKING_OBJECTIVE in page


def test_max_attempts_are_enforced_on_start(bank, taker, db):
    bank(max_attempts=1)
    take(taker, wrong=set(CHOKING))
    lesson = taker.get(FINAL).get_data(as_text=True)
    assert "You have used all your attempts" in lesson
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_the_waiting_time_is_enforced_on_start_and_on_submit(bank, taker, db):
    bank(max_attempts=3, wait_hours=24)
    assert "the next one can start 24 hours later" in taker.get(FINAL).get_data(as_text=True)
    _asked, failed = take(taker, wrong=set(CHOKING))
    result = taker.get(failed.headers["Location"]).get_data(as_text=True)
    assert "You can take this assessment again in" in result and "Try again" not in result
    lesson = taker.get(FINAL).get_data(as_text=True)
    assert "You can take this assessment again in 24 hours" in lesson and 'name="token"' not in lesson
    # On the learner's own clock (their time-zone setting), with the zone named.
    assert re.search(r'<time datetime="[^"]+">[^<]+\([^)]+\)</time>', lesson)
    assert not open_attempt_rows(db)  # nothing opened while the learner waits
    # a day later the next attempt opens
    first = db.session.execute(select(QuizAttempt)).scalar_one()
    first.submitted_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    page = taker.get(FINAL).get_data(as_text=True)
    assert 'name="token"' in page
    # an attempt the rules would not have let start (here: its failed predecessor was only an hour earlier)
    first = db.session.execute(select(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))).scalar_one()
    first.submitted_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    data = {"token": quiz_token(page), "action": "submit", **answers(page)}
    response = taker.submit(f"{FINAL}quiz", data, page=f"{URL}lesson/")
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "nothing was recorded" in text and "You can take this assessment again in" in text
    (still_open,) = open_attempt_rows(db)
    assert still_open.submitted_at is None and still_open.percent is None
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer).filter_by(attempt_id=still_open.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 2
    # the lesson page does not offer that attempt while the rule says wait...
    lesson = taker.get(FINAL).get_data(as_text=True)
    assert "You can take this assessment again in" in lesson and 'name="token"' not in lesson
    # ...and resumes it, with its draw, once the wait is over; its start moves to now, so a submit is allowed
    first.submitted_at = utcnow() - timedelta(hours=25)
    still_open.started_at = utcnow() - timedelta(hours=2)  # still before the end of the wait (1 hour ago)
    db.session.commit()
    lesson = taker.get(FINAL).get_data(as_text=True)
    assert quiz_token(lesson) == still_open.token
    db.session.expire_all()
    assert db.session.get(QuizAttempt, still_open.id).started_at > utcnow() - timedelta(minutes=5)
    data = {"token": still_open.token, "action": "submit", **answers(lesson)}
    assert taker.submit(f"{FINAL}quiz", data, page=f"{URL}lesson/").status_code == 302


def test_practice_checks_keep_their_full_review(app, client, learner, login_as, db):
    """The test course's module check (ungraded) still shows every answer and the feedback."""
    from test_learning_journey import COURSE, enrol

    login_as(client, learner)
    enrol(client)
    page = client.get(f"{COURSE}positioning/").get_data(as_text=True)
    response = client.submit(
        f"{COURSE}positioning/quiz", {"token": quiz_token(page), "action": "submit"}, page=f"{COURSE}positioning/"
    )
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The right answer:" in result


def test_an_attempt_opened_before_question_banks_asks_every_question_as_before(app, client, learner, login_as, db):
    """An attempt in progress from before the migration has no stored draw: all questions, token order."""
    from test_learning_journey import COURSE, enrol, final_answers

    from lumos_learn.models import Enrolment

    login_as(client, learner)
    enrol(client)
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    old = QuizAttempt(
        token="token-from-before-banks",
        enrolment_id=enrolment.id,
        module_slug="final-check",
        content_language="en",
        content_hash="old",
        course_version="1.0",
        graded=True,
    )
    old.answers.append(QuizAnswer(question_id="demo-final-number", response="90"))
    db.session.add(old)
    db.session.commit()
    page = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    assert quiz_token(page) == "token-from-before-banks"
    assert drawn_ids(page) == [
        "demo-final-position",
        "demo-final-signs",
        "demo-final-number",
        "demo-final-call",
        "demo-final-match",
    ]
    assert 'value="90"' in page  # the answer saved before the migration
    data = {"token": quiz_token(page), "action": "submit", **final_answers(page, right=True)}
    assert client.submit(f"{COURSE}final-check/quiz", data, page=f"{COURSE}final-check/").status_code == 302
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, old.id)
    assert (attempt.percent, attempt.passed) == (100.0, True)
    assert db.session.scalar(select(func.count()).select_from(AttemptQuestion)) == 0
