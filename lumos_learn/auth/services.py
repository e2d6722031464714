"""Accounts: registration, authentication, password reset and change. No request handling here."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User, utcnow
from ..passwords import hash_password, needs_rehash, verify_password


class EmailTaken(Exception):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def create_user(*, email: str, password: str, full_name: str, role: str = "learner", **profile) -> User:
    """Create an account; the database's unique index, not a prior look-up, decides if the email is taken."""
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        full_name=full_name.strip(),
        role=role,
        **profile,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise EmailTaken(email) from error
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password is right and the account active; a wrong email costs the same time."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    db.session.commit()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    # The token is bound to the current password hash: once the password changes, every earlier
    # link is dead. That makes reset links single-use without a table of used tokens.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, *, invitation: bool = False) -> str:
    """A link token to choose a password. An invitation (a trainer enrolled this person) stays valid
    for INVITATION_MAX_AGE, since people open such emails days later; a reset for PASSWORD_RESET_MAX_AGE."""
    data = {"u": user.id, "f": _fingerprint(user)}
    if invitation:
        data["i"] = 1
    return _reset_serializer().dumps(data)


def _max_age(data) -> int:
    config = current_app.config
    invitation = isinstance(data, dict) and data.get("i") == 1
    return config["INVITATION_MAX_AGE"] if invitation else config["PASSWORD_RESET_MAX_AGE"]


def user_for_reset_token(token: str) -> tuple[User | None, str | None]:
    """(user, None) for a valid token, else (None, reason) with reason 'expired' or 'invalid'."""
    try:
        data, issued = _reset_serializer().loads(token, return_timestamp=True)
    except BadSignature:
        return None, "invalid"
    if (utcnow() - issued).total_seconds() > _max_age(data):
        return None, "expired"
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(user):
        return None, "invalid"
    return user, None
