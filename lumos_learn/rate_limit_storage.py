"""Throttle counters in the application's own database, so that every limit holds across workers and instances.

`RATELIMIT_STORAGE_URI=database://` (the default) selects this storage; Flask-Limiter's default fixed-window
strategy needs only `incr`, `get`, `get_expiry` and `clear`. Each counter is one row of `rate_limit_counters`,
incremented by a single INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement: atomic on SQLite (3.35+) and
PostgreSQL alike, so two workers counting the same failure at the same moment both count. Every call runs on
a connection of its own, outside the request's session: a throttle hit is committed at once, whatever the
request then does with its own transaction.
"""

from __future__ import annotations

import hashlib
import time

from limits.errors import ConfigurationError
from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .models import RateLimitCounter

CLEAN_EVERY_SECONDS = 60
_KEY_LENGTH = RateLimitCounter.__table__.c.key.type.length
_table = RateLimitCounter.__table__


def storage_key(key: str) -> str:
    """Keys carry what a client typed (the e-mail of a sign-in): a long one is stored as its SHA-256."""
    if len(key) <= _KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _insert(dialect_name: str):
    dialects = {"postgresql": postgresql, "sqlite": sqlite}
    if dialect_name not in dialects:
        raise ConfigurationError(f"database:// throttle counters need SQLite or PostgreSQL, not {dialect_name}")
    return dialects[dialect_name].insert(_table)


class DatabaseStorage(Storage):
    """A `limits` storage backed by the table `rate_limit_counters` of the current Flask app's database."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._cleaned_at = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = db.engine
        insert = _insert(engine.dialect.name)
        inserted = insert.excluded
        expired = _table.c.expires_at <= now
        statement = (
            insert.values(key=storage_key(key), hits=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[_table.c.key],
                # Both SET expressions read the row as it was: an expired window starts again at `amount`.
                set_={
                    "hits": case((expired, inserted.hits), else_=_table.c.hits + inserted.hits),
                    "expires_at": case((expired, inserted.expires_at), else_=_table.c.expires_at),
                },
            )
            .returning(_table.c.hits)
        )
        with engine.begin() as connection:
            hits = connection.execute(statement).scalar_one()
        if now - self._cleaned_at >= CLEAN_EVERY_SECONDS:
            # In a transaction of its own: holding this counter's row lock while deleting others could
            # deadlock with another process doing the same the other way round.
            self._cleaned_at = now
            self.clean_expired()
        return hits

    def get(self, key: str) -> int:
        query = select(_table.c.hits).where(_table.c.key == storage_key(key), _table.c.expires_at > time.time())
        with db.engine.connect() as connection:
            return connection.execute(query).scalar() or 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        query = select(_table.c.expires_at).where(_table.c.key == storage_key(key), _table.c.expires_at > now)
        with db.engine.connect() as connection:
            return connection.execute(query).scalar() or now

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(_table)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(_table).where(_table.c.key == storage_key(key)))

    def clean_expired(self) -> int:
        """Deletes the counters whose window has ended (incr does this at most once a minute per process)."""
        with db.engine.begin() as connection:
            return connection.execute(delete(_table).where(_table.c.expires_at <= time.time())).rowcount
