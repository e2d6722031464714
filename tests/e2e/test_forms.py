"""Forms announce their errors: a summary that takes the focus, and every field tied to its message."""

from __future__ import annotations

import pytest
from browser_checks import PAGE_PROBLEMS
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def submit_empty(page, path: str) -> None:
    page.goto(path)
    PAGE_PROBLEMS.expect_form_error(page)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def assert_fields_describe_their_errors(page) -> int:
    """Every invalid field has aria-invalid=true and aria-describedby naming a visible error message."""
    invalid = page.locator("main [aria-invalid=true]")
    assert invalid.count() > 0
    for index in range(invalid.count()):
        field = invalid.nth(index)
        ids = (field.get_attribute("aria-describedby") or "").split()
        messages = [page.locator(f"#{i}") for i in ids if page.locator(f"#{i}.error-message").count()]
        assert messages, f"#{field.get_attribute('id')} names no error message in aria-describedby {ids}"
        expect(messages[0]).to_be_visible()
        expect(messages[0]).not_to_be_empty()
    return invalid.count()


ERROR_TITLE = {"en": "Error: ", "ro": "Eroare: ", "bg": "Грешка: ", "fr": "Erreur\u00a0: "}


@pytest.mark.parametrize(
    ("path", "lang"),
    [("/en/auth/login", "en"), ("/ro/auth/register", "ro"), ("/bg/auth/reset", "bg"), ("/verify/?lang=fr", "fr")],
)
def test_errors_are_announced_and_the_summary_takes_the_focus(page, site, path, lang):
    page.goto(path)
    assert not page.title().startswith(ERROR_TITLE[lang])
    submit_empty(page, path)
    # the title, announced first when the page loads, says the form came back with errors
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    fields = assert_fields_describe_their_errors(page)
    links = summary.locator("a[href^='#']")
    assert links.count() == fields
    # Following a link in the summary puts the focus in the field, ready to type.
    target = links.first.get_attribute("href")[1:]
    links.first.click()
    expect(page.locator(f"#{target}")).to_be_focused()


def test_without_javascript_the_errors_are_still_tied_to_their_fields(new_context, site):
    page = new_context(java_script_enabled=False).new_page()
    submit_empty(page, "/en/auth/register")
    expect(page.locator("#error-summary")).to_be_visible()
    assert assert_fields_describe_their_errors(page) >= 4


def test_first_error_check_notices_a_field_without_its_message(page, site):
    submit_empty(page, "/en/auth/login")
    page.evaluate("() => document.querySelector('[aria-invalid=true]').removeAttribute('aria-describedby')")
    with pytest.raises(AssertionError, match="names no error message"):
        assert_fields_describe_their_errors(page)
