"""Fixtures: a fresh app and database per test, and factories that make tests read like behaviour.

The database is SQLite in a temporary file, or the PostgreSQL server named by TEST_DATABASE_URL
(its tables are emptied between tests).
"""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import text
from support import PASSWORD, POSTGRES_URL, ROOT, Client, database_uri, release_database

from lumos_learn import create_app
from lumos_learn.auth.services import create_user
from lumos_learn.extensions import db as _db
from lumos_learn.extensions import limiter
from lumos_learn.models import UserSession, utcnow
from lumos_learn.passwords import use_cheap_hashing

use_cheap_hashing()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the catalogues the app will read, so a bare `pytest` tests the current .po files."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with open(po_path, encoding="utf-8") as handle:
                catalog = read_po(handle, locale=po_path.parts[-3])
            with open(mo_path, "wb") as handle:
                write_mo(handle, catalog)


@pytest.fixture(scope="session", autouse=True)
def fresh_postgres_schema():
    """On PostgreSQL, start from an empty schema, so that tables of an older model never linger
    (create_all adds missing tables, not missing columns). TEST_DATABASE_URL must be a throwaway database."""
    if not POSTGRES_URL:
        return
    from sqlalchemy import create_engine

    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_uri(tmp_path),
            "SERVER_NAME": None,
            "RATELIMIT_STORAGE_URI": "database://",  # as deployed: counters in the test database
            "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
        }
    )
    app.test_client_class = Client
    app.extensions["mail_outbox"] = []
    with app.app_context():
        _db.create_all()
        limiter.reset()
        yield app
        release_database(_db)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def outbox(app) -> list:
    return app.extensions["mail_outbox"]


@pytest.fixture
def make_user(app):
    counter = {"n": 0}

    def make(
        role: str = "learner", *, email: str | None = None, name: str | None = None, password: str = PASSWORD, **profile
    ):
        counter["n"] += 1
        n = counter["n"]
        user = create_user(
            email=email or f"person{n}@example.org",
            password=password,
            full_name=name or f"Person Number{n}",
            role=role,
            **profile,
        )
        if role == "admin":  # administrators must use two-step sign-in (tests/security/test_two_factor.py)
            user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
            _db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(app):
    """Sign a client in as `user` without going through the form (the form has its own tests)."""

    def login(client: Client, user) -> None:
        user_session = UserSession(user=user)
        _db.session.add(user_session)
        _db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = user_session.token
            session["_fresh"] = True

    return login


@pytest.fixture
def learner(make_user):
    return make_user("learner", name="Ana Popescu")


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Admin Person")
