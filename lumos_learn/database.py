"""Database set-up: SQLite tuned for a web server; PostgreSQL without JIT compilation."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event, exc, make_url
from sqlalchemy.engine import Engine

from .extensions import db

# A pooled connection idle for longer than this is checked with a ping before a request uses it (a database
# restarted, or a connection dropped by a firewall, is found then, not by a learner's request failing). A busy
# server's connections come back every few milliseconds and are not pinged: SQLAlchemy's pool_pre_ping pinged on
# every checkout, one more round trip to PostgreSQL on every request.
PING_AFTER_IDLE_SECONDS = 10.0

# PostgreSQL compiles a query to machine code when the planner's cost estimate passes jit_above_cost; for the
# trainer's reports over tens of thousands of rows that compilation took 200 ms of a 250 ms statement (EXPLAIN
# ANALYZE, the impact report over 50,000 enrolments: docs/performance.md), and a web page never runs long enough
# to earn it back. Off for the app's connections, unless DATABASE_URL says otherwise (`?options=...`).
POSTGRESQL_OPTIONS = "-c jit=off"


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if not _is_sqlite(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once; the busy timeout makes a writer wait for the lock
    # instead of failing with "database is locked"; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 15})
    elif uri.startswith("postgresql") and "options" not in make_url(uri).query:
        options["connect_args"] = {"options": POSTGRESQL_OPTIONS, **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    if not uri.startswith("sqlite"):
        with app.app_context():
            _ping_when_idle(db.engine, app.config.get("DATABASE_PING_AFTER_IDLE", PING_AFTER_IDLE_SECONDS))


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """SQLAlchemy's documented pessimistic check ("Disconnect Handling", a checkout event raising
    DisconnectionError, after which the pool retries with a fresh connection), only for connections that sat idle."""

    @event.listens_for(engine.pool, "checkin")
    def _returned(dbapi_connection, connection_record):
        connection_record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _check(dbapi_connection, connection_record, connection_proxy):
        returned_at = connection_record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < idle_seconds:
            return  # just opened, or back from a request a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError() from error
