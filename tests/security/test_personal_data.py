"""A learner's own data: download it, delete the account (certificates stay verifiable, unlinked),
the admin's audit log, and `flask backup` round-tripping every table."""

from __future__ import annotations

import json
import re
import sqlite3

import pyotp
import pytest
from sqlalchemy import func, inspect, select, text
from support import PASSWORD, POSTGRES_URL
from test_learning_journey import COURSE, enrol, final_answers, quiz_token

from lumos_learn.models import (
    AuditEvent,
    Certificate,
    Cohort,
    CohortTrainer,
    ConfidenceRating,
    Enrolment,
    ModuleProgress,
    QuizAnswer,
    QuizAttempt,
    RateLimitCounter,
    RecoveryCode,
    User,
    UserSession,
    record_audit,
)


def complete_course(client):
    """Enrol, rate confidence, fail once, read, pass: a completed course with a certificate."""
    enrol(client)
    client.submit(f"{COURSE}confidence/before", {"c-position-safely": "2", "c-spot-danger": "1", "action": "save"})
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    client.submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=False)},
        page=f"{COURSE}final-check/",
    )
    client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    client.submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)},
        page=f"{COURSE}final-check/",
    )


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_learner_downloads_everything_we_hold_about_them(client, app, learner, make_user, login_as, db):
    login_as(client, learner)
    complete_course(client)
    someone_else = app.test_client()
    login_as(someone_else, make_user(name="Somebody Else", email="else@example.org"))
    complete_course(someone_else)

    response = client.get("/en/auth/account/data/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="lumos-learn-my-data-')
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == learner.email and data["profile"]["full_name"] == "Ana Popescu"
    [enrolment] = data["enrolments"]
    assert enrolment["course"] == "demo-course" and enrolment["completed_at"]
    assert {m["module"] for m in enrolment["modules_read"]} == {"positioning", "final-check"}
    submitted = [a for a in enrolment["quiz_attempts"] if a["submitted_at"]]
    assert [a["passed"] for a in submitted] == [False, True]
    answers = {a["question"]: a["response"] for a in submitted[1]["answers"]}
    assert answers["demo-final-call"] == "112"
    assert {(c["statement"], c["phase"], c["rating"]) for c in enrolment["confidence"]} == {
        ("position-safely", "before", 2),
        ("spot-danger", "before", 1),
    }
    [certificate] = data["certificates"]
    assert certificate["recipient_name"] == "Ana Popescu"
    assert certificate["verification_url"].endswith(f"/verify/{certificate['code']}")
    assert "else@example.org" not in response.get_data(as_text=True)
    assert "Somebody Else" not in response.get_data(as_text=True)
    assert "password" not in json.dumps(data["profile"]) and "$argon2" not in response.get_data(as_text=True)


def test_deleting_the_account_needs_the_password_and_keeps_certificates_verifiable(
    client, app, learner, login_as, make_user, db
):
    email = learner.email
    login_as(client, learner)
    complete_course(client)
    other = app.test_client()
    other_person = make_user(email="else@example.org")
    login_as(other, other_person)
    enrol(other)
    code = db.session.execute(select(Certificate.code)).scalar_one()
    page = "/en/auth/account/data"
    assert "Certificates already issued are not deleted" in client.get(page).get_data(as_text=True)

    refused = client.submit("/en/auth/account/delete", {"password": "not my password"}, page=page)
    assert refused.status_code == 400 and "This is not your current password." in refused.get_data(as_text=True)
    assert count(db, User) == 2 and count(db, QuizAttempt) >= 2

    response = client.submit("/en/auth/account/delete", {"password": PASSWORD}, page=page, follow_redirects=True)
    assert "Your account and your learning records have been deleted." in response.get_data(as_text=True)
    assert client.get("/en/dashboard/").status_code == 302
    assert db.session.execute(select(User.email)).scalars().all() == ["else@example.org"]
    for model in (QuizAttempt, QuizAnswer, ModuleProgress, ConfidenceRating):
        assert count(db, model) == 0, model.__name__
    assert count(db, Enrolment) == 1 and count(db, UserSession) == 1  # the other person's, untouched
    certificate = db.session.execute(select(Certificate)).scalar_one()
    assert (certificate.user_id, certificate.enrolment_id, certificate.recipient_name) == (None, None, "Ana Popescu")
    verification = app.test_client().get(f"/verify/{code}")
    assert verification.status_code == 200 and "Ana Popescu" in verification.get_data(as_text=True)
    event = db.session.execute(select(AuditEvent).filter_by(action="user.deleted_own_account")).scalar_one()
    assert event.details == {"certificates_kept": 1} and "Ana" not in json.dumps(event.details)
    signing_in = app.test_client().submit("/en/auth/login", {"email": email, "password": PASSWORD})
    assert signing_in.status_code == 200  # the account is gone


def test_with_two_step_sign_in_deleting_needs_a_code_too(client, learner, login_as, db):
    learner.totp_secret = pyotp.random_base32()
    from lumos_learn.models import utcnow

    learner.totp_confirmed_at = utcnow()
    db.session.commit()
    login_as(client, learner)
    page = "/en/auth/account/data"
    assert (
        client.submit("/en/auth/account/delete", {"password": PASSWORD, "code": "000000"}, page=page).status_code == 400
    )
    assert count(db, User) == 1
    response = client.submit(
        "/en/auth/account/delete", {"password": PASSWORD, "code": pyotp.TOTP(learner.totp_secret).now()}, page=page
    )
    assert response.status_code == 302 and count(db, User) == 0 and count(db, RecoveryCode) == 0


def test_an_administrator_cannot_delete_their_own_account(client, admin, login_as, db):
    login_as(client, admin)
    response = client.submit(
        "/en/auth/account/delete",
        {"password": PASSWORD, "code": pyotp.TOTP(admin.totp_secret).now()},
        page="/en/auth/account/data",
        follow_redirects=True,
    )
    assert "Administrators cannot delete their own account" in response.get_data(as_text=True)
    assert count(db, User) == 1


def test_the_audit_log_lists_filters_and_pages_events(client, admin, make_user, login_as, db):
    trainer = make_user("trainer", name="Tudor Trainer")
    for n in range(55):
        record_audit(trainer, "cohort.trainer_added", "cohort", n, user_id=n)
    record_audit(admin, "user.role_changed", "user", trainer.id, old="learner", new="trainer")
    db.session.commit()
    login_as(client, admin)
    first = client.get("/en/admin/audit").get_data(as_text=True)
    assert "56 events" in first and "Page 1 of 2" in first
    assert first.index("<code>user.role_changed") < first.index("<code>cohort.trainer_added")  # newest first
    assert "Admin Person" in first and "Tudor Trainer" in first
    second = client.get("/en/admin/audit?page=2").get_data(as_text=True)
    assert second.count("<code>cohort.trainer_added</code>") == 6

    only_roles = client.get("/en/admin/audit?action=user.role_changed").get_data(as_text=True)
    assert "1 event" in only_roles and "<code>cohort.trainer_added</code>" not in only_roles
    assert "old: learner; new: trainer" in only_roles
    by_actor = client.get("/en/admin/audit?actor=tudor").get_data(as_text=True)
    assert "55 events" in by_actor
    by_target = client.get(f"/en/admin/audit?target=user:{trainer.id}").get_data(as_text=True)
    assert "1 event" in by_target
    assert "No event matches" in client.get("/en/admin/audit?target=certificate:NOPE").get_data(as_text=True)


def _rows_of_every_table(db) -> dict[str, list[tuple]]:
    db.session.expire_all()
    rows = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            ordering = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            result = connection.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {ordering}'))
            rows[table.name] = [tuple(r) for r in result]
    return rows


def _assignment_rows(client, db, trainer) -> None:
    """A submitted assignment with a file (in chunks), a mark, and a course assessor."""
    import io

    from fpdf import FPDF

    from lumos_learn.assignments.models import CourseAssessor, Review, Submission

    pdf = FPDF()
    pdf.add_page()
    page = "/en/courses/demo-course/positioning/assignment"
    text = "Dan sits upright with his hips at ninety degrees, feet on a footrest, and I stop when he coughs. " * 2
    response = client.submit(
        page,
        {"action": "submit", "text": text, "files": [(io.BytesIO(bytes(pdf.output())), "plan.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    submission = db.session.execute(select(Submission)).scalar_one()
    levels = {"seating": "meets", "warning-signs": "meets"}
    db.session.add(
        Review(
            submission_id=submission.id,
            marker_id=trainer.id,
            decision="passed",
            levels=levels,
            comments={},
            points=4,
            max_points=5,
            seconds=60,
        )
    )
    db.session.add(CourseAssessor(user_id=trainer.id, course_slug="demo-course"))


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite backups; PostgreSQL uses pg_dump (see the next test)")
def test_backup_and_restore_round_trip_every_table(client, app, learner, make_user, login_as, db, tmp_path):
    login_as(client, learner)
    complete_course(client)
    trainer = make_user("trainer")
    cohort = Cohort(
        course_slug="demo-course", name="Spring", language="en", join_code="SPRING01", created_by_id=trainer.id
    )
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    from lumos_learn.models import CohortImport

    db.session.add(CohortImport(cohort_id=cohort.id, created_by_id=trainer.id, filename="a.csv", rows=[{"name": "x"}]))
    db.session.add(RecoveryCode(user_id=learner.id, code_hash="$argon2id$placeholder"))
    from lumos_learn.models import Announcement

    db.session.add(Announcement(cohort_id=cohort.id, author_id=trainer.id, subject="Welcome", body="See you *soon*."))
    db.session.add(RateLimitCounter(key="login-account:ana@example.org", hits=1, expires_at=2_000_000_000.0))
    record_audit(trainer, "cohort.created", "cohort", cohort.id)
    from lumos_learn.models import AttemptGrant, Enrolment

    enrolment = db.session.execute(select(Enrolment)).scalars().first()
    db.session.add(AttemptGrant(enrolment_id=enrolment.id, module_slug="final-check", granted_by_id=trainer.id))
    db.session.commit()
    _assignment_rows(client, db, trainer)
    db.session.commit()
    before = _rows_of_every_table(db)
    empty = [name for name, rows in before.items() if not rows]
    assert not empty, f"give these tables a row so that the round trip covers them: {empty}"

    runner = app.test_cli_runner()
    backup_file = tmp_path / "backups" / "copy.db"
    result = runner.invoke(args=["backup", "create", "--out", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output and backup_file.stat().st_mode & 0o077 == 0
    assert runner.invoke(args=["backup", "create", "--out", str(backup_file)]).exit_code != 0  # never overwrites

    # Life goes on, then goes wrong: rows changed and deleted.
    db.session.execute(text("DELETE FROM quiz_answers"))
    db.session.execute(text("UPDATE users SET full_name = 'Overwritten'"))
    db.session.commit()
    assert _rows_of_every_table(db) != before

    result = runner.invoke(args=["backup", "restore", str(backup_file)], input="n\n")
    assert result.exit_code != 0 and _rows_of_every_table(db) != before  # asked, refused, nothing done
    result = runner.invoke(args=["backup", "restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert _rows_of_every_table(db) == before
    kept = re.search(r"kept in (\S+)\.", result.output).group(1)
    with sqlite3.connect(kept) as connection:
        assert connection.execute("SELECT count(*) FROM quiz_answers").fetchone()[0] == 0  # the state before restore
    assert client.get("/en/dashboard/").status_code == 200  # the site works on the restored database


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite only")
def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path, db, learner):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "not a readable SQLite database" in result.output
    assert count(db, User) == 1


def test_postgresql_backups_are_explained_with_pg_dump(tmp_path):
    from support import ROOT

    from lumos_learn import create_app

    app = create_app(
        {
            "TESTING": True,
            "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://lumos:s3cret@db.internal:5432/lumos",
        }
    )
    result = app.test_cli_runner().invoke(args=["backup", "create"])
    assert result.exit_code == 2
    assert "pg_dump --format=custom" in result.output and "db.internal:5432/lumos" in result.output
    assert "s3cret" not in result.output
    result = app.test_cli_runner().invoke(args=["backup", "restore", __file__, "--yes"])
    assert result.exit_code == 2 and "pg_restore" in result.output


def test_every_table_is_in_the_models(db):
    """A table created outside the models would be missing from the backup round trip above."""
    in_database = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert in_database == {t.name for t in db.metadata.sorted_tables}
