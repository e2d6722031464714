"""A course saved for offline use, in Chromium: it opens without a network, answers given offline are recorded
exactly once when the network returns, and a new course version replaces the saved copy.

These tests run their own server over a copy of the test course, because the last one changes the course's
version and restarts that server (each browser context keeps its own service worker and caches).
"""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest
from browser_checks import PAGE_PROBLEMS, axe_violations
from conftest import sign_in
from demo_journey import FINAL
from e2e_config import PEOPLE, ROOT
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
COURSE = "/en/courses/demo-course/"
ALL_SENT = "() => JSON.parse(localStorage.getItem('lumos-offline-queue') || '[]').every(i => i.state === 'sent')"


@pytest.fixture(scope="module")
def offline_site(site, tmp_path_factory):
    courses = tmp_path_factory.mktemp("offline-courses")
    shutil.copytree(ROOT / "tests" / "data" / "courses" / "demo-course", courses / "demo-course")
    server = type(site)("offline", courses, tmp_path_factory.mktemp("e2e-offline")).start()
    yield server
    server.stop()


@pytest.fixture
def learner_page(browser, browser_context_args, offline_site):
    context = browser.new_context(**{**browser_context_args, "base_url": offline_site.url})
    page = context.new_page()
    problems = []
    context.online = True  # offline, a failed request is what the test asks for
    context.expected_failures = []  # URLs a test expects to be refused

    def failed(response):
        if response.status >= 400 and context.online:
            if any(url in response.url for url in context.expected_failures):
                return
            problems.append(f"{response.status} {response.url}")

    def console(message):
        # "Failed to load resource" repeats a response that `failed` has judged, with its URL
        if message.type == "error" and context.online and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", failed)
    yield page
    context.close()
    assert not problems, problems


def go_offline(page, offline: bool) -> None:
    if offline:
        # The service worker asks the network first: while offline those fetches fail, by design, and it answers
        # from the saved copy. Any other failure still fails the test.
        PAGE_PROBLEMS.expect(r"^failed GET \S+ \(fetch\): net::ERR_INTERNET_DISCONNECTED$")
    page.context.online = not offline
    page.context.set_offline(offline)


def enrol(page, email: str) -> None:
    sign_in(page, email)
    page.goto(COURSE)
    if page.locator(f'main form[action$="{COURSE}enrol"]').count():
        page.locator("#content_language").select_option("en")
        with page.expect_navigation():
            page.locator(f'main form[action$="{COURSE}enrol"] button').click()
        page.goto(COURSE)


def enrol_and_save(page, email: str) -> dict:
    enrol(page, email)
    panel = page.locator("#offline-panel")
    expect(panel).to_be_visible()
    save = panel.locator("button[data-action=save]")
    expect(save).to_have_text(re.compile(r"Save for offline use \(\d+\.\d MB\)"))
    save.click()
    expect(panel.locator(".offline-status")).to_contain_text(
        "Saved on this device: version 1.0 in English", timeout=30_000
    )
    expect(panel.locator(".offline-status")).to_contain_text("All saved courses take")
    expect(panel.locator("button[data-action=remove]")).to_be_visible()
    expect(save).to_be_hidden()
    return page.evaluate(f"() => fetch('{COURSE}offline.json').then(r => r.json())")


def attempts(server, email: str, module: str) -> list[tuple]:
    with sqlite3.connect(server.folder / "e2e.db") as connection:
        return connection.execute(
            "SELECT a.token, a.passed FROM quiz_attempts a JOIN enrolments e ON e.id = a.enrolment_id "
            "JOIN users u ON u.id = e.user_id WHERE u.email = ? AND a.module_slug = ? AND a.submitted_at IS NOT NULL",
            (email, module),
        ).fetchall()


def modules_read(server, email: str) -> set[str]:
    with sqlite3.connect(server.folder / "e2e.db") as connection:
        rows = connection.execute(
            "SELECT p.module_slug FROM module_progress p JOIN enrolments e ON e.id = p.enrolment_id "
            "JOIN users u ON u.id = e.user_id WHERE u.email = ?",
            (email,),
        ).fetchall()
    return {row[0] for row in rows}


def test_saved_course_opens_offline_and_answers_are_recorded_once_back_online(learner_page, offline_site):
    page = learner_page
    email = PEOPLE["learner"][0]
    manifest = enrol_and_save(page, email)
    assert manifest["bytes"] < 1_500_000
    assert axe_violations(page) == []  # the panel as it shows a saved copy

    go_offline(page, True)
    for saved in manifest["pages"]:
        response = page.goto(saved["url"])
        assert response is not None and response.ok, saved["url"]
        expect(page.locator("main h1").first).to_be_visible()
        if saved["title"]:
            expect(page.locator("main h1").first).to_have_text(saved["title"])
        assert page.locator("link[rel=stylesheet]").first.evaluate("l => l.sheet !== null")  # the CSS came too
    page.goto(f"{COURSE}positioning/")
    assert page.locator("article.lesson img").evaluate("img => img.complete && img.naturalWidth > 0")

    # A page that was not saved: the offline page, in English, listing what is saved
    page.goto("/en/courses/")
    expect(page.locator("main h1")).to_have_text("You are offline")
    expect(page.locator("#offline-pages")).to_contain_text("Safe mealtimes: a short test course")
    expect(page.locator(f'#offline-pages a[href="{COURSE}aids/meal-record/"]')).to_be_visible()
    assert axe_violations(page) == []

    # Mark the first module as read and answer the final assessment, both offline
    page.goto(f"{COURSE}positioning/")
    page.locator("form.lesson-done button").click()
    expect(page.locator("form.lesson-done .offline-kept")).to_be_visible()
    page.goto(f"{COURSE}final-check/")
    token = page.locator("#quiz-form input[name=token]").input_value()
    answer_final_offline(page)
    expect(page.locator("#quiz-form .offline-kept")).to_contain_text("kept on this device")
    queue = page.locator("#offline-queue")
    expect(queue).to_contain_text("Waiting to be sent")
    expect(queue.locator("li")).to_have_count(2)
    assert attempts(offline_site, email, "final-check") == []

    go_offline(page, False)
    page.wait_for_function(ALL_SENT, timeout=30_000)
    expect(queue.locator('li[data-state="sent"]')).to_have_count(2)
    expect(queue.locator("a", has_text="See the result")).to_be_visible()
    # Sent: the form no longer says its answers wait for the connection (it did, beside the "sent" list)
    expect(page.locator("#quiz-form .offline-kept")).to_have_count(0)
    assert axe_violations(page) == []  # the list of what was waiting
    assert attempts(offline_site, email, "final-check") == [(token, 1)]
    assert "positioning" in modules_read(offline_site, email)

    # The same answers sent again (a second tab, a retry): still one attempt
    page.evaluate(
        """([action, fields]) => { localStorage.setItem('lumos-offline-queue', JSON.stringify([{id: 'again',
           kind: 'quiz', action, page: location.pathname, title: 'again', fields, state: 'waiting'}]));
           window.dispatchEvent(new Event('online')); }""",
        [f"{COURSE}final-check/quiz", [["csrf_token", "stale"], ["token", token], ["action", "submit"]]],
    )
    page.wait_for_function(ALL_SENT, timeout=30_000)
    assert attempts(offline_site, email, "final-check") == [(token, 1)]

    # Signing out removes the saved copy: its pages show this learner's progress, and phones are shared
    with page.expect_navigation():
        page.locator("header form[action$='/auth/logout'] button").click()
    assert [n for n in page.evaluate("() => caches.keys()") if n.startswith("lumos-course:")] == []


def test_refused_answers_are_shown_and_kept(learner_page, offline_site):
    page = learner_page
    enrol(page, PEOPLE["student"][0])
    page.context.expected_failures.append(f"{COURSE}final-check/quiz")  # the 400 this test is about
    PAGE_PROBLEMS.expect_status(400, f"{COURSE}final-check/quiz", "POST")
    page.evaluate(
        """(action) => { localStorage.setItem('lumos-offline-queue', JSON.stringify([{id: 'old', kind: 'quiz',
           action, page: location.pathname, title: 'Final check', state: 'waiting',
           fields: [['csrf_token', 'x'], ['token', 'no-such-token'], ['action', 'submit']]}]));
           window.dispatchEvent(new Event('online')); }""",
        f"{COURSE}final-check/quiz",
    )
    refused = page.locator('#offline-queue li[data-state="refused"]')
    expect(refused).to_contain_text("Not accepted by the site: This quiz form is no longer valid.")
    page.reload()  # still there after a reload: nothing is dropped without the learner seeing it
    expect(refused).to_be_visible()
    assert axe_violations(page) == []
    refused.locator("button").click()
    expect(page.locator("#offline-queue")).to_have_count(0)


def test_a_new_course_version_replaces_the_saved_copy(learner_page, offline_site):
    page = learner_page
    enrol_and_save(page, PEOPLE["student"][0])
    folder = offline_site.courses_dir / "demo-course"
    (folder / "course.yml").write_text((folder / "course.yml").read_text().replace('version: "1.0"', 'version: "1.1"'))
    lesson = folder / "01-positioning.en.md"
    lesson.write_text(lesson.read_text().replace("## Why position matters", "## Why position matters\nNew in 1.1."))
    restart(offline_site)

    page.goto(COURSE)
    status = page.locator("#offline-panel .offline-status")
    expect(status).to_contain_text("your saved copy was updated to version 1.1", timeout=30_000)
    caches = page.evaluate("() => caches.keys()")
    assert [name for name in caches if name.startswith("lumos-course:")] == ["lumos-course:demo-course:1.1:en"]
    go_offline(page, True)
    page.goto(f"{COURSE}positioning/")
    expect(page.locator("article.lesson")).to_contain_text("New in 1.1.")
    go_offline(page, False)

    page.goto(COURSE)
    page.locator("#offline-panel button[data-action=remove]").click()
    expect(status).to_contain_text("removed")
    assert [n for n in page.evaluate("() => caches.keys()") if n.startswith("lumos-course:")] == []


def restart(server) -> None:
    """The same server (port, database) on the edited course files; the accounts already exist."""
    server.stop()
    server.run = lambda *args: None  # no second seeding
    server.start()


def answer_final_offline(page) -> None:
    """The right answers (as demo_journey.answer_final gives them); offline the submit keeps them on the page."""
    words = FINAL["en"]
    page.locator("#question-demo-final-position").get_by_label(words["position_right"], exact=True).check()
    for sign in words["signs"]:
        page.locator("#question-demo-final-signs").get_by_label(sign, exact=True).check()
    for index, level in enumerate(words["levels"]):
        select = page.locator(f"#q-demo-final-match-{index}")
        select.select_option(
            select.locator("option", has_text=re.compile(f"^{re.escape(level)}$")).get_attribute("value")
        )
    page.locator("#q-demo-final-number").fill("90")
    page.locator("#q-demo-final-call").fill("112")
    page.locator("#quiz-form button[name=action][value=submit]").click()
