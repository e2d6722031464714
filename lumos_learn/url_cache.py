"""`url_for` for templates, remembered per process in a bounded LRU cache: the same endpoint, arguments, interface
language and mount point always build the same relative URL, and a page builds twenty or more of them (navigation,
footer, course cards), about a twentieth of a signed-in page's time (bench/profile_pages.py).

Only relative URLs built inside a request are kept; anything else (an absolute URL for an e-mail, an anchor, a
blueprint-relative endpoint, an unhashable argument) goes to Flask's `url_for` unchanged. The URL map never
changes after start-up, so an entry cannot go stale. Arguments can come from visitors (a page number, a sort
order): the cache holds at most MAX_URLS entries, least recently used first out.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, has_request_context, request, url_for
from flask_babel import get_locale

MAX_URLS = 2048


def cached_url_for(endpoint: str, **values) -> str:
    if endpoint.startswith(".") or not has_request_context() or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    try:
        # the language is the one url_defaults (i18n.py) fills in; the mount point prefixes every path
        return _build(endpoint, frozenset(values.items()), str(get_locale()), request.script_root)
    except TypeError:  # an unhashable argument
        return url_for(endpoint, **values)


@lru_cache(maxsize=MAX_URLS)
def _build(endpoint: str, values: frozenset, _language: str, _script_root: str) -> str:
    return url_for(endpoint, **dict(values))


def cache_info():
    return _build.cache_info()


def clear() -> None:
    _build.cache_clear()


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = cached_url_for
