"""Two-step sign-in: the set-up request (ten recovery codes hashed) and a recovery-code check, keyed hash vs Argon2.

    python bench/bench_two_factor_setup.py [--runs 5]

- Set-up: POST /en/auth/account/two-factor/setup with the right code, through the Flask test client (SQLite,
  production Argon2 parameters): the TOTP check, ten recovery codes made and hashed, the commit, the page of
  codes. Now: HMAC-SHA256 (two_factor.hash_recovery_code). Baseline, in the same run: the same request with
  the codes hashed by Argon2 as before (passwords.hash_password).
- Recovery check: a wrong recovery code at the sign-in step, which compares against all ten stored hashes
  (the worst case), with HMAC hashes vs Argon2 hashes.
Every figure is the best and the median of the runs, in milliseconds; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402

from lumos_learn import create_app  # noqa: E402
from lumos_learn.auth import two_factor  # noqa: E402
from lumos_learn.extensions import db  # noqa: E402
from lumos_learn.models import RecoveryCode, User, UserSession  # noqa: E402
from lumos_learn.passwords import hash_password  # noqa: E402

KEYED = two_factor.hash_recovery_code


def argon2_hash(user_id: int, code: str) -> str:
    return hash_password(code)  # what set-up did before the keyed hash


def make_app(folder: Path):
    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
        }
    )
    with app.app_context():
        db.create_all()
    return app


def new_person(app, n: int) -> tuple[int, str]:
    """A learner signed in by a session row (no password hashing: it is not what is measured)."""
    with app.app_context():
        user = User(email=f"bench{n}@example.org", password_hash="x", full_name=f"Bench Person{n}")
        db.session.add(user)
        db.session.flush()
        session = UserSession(user_id=user.id)
        db.session.add(session)
        db.session.commit()
        return user.id, session.token


def setup_ms(app, n: int, hasher) -> float:
    two_factor.hash_recovery_code = hasher
    user_id, token = new_person(app, n)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
    with app.app_context():
        assert client.get("/en/auth/account/two-factor/setup").status_code == 200
        secret = db.session.get(User, user_id).totp_secret
        start = time.perf_counter()
        response = client.post("/en/auth/account/two-factor/setup", data={"code": pyotp.TOTP(secret).now()})
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200 and "recovery" in response.get_data(as_text=True).lower(), response.status
    return elapsed


def wrong_recovery_code_ms(app, n: int, hasher) -> float:
    user_id, _token = new_person(app, n)
    with app.test_request_context():
        user = db.session.get(User, user_id)
        user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), two_factor.utcnow()
        for k in range(two_factor.RECOVERY_CODE_COUNT):
            db.session.add(RecoveryCode(user_id=user_id, code_hash=hasher(user_id, f"abcde{k:05d}")))
        db.session.commit()
        start = time.perf_counter()
        assert two_factor.verify_code(user, "zzzzz-zzzzz") is None
        return (time.perf_counter() - start) * 1000


def summary(values: list[float]) -> str:
    return f"{min(values):.1f} | {statistics.median(values):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        figures = {name: [] for name in ("setup_keyed", "setup_argon2", "check_keyed", "check_argon2")}
        n = 0
        for _ in range(args.runs):  # interleaved, so that both see the same machine load
            for name, measure, hasher in (
                ("setup_keyed", setup_ms, KEYED),
                ("setup_argon2", setup_ms, argon2_hash),
                ("check_keyed", wrong_recovery_code_ms, KEYED),
                ("check_argon2", wrong_recovery_code_ms, argon2_hash),
            ):
                n += 1
                figures[name].append(measure(app, n, hasher))
        two_factor.hash_recovery_code = KEYED
    print(f"Two-step sign-in, {args.runs} runs, ms (best | median)\n")
    print("| what | keyed hash (now): best | median | Argon2 (baseline): best | median |")
    print("| --- | --- | --- | --- | --- |")
    for label, name in (("set-up request (10 codes)", "setup"), ("wrong recovery code (10 compared)", "check")):
        print(f"| {label} | {summary(figures[name + '_keyed'])} | {summary(figures[name + '_argon2'])} |")


if __name__ == "__main__":
    main()
