"""What tests share besides fixtures: constants and the browser-like test client.

Import it as `from support import PASSWORD, ROOT` (several folders have a conftest.py of their own, so
importing from `conftest` would be ambiguous).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


class Client(FlaskClient):
    """A test client that submits forms as a browser does: with the CSRF token of the page it came from.

    Each request runs in an application context of its own, as in production: `g` and the database
    session start fresh, rather than being shared with the test's context and earlier requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self, page: str) -> str:
        response = self.get(page)
        match = CSRF_RE.search(response.get_data(as_text=True))
        assert match, f"no CSRF token on {page} ({response.status_code})"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        data = dict(data or {})
        data["csrf_token"] = self.csrf_token(page or url)
        return self.post(url, data=data, **kwargs)


def database_uri(folder: Path) -> str:
    """The suite's database: the PostgreSQL server of TEST_DATABASE_URL, or a SQLite file in `folder`."""
    if POSTGRES_URL:
        return POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{folder / 'test.db'}"


def release_database(db) -> None:
    """After a test: close the session, empty PostgreSQL's tables (SQLite files are thrown away), free connections."""
    from sqlalchemy import text

    db.session.remove()
    if POSTGRES_URL:
        names = ", ".join(f'"{t.name}"' for t in reversed(db.metadata.sorted_tables))
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.engine.dispose()


def plain_text(message) -> str:
    """The plain-text part of an e-mail the site queued (every e-mail also has an HTML part)."""
    return message.get_body(preferencelist=("plain",)).get_content()


def add_failed_attempts(db, enrolment_id: int, days_ago: tuple[int, ...], module_slug: str = "final-check") -> None:
    """Failed, submitted attempts at the demo course's final, one per number of days ago (another tab, another
    device, earlier days)."""
    from datetime import timedelta

    from lumos_learn.models import QuizAttempt, utcnow

    for days in days_ago:
        db.session.add(
            QuizAttempt(
                enrolment_id=enrolment_id,
                module_slug=module_slug,
                content_language="en",
                content_hash="x",
                course_version="1.0",
                submitted_at=utcnow() - timedelta(days=days),
                percent=20.0,
                passed=False,
                graded=True,
            )
        )
    db.session.commit()
