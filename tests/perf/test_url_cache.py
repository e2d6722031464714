"""Template URLs remembered per process (lumos_learn/url_cache.py) follow the interface language and the mount
point, and the table stays within its bound however many distinct URLs visitors cause."""

from __future__ import annotations

from lumos_learn import url_cache


def test_links_follow_the_interface_language(client, learner, login_as):
    login_as(client, learner)
    english = client.get("/en/dashboard/").get_data(as_text=True)
    romanian = client.get("/ro/dashboard/").get_data(as_text=True)
    assert 'href="/en/courses/"' in english and 'href="/ro/courses/"' in romanian
    assert 'href="/en/courses/"' not in romanian and 'href="/ro/courses/"' not in english


def test_links_follow_the_mount_point(app):
    with app.test_request_context("/en/courses/", base_url="http://localhost/learn/"):
        assert url_cache.cached_url_for("learn.catalogue") == "/learn/en/courses/"
    with app.test_request_context("/en/courses/"):
        assert url_cache.cached_url_for("learn.catalogue") == "/en/courses/"


def test_the_table_is_bounded(app):
    url_cache.clear()
    with app.test_request_context("/en/"):
        for n in range(url_cache.MAX_URLS + 300):
            url = url_cache.cached_url_for("learn.course", slug=f"course-{n}")
        assert url == f"/en/courses/course-{url_cache.MAX_URLS + 299}/"
        info = url_cache.cache_info()
        assert info.maxsize == url_cache.MAX_URLS and info.currsize == url_cache.MAX_URLS
    url_cache.clear()
