"""A revisited lesson page is a 304, and a 304 never shows a learner a page that has changed since."""

from __future__ import annotations

import re

from sqlalchemy import select

from lumos_learn.models import QuizAttempt

COURSE = "/en/courses/demo-course/"
LESSON = f"{COURSE}positioning/"
QUIZ_LESSON = f"{COURSE}final-check/"


def revisit(client, url, response, **headers):
    return client.get(url, headers={"If-None-Match": response.headers["ETag"], **headers})


def enrol(client, lang="en"):
    return client.submit(f"{COURSE}enrol", {"content_language": lang}, page=COURSE)


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_anonymous_lesson_is_public_and_revalidates_to_304(client):
    first = client.get(LESSON)
    assert first.status_code == 200
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in first.headers["Vary"]

    again = revisit(client, LESSON, first)
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]

    by_date = client.get(LESSON, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304


def test_anonymous_etag_depends_on_interface_and_reading_language(client):
    english = client.get(LESSON)
    assert revisit(client, "/ro/courses/demo-course/positioning/", english).status_code == 200
    in_romanian = revisit(client, f"{LESSON}?content=ro", english)
    assert in_romanian.status_code == 200
    assert "Poziționarea pentru masă" in in_romanian.get_data(as_text=True)


def test_signed_in_lesson_is_private_and_revalidates_to_304(client, learner, login_as):
    login_as(client, learner)
    enrol(client)
    first = client.get(QUIZ_LESSON)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Last-Modified" not in first.headers  # a date cannot tell every personal change; the ETag can
    again = revisit(client, QUIZ_LESSON, first)
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == "private, no-cache"
    # the quiz form of the cached page still works: the attempt and the session are the same
    assert token_of(first.get_data(as_text=True)) == token_of(client.get(QUIZ_LESSON).get_data(as_text=True))


def test_reading_a_module_changes_the_page(client, learner, login_as):
    login_as(client, learner)
    enrol(client)
    before = client.get(LESSON)
    assert "You have read this module" not in before.get_data(as_text=True)
    client.submit(f"{LESSON}read", page=LESSON)
    after = revisit(client, LESSON, before)
    assert after.status_code == 200
    assert "You have read this module" in after.get_data(as_text=True)


def test_saved_answers_and_submitted_attempts_change_the_page(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    shown = client.get(QUIZ_LESSON)
    html = shown.get_data(as_text=True)
    client.post(
        f"{QUIZ_LESSON}quiz",
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
            "token": token_of(html),
            "action": "save",
            "q-demo-final-number": "77",
        },
        headers={"Accept": "application/json"},
    )
    after_save = revisit(client, QUIZ_LESSON, shown)
    assert after_save.status_code == 200
    assert 'value="77"' in after_save.get_data(as_text=True)

    client.submit(
        f"{QUIZ_LESSON}quiz",
        {"token": token_of(html), "action": "submit", "q-demo-final-number": "77"},
        page=QUIZ_LESSON,
    )
    after_submit = revisit(client, QUIZ_LESSON, after_save)
    page = after_submit.get_data(as_text=True)
    assert after_submit.status_code == 200
    assert "You have submitted 1 attempt" in page
    assert token_of(page) != token_of(html)  # a fresh attempt: the old token is spent
    assert db.session.execute(select(QuizAttempt).filter_by(token=token_of(page))).scalar_one().submitted_at is None


def test_changing_the_reading_language_changes_the_page(client, learner, login_as):
    login_as(client, learner)
    enrol(client)
    english = client.get(LESSON)
    client.submit(f"{COURSE}content-language", {"content_language": "ro"}, page=COURSE)
    romanian = revisit(client, LESSON, english)
    assert romanian.status_code == 200
    assert 'lang="ro"' in romanian.get_data(as_text=True)


def test_another_learner_or_another_session_never_gets_a_304(app, client, learner, login_as, make_user):
    login_as(client, learner)
    enrol(client)
    mine = client.get(LESSON)
    other_browser = app.test_client()
    login_as(other_browser, make_user())
    enrol(other_browser)
    assert revisit(other_browser, LESSON, mine).status_code == 200
    same_learner_new_session = app.test_client()
    login_as(same_learner_new_session, learner)
    assert revisit(same_learner_new_session, LESSON, mine).status_code == 200
    anonymous = app.test_client()
    assert revisit(anonymous, LESSON, mine).status_code == 200
    assert revisit(client, LESSON, anonymous.get(LESSON)).status_code == 200


def test_a_waiting_message_is_shown_not_revalidated_away(client, learner, login_as):
    login_as(client, learner)
    enrol(client)
    shown = client.get(QUIZ_LESSON)
    client.submit(
        f"{QUIZ_LESSON}quiz",
        {"token": token_of(shown.get_data(as_text=True)), "action": "save", "q-demo-final-number": "90"},
        page=QUIZ_LESSON,
    )
    with_message = client.get(QUIZ_LESSON, headers={"If-None-Match": shown.headers["ETag"]})
    assert with_message.status_code == 200
    assert "Your answers have been saved" in with_message.get_data(as_text=True)
    assert with_message.headers["Cache-Control"] == "no-store"


def test_compressed_lesson_revalidates_whatever_the_encoding(client):
    brotli = client.get(LESSON, headers={"Accept-Encoding": "br"})
    assert brotli.headers["Content-Encoding"] == "br"
    assert revisit(client, LESSON, brotli, **{"Accept-Encoding": "gzip"}).status_code == 304
    gzip = client.get(LESSON, headers={"Accept-Encoding": "gzip"})
    assert gzip.headers["ETag"] == brotli.headers["ETag"]
    assert revisit(client, LESSON, gzip, **{"Accept-Encoding": "br"}).status_code == 304
