"""Parts of a page that are the same for everyone they are shown to, rendered once per process and kept.

A signed-in page is mostly the same for every learner: the site's header and footer in one interface language
and for one role, a lesson's text with its table of contents and job aids, a course's card in the catalogue.
Rendering those parts again for every request was about a third of a signed-in page's time (bench/
profile_pages.py). A fragment is a template in `templates/fragments/`, rendered with only the values its caller
passes (which are also its key) and the interface language, then kept per application in a bounded cache.

What keeps a fragment from showing one person's page to another:
- its template sees nothing but what the caller passes and the interface language: not `current_user`, not the
  request (tests/test_fragments.py checks the templates), so whatever changes it must be passed, and so is in
  the key;
- a personal value (the CSRF token of a form, a quiz attempt's token) is never in a kept fragment: the template
  writes a placeholder, and each request puts its own value in, escaped;
- the course library and the templates never change while a process runs (course_library.py): a key never
  goes stale, and the cache is bounded, least recently used first out, because keys can come from URLs.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import Flask, current_app
from flask_babel import get_locale, get_translations
from flask_wtf.csrf import generate_csrf
from jinja2 import StrictUndefined
from markupsafe import Markup, escape

from .i18n import LANGUAGES

MAX_FRAGMENTS = 8192  # 1-4 KB each: well under 32 MB per process; the shipped courses in six languages fit


def _placeholder(name: str) -> str:
    return f"\x00{name}\x00"  # a NUL cannot come out of a template from text: HTML has none


CSRF_PLACEHOLDER = _placeholder("csrf_token")  # the token is made per request only if the page has a form
EXTENSION = "lumos_learn.fragments"


class _Kept:
    """The rendered fragments of one application, least recently used first out."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple, str] = OrderedDict()
        self.lock = Lock()  # gthread workers share it

    def get(self, key: tuple) -> str | None:
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
            return html

    def put(self, key: tuple, html: str) -> None:
        with self.lock:
            self.entries[key] = html
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def fragment(template: str, key: tuple | None, personal: dict[str, str] | None = None, **values) -> Markup:
    """`templates/fragments/<template>` rendered with `values`, kept under `key` and the interface language.

    `key` must name everything in `values` that can differ between two calls (a course's slug and version stand
    for the course object, for instance): two calls with the same key get the same HTML. `personal` values are
    not in the key: the template gets a placeholder for each, filled in per call. `key=None` renders without
    keeping, for a call that carries someone's own words.
    """
    kept: _Kept = current_app.extensions[EXTENSION]
    personal = personal or {}
    language = str(get_locale())
    full_key = (template, language, key)
    html = kept.get(full_key) if key is not None else None
    if html is None:
        html = _render(template, language, {**values, **{name: _placeholder(name) for name in personal}})
        if key is not None:
            kept.put(full_key, html)
    for name, value in personal.items():
        html = html.replace(_placeholder(name), str(escape(value)))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    return Markup(html)  # noqa: S704 - the output of an autoescaping template, with escaped values put in


def _render(template: str, language: str, values: dict) -> str:
    environment = current_app.extensions[EXTENSION + ".environment"]
    context = {
        "_catalogue": get_translations(),
        "LANGUAGES": LANGUAGES,
        "current_language": language,
        "site_name": current_app.config["SITE_NAME"],
        "csrf_token": lambda: CSRF_PLACEHOLDER,
        **values,
    }
    return environment.get_template("fragments/" + template).render(context)


def kept_count() -> int:
    """How many fragments this application keeps (for tests and the profiling aid)."""
    return len(current_app.extensions[EXTENSION].entries)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = _Kept(MAX_FRAGMENTS)
    # The same templates, filters and globals as every page, but a name the caller did not pass is an error, not
    # an empty string: a fragment that quietly read nothing would be kept that way for everyone.
    app.extensions[EXTENSION + ".environment"] = app.jinja_env.overlay(undefined=StrictUndefined)
    app.jinja_env.globals["fragment"] = fragment
