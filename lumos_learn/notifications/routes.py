"""One-click unsubscribe from reminders or announcements (RFC 8058), by a signed link: no sign-in needed."""

from __future__ import annotations

from flask import abort, render_template, request

from ..extensions import csrf, db, limiter
from ..models import User
from . import bp
from .unsubscribe import read_unsubscribe_token, set_preference


def _person(token: str) -> tuple[User, str]:
    found = read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user = db.session.get(User, found[0])
    if user is None:
        abort(404)
    return user, found[1]


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
# The signed token is the credential: mail clients POST "List-Unsubscribe=One-Click" with no session or form.
@csrf.exempt
@limiter.limit("30 per minute")
def unsubscribe(token: str):
    user, topic = _person(token)
    if request.method == "POST":
        set_preference(user, topic, False)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", topic=topic, done=True)
    # A GET only asks: link scanners that open every URL in a message must not unsubscribe anyone.
    return render_template("notifications/unsubscribed.html", topic=topic, done=False, token=token)
