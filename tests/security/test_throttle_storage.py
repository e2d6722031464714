"""Throttle counters kept in the app's database (rate_limit_storage.py): what every worker and instance shares.

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL, like the rest of the suite (whose app, as deployed,
counts in the database too: conftest.py).
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from support import PASSWORD

from lumos_learn.models import RateLimitCounter
from lumos_learn.rate_limit_storage import DatabaseStorage, storage_key


@pytest.fixture
def storage(app):
    return DatabaseStorage("database://")


def test_a_counter_counts_within_its_window_and_starts_again_after_it(storage):
    assert storage.get("k") == 0
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("k", 60, amount=2) == 5
    assert storage.get("k") == 5
    assert time.time() + 55 < storage.get_expiry("k") <= time.time() + 60
    assert storage.incr("other", 60) == 1  # counters are per key

    assert storage.incr("short", 1) == 1
    time.sleep(1.1)
    assert storage.get("short") == 0  # the window is over: the counter reads as zero...
    assert storage.incr("short", 1) == 1  # ...and the next hit opens a new window


def test_clear_reset_and_the_clean_up_of_expired_counters(storage, db):
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.incr("gone", 1)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    time.sleep(1.1)
    assert storage.clean_expired() == 1
    assert db.session.scalars(select(RateLimitCounter.key)).all() == ["b"]
    assert storage.reset() == 1
    assert storage.get("b") == 0
    assert storage.check()


def test_counting_deletes_expired_counters_at_most_once_a_minute(storage, db):
    storage.incr("first", 1)  # the first hit of a process also cleans (nothing to clean yet)
    time.sleep(1.1)
    storage.incr("second", 60)  # within a minute of the last clean-up: the expired row stays for now
    assert set(db.session.scalars(select(RateLimitCounter.key))) == {"first", "second"}
    storage._cleaned_at -= 60  # a minute later
    storage.incr("third", 60)
    db.session.rollback()
    assert set(db.session.scalars(select(RateLimitCounter.key))) == {"second", "third"}


def test_a_key_longer_than_the_column_is_stored_by_its_hash(storage, db):
    long_key = "login-account:" + "x" * 5000 + "@example.org"
    assert storage.incr(long_key, 60) == 1
    assert storage.incr(long_key, 60) == 2
    assert storage.incr(long_key[:-1], 60) == 1  # another long key is another counter
    assert len(storage_key(long_key)) <= 255
    assert db.session.scalar(select(func.max(func.length(RateLimitCounter.key)))) <= 255


def test_increments_from_many_connections_at_once_are_all_counted(app, storage):
    """Eight threads, each with its own connection, as eight workers would: no increment is lost."""
    errors = []

    def hit():
        try:
            with app.app_context():
                for _ in range(10):
                    storage.incr("shared", 60)
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert storage.get("shared") == 80


def test_sign_in_failures_are_counted_in_the_database(app, make_user, db):
    make_user(email="teacher@example.org")
    client = app.test_client()
    statuses = [
        client.submit("/en/auth/login", {"email": "teacher@example.org", "password": f"wrong {n}"}).status_code
        for n in range(9)
    ]
    assert statuses == [200] * 8 + [429]
    assert client.submit("/en/auth/login", {"email": "teacher@example.org", "password": PASSWORD}).status_code == 429
    keys = db.session.scalars(select(RateLimitCounter.key)).all()
    assert any("teacher@example.org" in key for key in keys)


def test_guessing_join_codes_is_throttled_and_real_codes_are_not_counted(app, make_user, db):
    from lumos_learn.models import Cohort

    trainer = make_user("trainer")
    db.session.add(
        Cohort(course_slug="demo-course", name="Group", language="en", join_code="REALCODE", created_by_id=trainer.id)
    )
    db.session.commit()
    guesser = app.test_client()
    for _ in range(40):  # opening a real code, however often, costs nothing
        assert guesser.get("/en/join/REALCODE").status_code == 200
    statuses = [guesser.get(f"/en/join/GUESS{n:03d}").status_code for n in range(20)]
    statuses += [guesser.submit("/en/join", {"code": f"TRY{n:03d}"}).status_code for n in range(10)]
    assert statuses == [404] * 20 + [400] * 10
    # The 31st miss, by either way, is refused; so is a real code from the same address until the window ends.
    assert guesser.get("/en/join/GUESS999").status_code == 429
    assert guesser.submit("/en/join", {"code": "TRY999"}, page="/en/join").status_code == 429
    assert guesser.get("/en/join/REALCODE").status_code == 429
    # Someone else (another address) is not affected.
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert neighbour.get("/en/join/REALCODE").status_code == 200
