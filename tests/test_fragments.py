"""Parts of pages kept once per process (lumos_learn/fragments.py) never show one person's page to another: the
role's links, the session's sign-out token, the reading language and a visitor's links are each their own."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError
from support import CSRF_RE, ROOT

from lumos_learn import fragments
from lumos_learn.fragments import _Kept, fragment

COURSE = "/en/courses/demo-course/"
LESSON = f"{COURSE}positioning/"


def header(html: str) -> str:
    return re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)


def test_fragment_templates_see_only_what_their_caller_passes():
    """A kept fragment that read the request or the signed-in person would be served to everyone with its key."""
    personal = re.compile(r"\b(current_user|request|session|g\.|get_flashed_messages|config)\b")
    for path in sorted((ROOT / "templates" / "fragments").glob("*.html")):
        code = re.sub(r"{#.*?#}", "", path.read_text(), flags=re.S)  # comments may name them
        assert not personal.search(code), f"{path.name}: {personal.search(code).group(0)}"


def test_each_role_gets_its_own_navigation_and_each_session_its_own_sign_out_token(
    app, client, learner, make_user, login_as
):
    trainer_client, admin_client = app.test_client(), app.test_client()
    login_as(client, learner)
    login_as(trainer_client, make_user("trainer"))
    login_as(admin_client, make_user("admin"))
    anonymous = header(app.test_client().get(LESSON).get_data(as_text=True))
    pages = {
        "learner": header(client.get(LESSON).get_data(as_text=True)),
        "trainer": header(trainer_client.get(LESSON).get_data(as_text=True)),
        "admin": header(admin_client.get(LESSON).get_data(as_text=True)),
    }
    assert "Sign in" in anonymous and "Sign out" not in anonymous
    assert "Cohorts" not in pages["learner"] and "Administration" not in pages["learner"]
    assert "Cohorts" in pages["trainer"] and "Administration" not in pages["trainer"]
    assert "Cohorts" in pages["admin"] and "Administration" in pages["admin"]
    tokens = {role: CSRF_RE.search(html).group(1) for role, html in pages.items()}
    assert len(set(tokens.values())) == 3  # each session's own, though the rest of the header is kept
    assert fragments.CSRF_PLACEHOLDER not in "".join(pages.values())
    signed_out = client.post("/en/auth/logout", data={"csrf_token": tokens["learner"]})
    assert signed_out.status_code == 302
    assert "Sign in" in header(client.get(LESSON).get_data(as_text=True))
    refused = trainer_client.post("/en/auth/logout", data={"csrf_token": tokens["admin"]})
    assert refused.status_code == 400  # another session's token is no good here
    assert "Sign out" in header(trainer_client.get(LESSON).get_data(as_text=True))


def test_the_navigation_marks_the_current_page_and_the_language_links_point_to_this_page(client, learner, login_as):
    login_as(client, learner)
    catalogue = header(client.get("/en/courses/").get_data(as_text=True))
    lesson = header(client.get(LESSON).get_data(as_text=True))
    assert re.search(r'href="/en/courses/" aria-current="page"', catalogue)
    assert 'aria-current="page"' not in lesson
    assert 'href="/ro/courses/demo-course/positioning/"' in lesson
    assert 'href="/ro/courses/"' in catalogue and 'href="/ro/courses/demo-course/positioning/"' not in catalogue


def test_a_lesson_is_shown_in_each_learners_reading_language(app, client, learner, make_user, login_as):
    other = app.test_client()
    login_as(client, learner)
    login_as(other, make_user())
    client.submit(f"{COURSE}enrol", {"content_language": "ro"}, page=COURSE)
    other.submit(f"{COURSE}enrol", {"content_language": "en"}, page=COURSE)
    for _ in range(2):  # the second time from the kept fragments
        romanian = client.get(LESSON).get_data(as_text=True)
        english = other.get(LESSON).get_data(as_text=True)
        visitor = app.test_client().get(LESSON).get_data(as_text=True)
        assert "Poziționarea pentru masă" in romanian and "Poziționarea pentru masă" not in english
        # a job aid opens in the enrolment's language for a learner; a visitor's link names the language
        assert 'href="/en/courses/demo-course/aids/meal-record/"' in english
        assert 'href="/en/courses/demo-course/aids/meal-record/?content=en"' in visitor


def test_a_fragment_that_reads_a_value_its_caller_did_not_pass_fails_loudly(app):
    with app.test_request_context("/en/"), pytest.raises(UndefinedError):
        fragment("footer.html", ("a key without the value",))


def test_kept_fragments_are_bounded_and_the_least_recently_used_go_first():
    kept = _Kept(3)
    for n in range(3):
        kept.put(("page", n), f"<p>{n}</p>")
    assert kept.get(("page", 0)) == "<p>0</p>"  # now the most recently used
    kept.put(("page", 3), "<p>3</p>")
    assert kept.get(("page", 1)) is None  # the least recently used went
    assert [kept.get(("page", n)) for n in (0, 2, 3)] == ["<p>0</p>", "<p>2</p>", "<p>3</p>"]
    assert len(kept.entries) == 3


def test_someones_own_words_are_rendered_but_never_kept(app, client, learner, login_as):
    login_as(client, learner)
    client.submit(f"{COURSE}enrol", {"content_language": "en"}, page=COURSE)
    with app.app_context(), app.test_request_context("/en/"):
        before = fragments.kept_count()
    page = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    client.post(
        f"{COURSE}final-check/quiz",
        data={
            "csrf_token": CSRF_RE.search(page).group(1),
            "token": re.search(r'name="token" value="([^"]+)"', page).group(1),
            "action": "save",
            "q-demo-final-call": "my own words",
        },
    )
    assert 'value="my own words"' in client.get(f"{COURSE}final-check/").get_data(as_text=True)
    with app.test_request_context("/en/"):
        kept = app.extensions[fragments.EXTENSION].entries.values()
        assert not any("my own words" in html for html in kept)
        assert fragments.kept_count() > before


def test_each_learner_gets_their_own_attempt_token_in_a_kept_quiz_form(app, client, learner, make_user, login_as):
    from lumos_learn.extensions import db
    from lumos_learn.models import QuizAttempt

    other = app.test_client()
    login_as(client, learner)
    other_learner = make_user()
    login_as(other, other_learner)
    tokens = {}
    for who, browser in (("first", client), ("second", other)):
        browser.submit(f"{COURSE}enrol", {"content_language": "en"}, page=COURSE)
        for _ in range(2):  # the second time from the kept form
            page = browser.get(f"{COURSE}final-check/").get_data(as_text=True)
            assert "\x00" not in page
            tokens.setdefault(who, set()).add(re.search(r'name="token" value="([^"]+)"', page).group(1))
    with app.app_context():
        open_attempts = {a.token: a.enrolment.user_id for a in db.session.query(QuizAttempt).all()}
    (first,), (second,) = tokens["first"], tokens["second"]
    assert first != second
    assert open_attempts[first] == learner.id and open_attempts[second] == other_learner.id


def test_a_kept_quiz_form_is_the_same_draw_with_each_callers_token_put_in(app):
    from lumos_learn.course_library import library
    from lumos_learn.learn.quiz_fragments import quiz_form
    from lumos_learn.learn.quizzes import AttemptPaper

    with app.test_request_context("/en/courses/demo-course/final-check/"):
        course = library().get("demo-course")
        module = next(m for m in course.modules if m.slug == "final-check")
        text = module.text("en")
        paper = AttemptPaper(text.quiz, {})
        first = str(quiz_form(course, module, text, "token-of-A", {}, paper))
        kept = fragments.kept_count()
        second = str(quiz_form(course, module, text, "token<of>B", {}, paper))
        assert fragments.kept_count() == kept  # the second came from the kept form
    assert 'name="token" value="token-of-A"' in first
    assert 'name="token" value="token&lt;of&gt;B"' in second  # escaped like any value in a template
    assert first.replace("token-of-A", "token&lt;of&gt;B") == second


def test_the_language_links_follow_each_pages_query_string(client):
    """The other languages' addresses of a page are remembered per endpoint and arguments, query string included."""
    for _ in range(2):
        plain = header(client.get(LESSON).get_data(as_text=True))
        romanian = header(client.get(f"{LESSON}?content=ro").get_data(as_text=True))
        assert 'href="/fr/courses/demo-course/positioning/"' in plain
        assert 'href="/fr/courses/demo-course/positioning/?content=ro"' in romanian
        verify = header(client.get("/verify/?lang=en").get_data(as_text=True))
        assert 'href="/verify/?lang=fr"' in verify
