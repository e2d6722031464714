"""Quiz questions kept per process (lumos_learn/learn/quiz_fragments.py) never carry one learner's state to another, nor
one language's words into another (the bound of the cache: tests/test_fragments.py)."""

from __future__ import annotations

import re

COURSE = "/en/courses/demo-course/"
QUIZ_LESSON = f"{COURSE}final-check/"


def enrol(client, lang="en"):
    return client.submit(f"{COURSE}enrol", {"content_language": lang}, page=COURSE)


def fieldset(html: str, question_id: str) -> str:
    return re.search(rf'<fieldset class="question" id="question-{question_id}".*?</fieldset>', html, re.S).group(0)


def save(client, html: str, **answers):
    return client.post(
        f"{QUIZ_LESSON}quiz",
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
            "token": re.search(r'name="token" value="([^"]+)"', html).group(1),
            "action": "save",
            **answers,
        },
        headers={"Accept": "application/json"},
    )


def test_a_saved_choice_is_shown_to_its_learner_only(app, client, learner, login_as, make_user):
    login_as(client, learner)
    enrol(client)
    other = app.test_client()
    login_as(other, make_user())
    enrol(other)
    mine = client.get(QUIZ_LESSON).get_data(as_text=True)
    theirs = other.get(QUIZ_LESSON).get_data(as_text=True)
    assert " checked" not in fieldset(mine, "demo-final-position")
    assert save(client, mine, **{"q-demo-final-position": "1"}).status_code == 200

    mine_after = client.get(QUIZ_LESSON).get_data(as_text=True)
    assert re.search(r'id="q-demo-final-position-1" value="1" checked', fieldset(mine_after, "demo-final-position"))
    assert " checked" not in fieldset(other.get(QUIZ_LESSON).get_data(as_text=True), "demo-final-position")
    assert " checked" not in fieldset(theirs, "demo-final-position")


def test_typed_answers_are_shown_back_and_not_shared(app, client, learner, login_as, make_user):
    login_as(client, learner)
    enrol(client)
    mine = client.get(QUIZ_LESSON).get_data(as_text=True)
    save(client, mine, **{"q-demo-final-call": "one one two"})
    assert 'value="one one two"' in fieldset(client.get(QUIZ_LESSON).get_data(as_text=True), "demo-final-call")
    other = app.test_client()
    login_as(other, make_user())
    enrol(other)
    assert 'value=""' in fieldset(other.get(QUIZ_LESSON).get_data(as_text=True), "demo-final-call")


def test_quiz_questions_follow_the_interface_language(client, learner, login_as):
    login_as(client, learner)
    enrol(client)
    english = fieldset(client.get(QUIZ_LESSON).get_data(as_text=True), "demo-final-position")
    romanian = fieldset(
        client.get("/ro/courses/demo-course/final-check/").get_data(as_text=True), "demo-final-position"
    )
    assert "Question 1 of" in english and "Question 1 of" not in romanian
