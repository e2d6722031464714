"""The watcher every browser test runs under (browser_checks.PageProblems) catches what it must.

Each test plants a problem in a real page, takes what the watcher found (so that this test itself does not
fail for it), and checks the line; the last one shows that a declared problem is let through.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_a_fetch_answered_404_is_caught(page, page_problems):
    page.goto("/en/")
    page.evaluate("() => fetch('/en/no-such-endpoint', {method: 'POST'}).then(r => r.status)")
    problems = page_problems.take()
    assert any(line.startswith("HTTP 404 POST ") and "/en/no-such-endpoint (fetch)" in line for line in problems), (
        problems
    )


def test_a_missing_image_and_a_failed_connection_are_caught(page, page_problems, site):
    page.goto("/en/")
    page.evaluate(
        """() => new Promise((done) => {
        const img = new Image(); img.onerror = done; img.src = '/static/no-such-picture.png';
        document.body.append(img);
    })"""
    )
    # A connection that breaks (the page's CSP allows no other host, so it is broken on this one).
    page.route("**/en/courses/", lambda route: route.abort("connectionrefused"))
    page.evaluate("() => fetch('/en/courses/').catch(() => null)")
    problems = page_problems.take()
    assert any(line.startswith("HTTP 404 GET ") and "no-such-picture.png (image)" in line for line in problems)
    assert any(
        line.startswith("failed GET ") and "/en/courses/ (fetch): net::ERR_CONNECTION_REFUSED" in line
        for line in problems
    ), problems


def test_a_console_error_and_an_uncaught_exception_are_caught(page, page_problems):
    page.goto("/en/")
    page.evaluate("() => { console.error('planted error'); setTimeout(() => { throw new Error('planted throw'); }); }")
    page.wait_for_timeout(200)
    problems = page_problems.take()
    assert any(line.startswith("console error: planted error") for line in problems), problems
    assert any(line == "uncaught exception: planted throw" for line in problems), problems


def test_a_not_found_page_fails_a_test_unless_declared(page, page_problems):
    page.goto("/en/courses/no-such-course/")
    assert [line.split(" (")[0] for line in page_problems.take()] == [
        f"HTTP 404 GET {page.url}",
    ]
    page_problems.expect_status(404, "/en/courses/no-such-course/")
    page.goto("/en/courses/no-such-course/")
    assert page_problems.take() == []
