"""Seed accounts for the browser tests: run with the server's environment (DATABASE_URL, COURSES_DIR).

Usage: python tests/e2e/seed.py EMAIL:ROLE:LANGUAGE:FULL NAME ...   (password from E2E_PASSWORD)
Uses the same service as `flask users create`, in one process so that seeding costs one app start.
Administrators must use two-step sign-in: they get the authenticator secret E2E_TOTP_SECRET, already confirmed.
"""

from __future__ import annotations

import os
import sys

from lumos_learn import create_app
from lumos_learn.auth.services import create_user
from lumos_learn.extensions import db
from lumos_learn.models import User, utcnow


def main(specs: list[str]) -> None:
    app = create_app()
    with app.app_context():
        for spec in specs:
            email, role, language, full_name = spec.split(":", 3)
            user = create_user(
                email=email,
                password=os.environ["E2E_PASSWORD"],
                full_name=full_name,
                role=role,
                preferred_language=language,
                country="MD",
                organisation="E2E school",
                professional_role="teacher",
            )
            if role == "admin" and hasattr(User, "totp_secret"):
                user.totp_secret, user.totp_confirmed_at = os.environ["E2E_TOTP_SECRET"], utcnow()
        db.session.commit()


if __name__ == "__main__":
    main(sys.argv[1:])
