"""What every template may use: languages, the language switcher's links, the navigation."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import get_locale

from .i18n import LANGUAGES


def url_for_language(code: str) -> str:
    """This same page in another interface language (the home page where that cannot be said)."""
    rule = request.url_rule
    if rule is not None and "lang" in rule.arguments and request.endpoint:
        args = dict(request.view_args or {})
        args.update(request.args.to_dict())
        args["lang"] = code
        return url_for(request.endpoint, **args)
    if rule is not None and request.endpoint and request.method == "GET":
        args = dict(request.view_args or {})
        args["lang"] = code
        return url_for(request.endpoint, **args)
    return url_for("main.home", lang=code)


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_globals():
        return {
            "LANGUAGES": LANGUAGES,
            "current_language": str(get_locale()),
            "url_for_language": url_for_language,
            "site_name": app.config["SITE_NAME"],
        }
