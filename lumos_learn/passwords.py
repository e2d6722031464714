"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 10
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"
# A constant hash to verify against when no account matches, so that a wrong email costs the same
# time as a wrong password and timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("lumos-learn-dummy-password")


def use_cheap_hashing() -> None:
    """Tests only: the cheapest Argon2 parameters, so that hundreds of accounts take no time."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    _DUMMY_HASH = _hasher.hash("lumos-learn-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    try:
        text = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# The words of the site itself (ASVS 6.2.11 "context-specific words"); SITE_NAME and ISSUER_NAME are added
# when the site is renamed. A password built from them is the first thing an attacker of this site tries.
SITE_WORDS = ("lumos", "learn", "learning", "lumoslearn")
# What must be left, in letters, once the context words, digits, spaces and punctuation are taken out.
MIN_OWN_LETTERS = 6


def context_words(*, email: str = "", name: str = "", site_names: tuple[str, ...] = ()) -> set[str]:
    """The words a password may not be built from: the site's, the account's e-mail (whole, its local part
    and the pieces of both) and the person's name."""
    words = set(SITE_WORDS)
    email = email.strip().lower()
    sources = [email, email.split("@", 1)[0], name.lower(), *(n.lower() for n in site_names)]
    for source in filter(None, sources):
        words.add(source)
        words.update(piece for piece in re.split(r"[\W_]+", source) if len(piece) >= 3)
    return words


def _site_names() -> tuple[str, ...]:
    from flask import current_app, has_app_context

    if not has_app_context():
        return ()
    return tuple(filter(None, (current_app.config.get("SITE_NAME"), current_app.config.get("ISSUER_NAME"))))


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a password is unacceptable (a key of forms_common.PASSWORD_MESSAGES), or None.

    The one rule for every way a password is chosen: registration, change, reset and `flask users create`.
    `email` and `name` are those of the account the password is for."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in _common_passwords():
        return "common"
    local_part = email.split("@", 1)[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (name and lowered == name.lower()):
        return "personal"
    rest = lowered
    # Longest first, so that "lumoslearn" goes as a whole before "lumos" would leave "learn" behind.
    for word in sorted(context_words(email=email, name=name, site_names=_site_names()), key=len, reverse=True):
        rest = rest.replace(word, " ")
    if sum(ch.isalpha() for ch in rest) < MIN_OWN_LETTERS:
        return "context"
    return None
