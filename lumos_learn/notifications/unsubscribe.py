"""Signed unsubscribe links: one per person and kind of message, valid until the preference changes back."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..models import User

# What a person may turn off, and the User column that records it. Account and security e-mails are not here:
# they cannot be turned off.
TOPICS = {"reminders": "email_reminders", "announcements": "email_announcements"}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="lumos-unsubscribe")


def unsubscribe_token(user: User, topic: str) -> str:
    return _serializer().dumps([user.id, topic])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, topic) of a genuine token, None for anything else."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and value[1] in TOPICS):
        return None
    return value[0], value[1]


def wants(user: User, topic: str) -> bool:
    return bool(getattr(user, TOPICS[topic]))


def set_preference(user: User, topic: str, on: bool) -> None:
    setattr(user, TOPICS[topic], on)
