"""Saving a course for offline use: the per-course manifest and the page shown for a page that was not saved.

The service worker itself is served at the site's root (main/service_worker.py), so that it may control every page.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required

from ..course_library import library
from . import bp
from .enrolment import find_enrolment
from .offline import offline_manifest


@bp.route("/courses/<slug>/offline.json")
@login_required
def offline_manifest_json(slug: str):
    """What to save for this learner's course in their reading language (enrolled learners only)."""
    course = library().get(slug)
    enrolment = find_enrolment(current_user, slug) if course else None
    if enrolment is None:
        abort(404)
    return offline_manifest(course, enrolment.content_language)


@bp.route("/offline/")
def offline_page():
    """Shown by the service worker, when offline, for a page that was not saved; lists what was (offline.js)."""
    return render_template("learn/offline.html")


@bp.app_template_global("offline_bytes")
def _offline_bytes(course, reading_language: str) -> int:
    from .offline import offline_bytes

    return offline_bytes(course, reading_language)
