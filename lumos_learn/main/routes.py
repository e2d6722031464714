"""The home page, the language redirect at `/`, the accessibility statement, and the health check."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, render_template, send_from_directory, url_for
from flask_babel import get_locale
from sqlalchemy import text

from ..course_library import courses_for_reader, library
from ..extensions import db, limiter
from ..i18n import negotiate_language
from . import bp


@bp.route("/")
def root():
    response = redirect(url_for("main.home", lang=negotiate_language()))
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.route("/<lang:lang>/")
def home():
    return render_template("main/home.html", courses=courses_for_reader(str(get_locale())))


# The day the accessibility statement was prepared and last reviewed: change it when the statement is reviewed.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 12, 5)
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 12, 5)


@bp.route("/<lang:lang>/accessibility")
def accessibility():
    """The accessibility statement, after the EU model (Commission Implementing Decision (EU) 2018/1523)."""
    return render_template(
        "main/accessibility.html",
        prepared=ACCESSIBILITY_STATEMENT_PREPARED,
        reviewed=ACCESSIBILITY_STATEMENT_REVIEWED,
    )


@bp.route("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not ready"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok", "courses": len(library().courses)}


@bp.route("/favicon.ico")
@limiter.exempt
def favicon():
    """Browsers ask for /favicon.ico wherever a page names no icon (a diagram or PDF opened full size).
    A 302, not a 301: the hashed name it leads to changes with the icon."""
    return redirect(current_app.jinja_env.globals["static_url"]("img/favicon.svg"))


@bp.route("/media/<slug>/<path:filename>")
def course_media(slug: str, filename: str):
    """Images of a course's media/ folder (the course engine rewrites module image links to here)."""
    course = library().get(slug)
    if course is None:
        abort(404)
    # send_from_directory refuses paths that climb out of the folder (../) with a 404.
    return send_from_directory(f"{course.path}/media", filename, max_age=7 * 86400)
