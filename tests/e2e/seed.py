"""Prepare a fresh database for the browser tests, in one process (each app start loads every course).

Runs `flask db upgrade`, `flask certificates generate-key` (once that command exists) and creates the
accounts given as EMAIL:ROLE:LANGUAGE:FULL NAME with the service behind `flask users create`.
Administrators must use two-step sign-in: they get the authenticator secret E2E_TOTP_SECRET, confirmed.
Environment: the server's (DATABASE_URL, COURSES_DIR, CERTIFICATE_KEY_FILE), plus E2E_PASSWORD.
"""

from __future__ import annotations

import os
import sys

from lumos_learn import create_app
from lumos_learn.auth.services import create_user
from lumos_learn.extensions import db
from lumos_learn.models import User, utcnow


def flask_command(app, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.output}")


def main(specs: list[str]) -> None:
    app = create_app()
    flask_command(app, "db", "upgrade")
    if "certificates" in app.cli.commands and "generate-key" in app.cli.commands["certificates"].commands:
        flask_command(
            app, "certificates", "generate-key", "--bits", "2048", "--out", os.environ["CERTIFICATE_KEY_FILE"]
        )
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
