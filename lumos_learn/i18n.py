"""Interface languages: the `/<lang>/` URL segment, negotiation, and Babel's locale.

The interface language (this module) and a course's content language (chosen per enrolment) are
independent: a learner may read an English course with the interface in Ukrainian.
"""

from __future__ import annotations

from babel import negotiate_locale
from flask import Flask, abort, g, request
from flask_login import current_user
from werkzeug.routing import BaseConverter

# Endonyms: a language is always named in itself in the switcher, so that a lost reader finds theirs.
LANGUAGES = {
    "en": "English",
    "ro": "Română",
    "bg": "Български",
    "cs": "Čeština",
    "uk": "Українська",
    "fr": "Français",
}
DEFAULT_LANGUAGE = "en"


class LanguageConverter(BaseConverter):
    """Matches only supported language codes, so `/xx/...` is a plain 404."""

    regex = "|".join(LANGUAGES)


def negotiate_language() -> str:
    """The language for a visitor who has not chosen one by URL: saved preference, then Accept-Language."""
    g.language_negotiated = True  # the response depends on Accept-Language: caches must know (Vary)
    if current_user.is_authenticated and current_user.preferred_language in LANGUAGES:
        return current_user.preferred_language
    # In the visitor's order of preference, "fr-BE" counting as "fr" before a lower-rated exact "uk".
    preferred = [value.replace("_", "-") for value, _quality in request.accept_languages]
    return negotiate_locale(preferred, list(LANGUAGES), sep="-") or DEFAULT_LANGUAGE


def language_from_path(path: str) -> str | None:
    segment = path.lstrip("/").split("/", 1)[0]
    return segment if segment in LANGUAGES else None


def get_locale() -> str:
    lang = g.get("lang")
    if lang:
        return lang
    # Pages outside /<lang>/ (/verify/..., errors on unknown URLs) follow ?lang=, the path, then the visitor.
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return language_from_path(request.path) or negotiate_language()


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LanguageConverter

    @app.url_value_preprocessor
    def pull_language(endpoint, values):
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in LANGUAGES:
                abort(404)
            g.lang = lang

    @app.after_request
    def vary_on_negotiated_language(response):
        if g.get("language_negotiated"):
            response.vary.add("Accept-Language")
        return response

    @app.url_defaults
    def add_language(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = get_locale()
