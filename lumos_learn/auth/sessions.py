"""Server-side sign-in sessions.

The signed cookie holds only a random session token. Each token is a row in `user_sessions`, so signing
out, changing a password or an admin disabling an account ends sessions on the server, which a signed
cookie alone could never do.
"""

from __future__ import annotations

from datetime import timedelta

from flask import g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import User, UserSession, utcnow

TOUCH_EVERY = timedelta(minutes=5)  # how stale last_seen_at may get before we spend a write on it

# Built once, run on every signed-in request: a prebuilt statement skips SQLAlchemy's per-call construction and
# cache-key work, about half the cost of a small query.
SESSION_BY_TOKEN = (
    select(UserSession).options(joinedload(UserSession.user)).where(UserSession.token == bindparam("token"))
)


def init_login_manager(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # we rotate the session ourselves on every sign-in

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        found = db.session.execute(SESSION_BY_TOKEN, {"token": token}).scalar_one_or_none()
        if found is None or not found.user.is_active:
            return None
        found.user.current_session = found
        now = utcnow()
        if now - found.last_seen_at > TOUCH_EVERY:
            found.last_seen_at = now
            db.session.commit()
        return found.user


def start_session(user: User) -> UserSession:
    """Sign `user` in on this browser with a fresh session: nothing of the anonymous one survives."""
    session.clear()
    user_session = UserSession(user=user, user_agent=(request.user_agent.string or "")[:200])
    db.session.add(user_session)
    db.session.commit()
    user.current_session = user_session
    login_user(user)
    g.pop("_login_user", None)
    return user_session


def end_session(user: User) -> None:
    current = getattr(user, "current_session", None)
    if current is not None:
        db.session.delete(current)
        db.session.commit()
    logout_user()
    session.clear()


def end_other_sessions(user: User) -> None:
    """After a password change: every other browser signed in as this user is signed out."""
    current = getattr(user, "current_session", None)
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if current is not None:
        query = query.where(UserSession.id != current.id)
    db.session.execute(query)
    db.session.commit()
