"""PostgreSQL connections are not pinged on every request (a round trip each), yet one dropped while it sat idle in
the pool is replaced before a request uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from support import POSTGRES_URL, ROOT, database_uri

from lumos_learn import create_app
from lumos_learn.extensions import db

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="a PostgreSQL connection to drop: TEST_DATABASE_URL")


def backend_pid(app) -> int:
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        db.session.remove()  # the connection goes back to the pool
    return pid


def drop(pid: int) -> None:
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


def make_app(tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_uri(tmp_path),
            "SERVER_NAME": None,
            "RATELIMIT_STORAGE_URI": "memory://",
            "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
            **config,
        }
    )


def test_a_connection_dropped_while_idle_is_replaced_before_it_is_used(tmp_path):
    app = make_app(tmp_path, DATABASE_PING_AFTER_IDLE=0)  # every returned connection counts as idle
    first = backend_pid(app)
    drop(first)
    second = backend_pid(app)  # no error: the ping found the dead connection and the pool opened another
    assert second != first
    with app.app_context():
        db.engine.dispose()


def test_a_connection_back_from_a_request_a_moment_ago_is_not_pinged(tmp_path):
    """With the deployed threshold a connection just returned goes straight to the next request: had it been
    pinged, the drop would have been found there; unpinged, the query itself meets it."""
    app = make_app(tmp_path)
    first = backend_pid(app)
    drop(first)
    with app.app_context(), pytest.raises(Exception, match=r"terminat|closed|connection"):
        db.session.execute(text("SELECT 1"))
    with app.app_context():
        db.session.remove()
    assert backend_pid(app) != first  # and the pool has replaced it for the request after
    with app.app_context():
        db.engine.dispose()


def test_the_apps_postgresql_connections_run_without_jit_unless_the_url_says(tmp_path):
    """JIT compilation cost 200 ms of the impact report's 250 ms statement; a DATABASE_URL's own options win."""
    app = make_app(tmp_path)
    with app.app_context():
        assert db.session.execute(text("SHOW jit")).scalar_one() == "off"
        db.engine.dispose()
    own = database_uri(tmp_path) + ("&" if "?" in database_uri(tmp_path) else "?") + "options=-c%20jit%3Don"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=own)
    with app.app_context():
        assert db.session.execute(text("SHOW jit")).scalar_one() == "on"
        db.engine.dispose()
