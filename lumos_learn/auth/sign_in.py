"""Where a sign-in (or a registration) leads, and the state between the password and the second step.

Used by routes.py (password, registration) and two_factor_routes.py (the code step); it imports neither.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import session, url_for
from flask_babel import get_locale

from ..extensions import db
from ..models import User

PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 5 * 60  # the password step is good for this long

# Where each role does its work: trainers run cohorts, administrators manage people, learners learn.
HOME_BY_ROLE = {"admin": "admin.users", "trainer": "trainer.cohorts", "learner": "learn.dashboard"}


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: no scheme, no host, no protocol-relative `//evil.example`."""
    if not target:
        return None
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user: User) -> str:
    """The page where `user`'s role works, in the language of the page they are on (the sign-in page's)."""
    return url_for(HOME_BY_ROLE.get(user.role, "learn.dashboard"), lang=str(get_locale()))


def after_sign_in(user: User, requested_next: str | None) -> str:
    """A safe `next` if one was asked for, else the person's home page."""
    return safe_next(requested_next) or home_for(user)


def begin_second_step(user: User) -> None:
    """Remember, in the cookie session, that `user` gave the right password: nothing else is signed in yet."""
    session.clear()
    session[PENDING_KEY] = {"user": user.id, "since": int(time.time())}


def pending_user() -> User | None:
    """The person who gave the right password in the last PENDING_SECONDS, if they still may sign in."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.is_active and user.has_two_factor else None


def pending_key() -> str:
    """The rate-limit key of the code step: the person, not the address."""
    pending = session.get(PENDING_KEY)
    return f"login-code:{pending.get('user') if isinstance(pending, dict) else ''}"
