"""Error pages in the site's layout and the visitor's language."""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db


def _render(status: int, title: str, message: str):
    if request.accept_mimetypes.best == "application/json":
        return make_response({"error": title, "message": message}, status)
    return make_response(render_template("errors/error.html", status=status, title=title, message=message), status)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400,
            _("The form has expired"),
            _("For your security the form could not be accepted. Go back, reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            400: (_("Bad request"), _("The request could not be understood. Check what you entered and try again.")),
            403: (_("Access denied"), _("You do not have permission to see this page.")),
            404: (
                _("Page not found"),
                _("We could not find that page. It may have moved, or the address may be mistyped."),
            ),
            405: (_("Method not allowed"), _("This page cannot be used that way.")),
            413: (_("Too large"), _("What you sent is larger than this site accepts.")),
            429: (_("Too many attempts"), _("You have tried too many times. Wait a few minutes and try again.")),
        }
        title, message = messages.get(error.code, (error.name, error.description or ""))
        if getattr(error, "user_message", None):
            message = error.user_message  # a specific, already translated explanation from the view
        response = _render(error.code or 500, title, message)
        if getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        db.session.rollback()
        app.logger.error("database error: %s", error)
        return _render(
            503, _("Temporarily unavailable"), _("The site cannot reach its database. Try again in a minute.")
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(
            500, _("Something went wrong"), _("An error occurred on our side. It has been logged; try again later.")
        )


def bad_request(message: str):
    """Abort with a 400 whose page shows `message` (already translated) to the user."""
    from werkzeug.exceptions import BadRequest

    error = BadRequest()
    error.user_message = message
    raise error
