"""Anonymous lesson pages are answered from memory after the first render, and nothing personal or changing is."""

from __future__ import annotations

import brotli
import pytest
from flask import request, request_started

from lumos_learn.page_cache import ENVIRON_FLAG, PageCache

LESSON = "/en/courses/demo-course/positioning/"
COURSE = "/en/courses/demo-course/"


@pytest.fixture
def app_runs(app):
    """How many requests reached Flask (a cached answer never does)."""
    seen: list[str] = []

    def count(sender, **extra):
        seen.append(request.path)

    request_started.connect(count, app)
    yield seen
    request_started.disconnect(count, app)


def test_second_anonymous_visit_is_answered_without_running_the_app(client, app_runs):
    first = client.get(LESSON, headers={"Accept-Encoding": "br"})
    second = client.get(LESSON, headers={"Accept-Encoding": "br"})
    assert app_runs == [LESSON]
    assert second.status_code == 200
    assert second.data == first.data
    assert second.headers == first.headers  # CSP, ETag, Cache-Control, Vary, encoding: all replayed
    assert "Positioning" in brotli.decompress(second.data).decode()


def test_each_encoding_and_reading_language_is_its_own_entry(client, app_runs):
    br = client.get(LESSON, headers={"Accept-Encoding": "br"})
    gz = client.get(LESSON, headers={"Accept-Encoding": "gzip"})
    plain = client.get(LESSON)
    romanian = client.get(f"{LESSON}?content=ro")
    assert (br.headers["Content-Encoding"], gz.headers["Content-Encoding"]) == ("br", "gzip")
    assert "Content-Encoding" not in plain.headers
    assert brotli.decompress(br.data) == plain.data
    assert "Poziționarea pentru masă" in romanian.get_data(as_text=True)
    assert "Poziționarea pentru masă" not in plain.get_data(as_text=True)
    for _ in range(2):
        assert client.get(f"{LESSON}?content=ro").data == romanian.data
        assert client.get(LESSON).data == plain.data
    assert len(app_runs) == 4


def test_a_signed_in_learner_never_gets_the_anonymous_copy_and_never_leaves_one(client, app, learner, login_as):
    anonymous = app.test_client()
    assert "Sign out" not in anonymous.get(LESSON).get_data(as_text=True)
    login_as(client, learner)
    client.submit(f"{COURSE}enrol", {"content_language": "en"}, page=COURSE)
    mine = client.get(LESSON)
    assert "Sign out" in mine.get_data(as_text=True)
    assert mine.headers["Cache-Control"] == "private, no-cache"
    after = app.test_client().get(LESSON)
    assert "Sign out" not in after.get_data(as_text=True)
    assert after.headers["Cache-Control"] == "public, max-age=300"


def test_a_visitor_with_any_cookie_or_a_conditional_request_reaches_the_app(client, app_runs):
    first = client.get(LESSON)
    client.set_cookie("anything", "1")
    client.get(LESSON)
    client.delete_cookie("anything")
    revisit = client.get(LESSON, headers={"If-None-Match": first.headers["ETag"]})
    assert revisit.status_code == 304
    assert app_runs == [LESSON, LESSON, LESSON]


def test_public_pages_that_can_change_are_not_kept(client, app_runs):
    # The status list is public but changes when a certificate is revoked: it never opts in.
    for _ in range(2):
        assert client.get("/.well-known/jwks.json").status_code == 200
    assert len(app_runs) == 2


def test_the_cache_stays_within_its_budget():
    body = b"x" * 400

    def page(environ, start_response):
        environ[ENVIRON_FLAG] = True
        start_response("200 OK", [("Content-Type", "text/html")])
        return [body]

    cache = PageCache(page, budget=1000)
    for n in range(10):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": f"n={n}"}
        assert b"".join(cache(environ, lambda status, headers, exc_info=None: None)) == body
    assert cache.size <= 1000
    assert len(cache.entries) == 2  # the two most recent


def test_a_response_that_sets_a_cookie_or_is_not_a_200_is_not_kept():
    calls = []

    def page(environ, start_response):
        calls.append(environ["PATH_INFO"])
        environ[ENVIRON_FLAG] = True
        if environ["PATH_INFO"] == "/cookie":
            start_response("200 OK", [("Content-Type", "text/html"), ("Set-Cookie", "session=abc")])
        else:
            start_response("404 NOT FOUND", [("Content-Type", "text/html")])
        return [b"page"]

    cache = PageCache(page, budget=10_000)
    for path in ("/cookie", "/cookie", "/missing", "/missing"):
        cache({"REQUEST_METHOD": "GET", "PATH_INFO": path}, lambda status, headers, exc_info=None: None)
    assert calls == ["/cookie", "/cookie", "/missing", "/missing"]
    assert not cache.entries


def test_a_kept_page_asked_for_again_is_compressed_once_at_the_smallest_setting(client):
    """Sent many times from memory, a page asked for again is worth brotli's slowest level (and gzip's), unlike a
    personal one; a page asked for once (a one-off query string) never pays for it."""
    import gzip

    plain = client.get(LESSON).data
    for accept, decode, live, smallest in (
        ("br", brotli.decompress, brotli.compress(plain, quality=4), brotli.compress(plain, quality=11)),
        ("gzip", gzip.decompress, None, gzip.compress(plain, compresslevel=9, mtime=0)),
    ):
        first, second, third = (client.get(LESSON, headers={"Accept-Encoding": accept}) for _ in range(3))
        assert decode(first.data) == decode(third.data) == plain
        assert second.data == first.data  # the first reuse still gets the kept bytes, and upgrades them
        if live is not None:
            assert len(first.data) == len(live) > len(smallest)
        assert len(third.data) == len(smallest)
        assert int(third.headers["Content-Length"]) == len(third.data)
