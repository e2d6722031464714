"""The learner's journey through the test course `demo-course` (tests/data/courses)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from lumos_learn.models import ConfidenceRating, Enrolment, ModuleProgress, QuizAnswer, QuizAttempt

COURSE = "/en/courses/demo-course/"


def quiz_token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def position_of(html: str, field: str, answer_text: str) -> str:
    """The value the form uses for the answer whose label is `answer_text` (positions are shuffled)."""
    match = re.search(
        rf'name="{field}" id="[^"]+" value="(\d+)"[^>]*>\s*<label[^>]*>{re.escape(answer_text)}</label>', html
    )
    assert match, f"{answer_text!r} not offered for {field}"
    return match.group(1)


def option_value(html: str, field: str, text: str) -> str:
    select_html = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(rf'<option value="(\d+)"[^>]*>{re.escape(text)}</option>', select_html).group(1)


def enrol(client, lang="en"):
    return client.submit(f"{COURSE}enrol", {"content_language": lang}, page=COURSE)


def final_answers(html: str, *, right: bool) -> dict:
    if not right:
        return {
            "q-demo-final-position": position_of(html, "q-demo-final-position", "Lying flat"),
            "q-demo-final-number": "45",
        }
    return {
        "q-demo-final-position": position_of(html, "q-demo-final-position", "Upright"),
        "q-demo-final-signs": [
            position_of(html, "q-demo-final-signs", "Coughing"),
            position_of(html, "q-demo-final-signs", "A wet, gurgly voice"),
        ],
        "q-demo-final-number": "88,5",
        "q-demo-final-call": " 112 ",
        "q-demo-final-match-0": option_value(html, "q-demo-final-match-0", "Level 0"),
        "q-demo-final-match-1": option_value(html, "q-demo-final-match-1", "Level 1"),
        "q-demo-final-match-2": option_value(html, "q-demo-final-match-2", "Level 4"),
    }


def test_full_journey_enrol_read_fail_pass_complete(client, learner, login_as, db):
    login_as(client, learner)
    response = enrol(client)
    assert response.headers["Location"] == f"{COURSE}confidence/before"
    # Rate confidence before the course.
    client.submit(f"{COURSE}confidence/before", {"c-position-safely": "2", "c-spot-danger": "1", "action": "save"})
    assert db.session.scalar(select(func.count()).select_from(ConfidenceRating)) == 2

    course_page = client.get(COURSE).get_data(as_text=True)
    assert "Start the course" in course_page and "Not read yet" in course_page

    # Module 1: read it, which leads on to the next module.
    response = client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    assert response.headers["Location"] == f"{COURSE}final-check/"

    # The final check: fail first.
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    token = quiz_token(lesson)
    response = client.submit(
        f"{COURSE}final-check/quiz",
        {"token": token, "action": "submit", **final_answers(lesson, right=False)},
        page=f"{COURSE}final-check/",
    )
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet" in result and "You scored 0%" in result
    assert db.session.get(Enrolment, 1).completed_at is None

    # Then pass it with a new attempt (a new token).
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    assert quiz_token(lesson) != token
    response = client.submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)},
        page=f"{COURSE}final-check/",
    )
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You scored 100%" in result and "Passed" in result
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    assert enrolment.completed_at is not None and enrolment.course_version_completed == "1.0"

    # Completion asks for confidence again and shows the change.
    completed = client.get(f"{COURSE}completed").get_data(as_text=True)
    assert "Rate your confidence now" in completed
    client.submit(f"{COURSE}confidence/after", {"c-position-safely": "5", "c-spot-danger": "4", "action": "save"})
    completed = client.get(f"{COURSE}completed").get_data(as_text=True)
    assert "+3" in completed and "+3" in completed

    dashboard = client.get("/en/dashboard/").get_data(as_text=True)
    assert "Safe mealtimes" in dashboard and "No completed courses yet" not in dashboard


def test_answer_key_never_reaches_the_browser(client, learner, login_as):
    login_as(client, learner)
    enrol(client)
    html = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    for secret in ("Right.", "fraction", "correct", "Yes.", "Level 0 </", "#90"):
        assert secret not in html
    # Feedback written for answers is not in the page before submitting.
    assert "smiling is not a warning sign" not in html


def test_answer_order_is_shuffled_per_attempt_and_stable_on_reload(client, learner, login_as, make_user, app):
    login_as(client, learner)
    enrol(client)
    first = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    again = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    assert quiz_token(first) == quiz_token(again)
    labels = lambda html: re.findall(r'<label for="q-demo-final-position-\d">([^<]+)</label>', html)  # noqa: E731
    assert labels(first) == labels(again)
    orders = set()
    for _ in range(6):
        other = app.test_client()
        login_as(other, make_user())
        enrol(other)
        orders.add(tuple(labels(other.get(f"{COURSE}final-check/").get_data(as_text=True))))
    assert len(orders) > 1


def test_double_submit_records_one_attempt(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    data = {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)}
    first = client.submit(f"{COURSE}final-check/quiz", data, page=f"{COURSE}positioning/")
    second = client.submit(f"{COURSE}final-check/quiz", data, page=f"{COURSE}positioning/")
    assert first.headers["Location"] == second.headers["Location"]
    submitted = db.session.scalar(
        select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))
    )
    assert submitted == 1


def test_saved_answers_survive_a_reload(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    value = position_of(lesson, "q-demo-final-position", "Upright")
    client.submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "save", "q-demo-final-position": value, "q-demo-final-call": "112"},
        page=f"{COURSE}final-check/",
    )
    reloaded = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    assert f'value="{value}" checked' in reloaded and 'value="112"' in reloaded
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 2


def test_autosave_as_the_script_sends_it_answers_json_and_keeps_the_answers(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    value = position_of(lesson, "q-demo-final-position", "Upright")
    # What static/js/quiz.js sends: the form's fields, action=save, to the form's action, asking for JSON.
    action = re.search(r'<form method="post" action="([^"]+)"[^>]*id="quiz-form"', lesson).group(1)
    saved = client.submit(
        action,
        {"token": quiz_token(lesson), "action": "save", "q-demo-final-position": value},
        page=f"{COURSE}final-check/",
        headers={"Accept": "application/json"},
    )
    assert saved.status_code == 200 and saved.get_json() == {"saved": 1}
    reloaded = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    assert f'value="{value}" checked' in reloaded
    assert (
        db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None)))
        == 0
    )


def test_an_answer_cleared_after_saving_stays_cleared(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    value = position_of(lesson, "q-demo-final-position", "Upright")
    fields = {"token": quiz_token(lesson), "action": "save", "q-demo-final-position": value}
    client.submit(f"{COURSE}final-check/quiz", {**fields, "q-demo-final-call": "112"}, page=f"{COURSE}final-check/")
    # The learner deletes the number they typed; the next save sends the form without it.
    client.submit(f"{COURSE}final-check/quiz", {**fields, "q-demo-final-call": ""}, page=f"{COURSE}final-check/")
    reloaded = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    assert f'value="{value}" checked' in reloaded and 'value="112"' not in reloaded
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 1


def test_tampered_quiz_posts_get_400_and_record_nothing(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    token = quiz_token(lesson)
    cases = [
        {"token": "forged-token", "action": "submit"},
        {"token": token, "action": "submit", "q-no-such-question": "1"},
        {"token": token, "action": "submit", "q-demo-final-position": "7"},
        {"token": token, "action": "submit", "q-demo-final-position": "abc"},
        {"token": token, "action": "submit", "q-demo-final-match-9": "0"},
        {"token": token, "action": "submit", "q-demo-final-call": "x" * 6000},
    ]
    for data in cases:
        response = client.submit(f"{COURSE}final-check/quiz", data, page=f"{COURSE}final-check/")
        assert response.status_code == 400, data
    assert (
        db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None)))
        == 0
    )
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 0


def test_unknown_course_module_or_not_enrolled_is_404(client, learner, login_as):
    login_as(client, learner)
    assert client.get("/en/courses/no-such-course/").status_code == 404
    assert client.get(f"{COURSE}no-such-module/").status_code == 404
    response = client.submit(f"{COURSE}final-check/quiz", {"token": "x", "action": "submit"}, page=COURSE)
    assert response.status_code == 404


def test_reading_in_another_language_keeps_progress(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client, lang="ro")
    html = client.get(f"{COURSE}positioning/").get_data(as_text=True)
    assert '<article class="lesson" lang="ro">' in html and "Poziționarea pentru masă" in html
    client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    client.submit(f"{COURSE}content-language", {"content_language": "en"}, page=COURSE)
    html = client.get(COURSE).get_data(as_text=True)
    assert "Positioning for meals" in html and "You have read" not in html  # badge shown on lesson page
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 1


def test_interface_language_and_content_language_are_independent(client, learner, login_as):
    login_as(client, learner)
    enrol(client, lang="ro")
    html = client.get("/uk/courses/demo-course/positioning/").get_data(as_text=True)
    assert '<html lang="uk"' in html and '<article class="lesson" lang="ro">' in html
