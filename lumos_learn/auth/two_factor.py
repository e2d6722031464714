"""Two-step sign-in: time-based codes (TOTP, RFC 6238) from an authenticator app, and recovery codes.

Required for administrators, offered to everyone else. A code is accepted once: the last accepted
30-second step is stored, and a conditional UPDATE makes two requests racing with the same code
accept it at most once. Recovery codes are consumed the same way.

Recovery codes are kept only as keyed hashes: HMAC-SHA256 of the account number and the code, with a key
derived from SECRET_KEY. A code is 10 random characters from 31 (about 2^49), nothing like a password a person
chooses, so the hash needs no Argon2 work factor to resist guessing: with the key outside the database, a
stolen copy of the table gives nothing to test guesses against at all. Argon2 cost ten hashes at every set-up
(seconds on a small server); codes hashed with Argon2 before this change still verify (`$argon2` prefix).
Changing SECRET_KEY makes unused codes stop working unless the old key stays in SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import RecoveryCode, User, record_audit, utcnow
from ..passwords import verify_password

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from paper
VALID_WINDOW = 1  # one step either side: a phone clock up to 30 seconds off still works
HMAC_PREFIX = "hmac-sha256$"


def new_secret() -> str:
    return pyotp.random_base32()


def begin_setup(user: User) -> str:
    """A secret waiting for its first code; a setup started again keeps the same one (the QR already scanned)."""
    if user.totp_secret is None or user.totp_confirmed_at is not None:
        user.totp_secret = new_secret()
        user.totp_confirmed_at = None
        user.totp_last_step = None
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SITE_NAME"])


def qr_code_data_uri(user: User) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images; no request leaves the page)."""
    return segno.make(provisioning_uri(user), error="m").svg_data_uri(scale=5, border=2)


def grouped_secret(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    code = _normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        moment = now + offset * totp.interval
        if secrets.compare_digest(totp.at(moment), code):
            return int(moment // totp.interval)
    return None


def _accept_step(user: User, step: int) -> bool:
    """Record `step` as used; False if it (or a later one) was already used: a replayed code."""
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    db.session.commit()
    return result.rowcount == 1


def confirm_setup(user: User, code: str) -> list[str] | None:
    """Turn two-step sign-in on if `code` is right; returns the recovery codes (shown once) or None."""
    if user.totp_secret is None or user.totp_confirmed_at is not None:
        return None
    step = _matching_step(user.totp_secret, code)
    if step is None or not _accept_step(user, step):
        return None
    user.totp_confirmed_at = utcnow()
    codes = _replace_recovery_codes(user)
    record_audit(user, "user.two_factor_enabled", "user", user.id)
    db.session.commit()
    return codes


def _recovery_key(secret_key: str | bytes) -> bytes:
    """A key of its own for recovery codes, derived from SECRET_KEY (never the session-signing key itself)."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, b"lumos-learn recovery codes v1", hashlib.sha256).digest()


def _recovery_digests(user_id: int, code: str) -> list[str]:
    """The stored form of `code` under SECRET_KEY, then under each of SECRET_KEY_FALLBACKS (a key being rotated)."""
    config = current_app.config
    message = f"{user_id}:{code}".encode()
    return [
        HMAC_PREFIX + hmac.new(_recovery_key(key), message, hashlib.sha256).hexdigest()
        for key in [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    ]


def hash_recovery_code(user_id: int, code: str) -> str:
    return _recovery_digests(user_id, code)[0]


def recovery_code_matches(stored_hash: str, user_id: int, code: str) -> bool:
    if stored_hash.startswith(HMAC_PREFIX):
        # compare_digest on every candidate key: the time taken does not depend on where the strings differ.
        matches = [hmac.compare_digest(stored_hash, digest) for digest in _recovery_digests(user_id, code)]
        return any(matches)
    return verify_password(stored_hash, code)  # an Argon2 hash from before the keyed hash


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_recovery_code(user.id, code)))
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = _replace_recovery_codes(user)
    record_audit(user, "user.recovery_codes_replaced", "user", user.id)
    db.session.commit()
    return codes


def unused_recovery_codes(user: User) -> int:
    return len(_unused_codes(user))


def _unused_codes(user: User) -> list[RecoveryCode]:
    return list(db.session.execute(select(RecoveryCode).filter_by(user_id=user.id, used_at=None)).scalars())


def _use_recovery_code(user: User, code: str) -> bool:
    code = _normalise(code)
    if len(code) != 10:
        return False
    for stored in _unused_codes(user):
        if recovery_code_matches(stored.code_hash, user.id, code):
            consumed = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == stored.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
            )
            db.session.commit()
            return consumed.rowcount == 1
    return False


def verify_code(user: User, code: str) -> str | None:
    """'totp' or 'recovery' if `code` proves the second factor (and is now used up), else None."""
    if not user.has_two_factor:
        return None
    step = _matching_step(user.totp_secret, code)
    if step is not None:
        return "totp" if _accept_step(user, step) else None
    if _use_recovery_code(user, code):
        record_audit(user, "user.recovery_code_used", "user", user.id, left=unused_recovery_codes(user))
        db.session.commit()
        return "recovery"
    return None


def disable(user: User, actor: User | None = None) -> None:
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    record_audit(actor or user, "user.two_factor_disabled", "user", user.id)
    db.session.commit()
