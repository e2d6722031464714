"""What every template may use: languages, the language switcher's links, the navigation."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from babel import numbers
from flask import Flask, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from .fragments import fragment
from .i18n import LANGUAGES
from .study_hours import format_hours
from .time_zones import format_moment
from .url_cache import cached_url_for as url_for

MAX_PAGES = 2048  # pages whose addresses in the other languages are remembered (language_urls)


def language_urls() -> Mapping[str, str]:
    """This same page in each interface language, by language code (the home page where that cannot be said)."""
    # Asked twice per language on every page (hreflang links and the switcher): looked up once per request.
    # Kept on the request, not in `g`, which outlives a request when an app context was already pushed.
    urls = getattr(request, "language_urls", None)
    if urls is None:
        urls = request.language_urls = _language_urls_of(*_this_page(), request.script_root)
    return urls


def _this_page() -> tuple[str, tuple]:
    """The endpoint and arguments that name this page in any language."""
    rule = request.url_rule
    if rule is not None and request.endpoint:
        if "lang" in rule.arguments:  # /<lang>/...: the query string is part of the page
            return request.endpoint, tuple({**(request.view_args or {}), **request.args.to_dict()}.items())
        if request.method == "GET":  # a page outside /<lang>/ takes the language as ?lang=
            return request.endpoint, tuple((request.view_args or {}).items())
    return "main.home", ()


@lru_cache(maxsize=MAX_PAGES)
def _language_urls_of(endpoint: str, arguments: tuple, _script_root: str) -> Mapping[str, str]:
    # The URL map never changes after start-up; query strings come from visitors, so the cache is bounded.
    return MappingProxyType({code: url_for(endpoint, **{**dict(arguments), "lang": code}) for code in LANGUAGES})


# The navigation marks the page it links to as the current one; on any other page it is the same.
_NAV_PAGES = frozenset({"learn.catalogue", "learn.dashboard"})


def site_header() -> Markup:
    """The header: the same for everyone with the same role, on the same page, in the same language."""
    role = current_user.role if current_user.is_authenticated else None
    current = request.endpoint if request.endpoint in _NAV_PAGES else None
    urls = language_urls()
    return fragment("header.html", (role, current, *urls.values()), role=role, current=current, language_urls=urls)


def site_footer() -> Markup:
    signed_in = current_user.is_authenticated
    return fragment("footer.html", (signed_in,), signed_in=signed_in)


def format_percent(number: float, format: str | None = None) -> str:
    """Flask-Babel's `percentformat`, remembered per value and language: a page shows the same few percentages
    (a course's progress, a pass mark) again and again, and Babel parses the number pattern on every call."""
    if format is not None:
        return numbers.format_percent(number, format=format, locale=get_locale())
    return _percent(number, str(get_locale()))


@lru_cache(maxsize=4096)
def _percent(number: float, language: str) -> str:
    return numbers.format_percent(number, locale=language)


def _catalogue(context):
    # Put in each render's context by `inject_globals`, so it follows force_locale (an email in its reader's
    # language); a macro imported without context has none and asks Flask-Babel.
    return context.get("_catalogue") or get_translations()


@pass_context
def _gettext(context, string):
    return _catalogue(context).ugettext(string)


@pass_context
def _ngettext(context, singular, plural, n):
    return _catalogue(context).ungettext(singular, plural, n)


@pass_context
def _pgettext(context, message_context, string):
    return _catalogue(context).upgettext(message_context, string)


@pass_context
def _npgettext(context, message_context, singular, plural, n):
    return _catalogue(context).unpgettext(message_context, singular, plural, n)


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Flask-Babel's template callables look the catalogue up anew for every string (several context lookups
    # each, dozens of strings a page: a tenth of a signed-in page's time); these look it up once per render.
    # Replaces Flask-Babel's filter of the same name: a time shown to a person is on their clock, zone named.
    app.jinja_env.filters["datetimeformat"] = format_moment
    app.jinja_env.install_gettext_callables(
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext, newstyle=True
    )
    # "1,5 hodiny", "8 hours": every length of a course shown on a page goes through the same rule.
    app.jinja_env.filters["hoursformat"] = format_hours
    app.jinja_env.filters["percentformat"] = format_percent

    @app.context_processor
    def inject_globals():
        return {
            "_catalogue": get_translations(),
            "LANGUAGES": LANGUAGES,
            "current_language": str(get_locale()),
            "language_urls": language_urls,
            "site_header": site_header,
            "site_footer": site_footer,
            "site_name": app.config["SITE_NAME"],
        }
