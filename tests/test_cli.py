"""Command-line tools an administrator uses: `flask users ...` and `flask demo load`."""

from __future__ import annotations

from sqlalchemy import func, select

from lumos_learn.auth.services import authenticate
from lumos_learn.models import AuditEvent, User


def test_users_create_and_set_role(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Trainer@Example.org",
            "--name",
            "Mihai Ceban",
            "--role",
            "trainer",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created trainer@example.org (trainer)" in result.output
    assert authenticate("trainer@example.org", "a long enough passphrase").role == "trainer"

    result = runner.invoke(args=["users", "set-role", "TRAINER@example.org", "admin"])
    assert result.exit_code == 0 and "trainer -> admin" in result.output
    db.session.expire_all()
    assert db.session.execute(select(User)).scalar_one().role == "admin"
    assert db.session.execute(select(AuditEvent)).scalar_one().details["via"] == "cli"


def test_users_create_refuses_duplicates_and_weak_passwords(app, db, make_user):
    make_user(email="taken@example.org")
    runner = app.test_cli_runner()
    duplicate = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "TAKEN@example.org",
            "--name",
            "X Y",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    weak = runner.invoke(
        args=["users", "create", "--email", "new@example.org", "--name", "X Y", "--password", "password1"]
    )
    assert weak.exit_code != 0 and "password rejected" in weak.output
    unknown = runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_demo_load_prints_logins_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.lumos" in first.output and "lumos-demo-2026" in first.output
    count = db.session.scalar(select(func.count()).select_from(User))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == count >= 5
    assert authenticate("trainer@demo.lumos", "lumos-demo-2026").role == "trainer"


def test_demo_gives_the_trainer_a_capstone_to_mark(app, db, login_as):
    """With the shipped courses, the demo cohort's furthest learner has handed in the capstone, so a trainer trying the
    site finds work in the marking queue (and loading twice does not hand it in twice)."""
    from pathlib import Path

    from lumos_learn import create_app
    from lumos_learn.assignments.models import Submission

    shipped = create_app({**app.config, "COURSES_DIR": str(Path(__file__).resolve().parents[1] / "courses")})
    with shipped.app_context():
        runner = shipped.test_cli_runner()
        assert runner.invoke(args=["demo", "load"]).exit_code == 0
        assert runner.invoke(args=["demo", "load"]).exit_code == 0
        waiting = db.session.scalars(select(Submission)).all()
        assert [(s.enrolment.user.email, s.status, s.times_submitted) for s in waiting] == [
            ("andrei.rotaru@demo.lumos", "submitted", 1)
        ]
        client = shipped.test_client()
        login_as(client, authenticate("trainer@demo.lumos", "lumos-demo-2026"))
        cohort = waiting[0].enrolment.cohort_id
        queue = client.get(f"/en/trainer/cohorts/{cohort}/marking").get_data(as_text=True)
        assert "Andrei Rotaru" in queue
