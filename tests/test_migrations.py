"""Migrations are the only way the schema changes: `flask db upgrade` on an empty database must give
exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from support import POSTGRES_URL, ROOT

from lumos_learn import create_app
from lumos_learn.extensions import db


@contextmanager
def empty_database(tmp_path):
    """An empty database of the kind the suite runs on: a new SQLite file, or a new PostgreSQL database."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    server = make_url(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"lumos_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_on_an_empty_database_matches_the_models(tmp_path):
    with empty_database(tmp_path) as url:
        app = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "COURSES_DIR": str(ROOT / "tests" / "data" / "courses")}
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                diff = compare_metadata(context, db.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            tables = set(inspect(db.engine).get_table_names())
            assert {"users", "enrolments", "quiz_attempts", "certificates", "cohorts"} <= tables
            downgrade(directory=str(ROOT / "migrations"), revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite-only pragmas")
def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_attempts_and_progress_survive_the_question_bank_migration(tmp_path):
    """Attempts taken before question banks keep their scores, answers and progress through `upgrade` to the head."""
    with empty_database(tmp_path) as url:
        app = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "COURSES_DIR": str(ROOT / "tests" / "data" / "courses")}
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"), revision="5d3a9e1f7b22")
            statements = [
                "INSERT INTO users (id, email, password_hash, full_name, preferred_language, country, organisation,"
                " professional_role, role, is_active_account, created_at) VALUES (1, 'a@example.org', 'x', 'Ana',"
                " 'en', '', '', 'other', 'learner', true, '2026-11-01 10:00:00+00:00')",
                "INSERT INTO enrolments (id, user_id, course_slug, content_language, enrolled_at, last_activity_at)"
                " VALUES (1, 1, 'demo-course', 'en', '2026-11-01 10:00:00+00:00', '2026-11-02 10:00:00+00:00')",
                "INSERT INTO module_progress (id, enrolment_id, module_slug, read_at)"
                " VALUES (1, 1, 'positioning', '2026-11-01 11:00:00+00:00')",
                "INSERT INTO quiz_attempts (id, token, enrolment_id, module_slug, content_language, content_hash,"
                " course_version, started_at, submitted_at, score, max_score, percent, passed, graded, result)"
                " VALUES (1, 'old-submitted', 1, 'final-check', 'en', 'h', '1.0', '2026-11-02 09:00:00+00:00',"
                " '2026-11-02 09:10:00+00:00', 2.0, 5.0, 40.0, false, true, '{\"percent\": 40.0}')",
                "INSERT INTO quiz_attempts (id, token, enrolment_id, module_slug, content_language, content_hash,"
                " course_version, started_at, graded) VALUES (2, 'old-open', 1, 'final-check', 'en', 'h', '1.0',"
                " '2026-11-02 10:00:00+00:00', true)",
                "INSERT INTO quiz_answers (id, attempt_id, question_id, response, score, correct)"
                " VALUES (1, 1, 'demo-final-call', '\"112\"', 1.0, true)",
                "INSERT INTO quiz_answers (id, attempt_id, question_id, response)"
                " VALUES (2, 2, 'demo-final-number', '\"90\"')",
            ]
            tables = ("users", "enrolments", "module_progress", "quiz_attempts", "quiz_answers")
            with db.engine.begin() as connection:
                for statement in statements:
                    connection.execute(text(statement))
            with db.engine.connect() as connection:
                columns = {t: list(connection.execute(text(f"SELECT * FROM {t}")).keys()) for t in tables}
                rows = {t: f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY id" for t in tables}
                before = {t: connection.execute(text(rows[t])).all() for t in tables}
            # Every later migration, not only the question banks': some rebuild tables that others refer to
            # (SQLite batch mode), which must never cascade into learners' data.
            upgrade(directory=str(ROOT / "migrations"))
            with db.engine.connect() as connection:
                after = {t: connection.execute(text(rows[t])).all() for t in tables}
                assert connection.execute(text("SELECT count(*) FROM attempt_questions")).scalar() == 0
            assert after == before
            db.engine.dispose()
