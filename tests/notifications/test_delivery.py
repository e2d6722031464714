"""E-mail goes through the outbox to a real SMTP server: every kind, every language, once; failures retried."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from smtp_server import REFUSED
from sqlalchemy import select, update
from support import ROOT
from trainer_helpers import COURSE, add_learner, make_cohort

from lumos_learn.auth.services import make_reset_token
from lumos_learn.certificates.services import issue_certificate, revoke_certificate
from lumos_learn.course_library import library
from lumos_learn.i18n import LANGUAGES
from lumos_learn.models import OutboxMessage, utcnow
from lumos_learn.notifications import events
from lumos_learn.notifications.announcements import announce
from lumos_learn.notifications.delivery import deliver_all
from lumos_learn.notifications.reminders import queue_reminders

# A phrase of each message that differs from the English one in every other language.
ACCOUNT_KINDS = {"password_reset", "invitation", "cohort_added", "certificate_issued", "certificate_revoked"}
OPTIONAL_KINDS = {"announcement", "reminder_inactive", "reminder_ending"}


def _every_kind_for(person, trainer, db):
    """Cause every event once for `person`, through the services the pages and commands call."""
    course = library().get(COURSE)
    cohort = make_cohort(trainer, name=f"Group {person.preferred_language}")
    cohort.ends_on = (utcnow() + timedelta(days=3)).date()
    cohort.remind_inactive_days = 7
    cohort.remind_before_end_days = 5
    enrolment = add_learner(cohort, person, days_idle=10)
    events.password_reset(person, make_reset_token(person))
    events.invitation(person, cohort, course, trainer, make_reset_token(person, invitation=True))
    events.added_to_cohort(person, cohort, course, trainer)
    announce(cohort, trainer, "Week two", "Read *module 2* before Thursday.", course)
    db.session.commit()
    assert queue_reminders() == 2  # idle for 10 days, and 3 days before the end
    enrolment.completed_at = utcnow()
    db.session.commit()
    certificate = issue_certificate(enrolment, course)
    revoke_certificate(certificate, trainer, "Issued to the wrong person")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_message_arrives_once_in_the_readers_language_with_both_parts(lang, mailbox, make_user, db):
    trainer = make_user("trainer", preferred_language="en")
    person = make_user(preferred_language=lang, email=f"reader-{lang}@example.org")
    _every_kind_for(person, trainer, db)
    report = deliver_all()
    kinds = ACCOUNT_KINDS | OPTIONAL_KINDS
    assert report.sent == len(kinds) and report.failed == 0

    received = mailbox.to(person.email)
    assert len(received) == len(kinds)
    assert len({m["Message-ID"] for m in received}) == len(kinds)  # each once
    rows = {row.kind: row for row in db.session.scalars(select(OutboxMessage).filter_by(user_id=person.id))}
    assert set(rows) == kinds and {row.status for row in rows.values()} == {"sent"}
    english = {}
    if lang != "en":
        # The same events for an English reader, to check that nothing came out in English.
        reader = make_user(preferred_language="en", email="english-reader@example.org")
        _every_kind_for(reader, trainer, db)
        deliver_all()
        english = {m["Subject"]: m for m in mailbox.to(reader.email)}
    for message in received:
        assert message["Content-Language"] == lang
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Lumos Learn" in text and "Lumos Learn" in html and f'lang="{lang}"' in html
        if lang != "en":
            assert message["Subject"] not in english, message["Subject"]
        kind = next((k for k, row in rows.items() if row.subject == message["Subject"]), None)
        assert kind, (message["Subject"], [r.subject for r in rows.values()])
        if kind in OPTIONAL_KINDS:
            assert (
                message["List-Unsubscribe"].startswith("<http")
                and "/notifications/unsubscribe/" in message["List-Unsubscribe"]
            )
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert message["List-Unsubscribe"].strip("<>") in text
        else:
            assert message["List-Unsubscribe"] is None and "unsubscribe" not in text


def test_unsubscribing_stops_reminders_but_not_account_emails(app, client, mailbox, make_user, db):
    trainer = make_user("trainer")
    person = make_user(email="stalled@example.org")
    cohort = make_cohort(trainer)
    cohort.remind_inactive_days = 7
    enrolment = add_learner(cohort, person, days_idle=8)
    db.session.commit()
    assert queue_reminders() == 1
    deliver_all()
    [reminder] = mailbox.to(person.email)
    link = reminder["List-Unsubscribe"].strip("<>")
    # A mail client's one-click unsubscribe (RFC 8058): a POST with no session and no form token.
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a GET only asks
    db.session.refresh(person)
    assert person.email_reminders
    response = client.post("/" + path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.refresh(person)
    assert not person.email_reminders and person.email_announcements

    # A new stall later: no reminder. A password reset: still sent.
    db.session.execute(update(type(enrolment)).values(last_activity_at=utcnow() - timedelta(days=20)))
    db.session.commit()
    assert queue_reminders() == 0
    assert client.submit("/en/auth/reset", {"email": person.email}).status_code == 302
    deliver_all()
    assert [m["Subject"] for m in mailbox.to(person.email)][1:] == ["Choose a new Lumos Learn password"]


def test_an_altered_unsubscribe_link_changes_nothing(client, make_user, db):
    person = make_user()
    from lumos_learn.notifications.unsubscribe import unsubscribe_token

    with client.application.test_request_context():
        token = unsubscribe_token(person, "reminders")
    assert client.post(f"/en/notifications/unsubscribe/{token[:-2]}xx").status_code == 404
    db.session.refresh(person)
    assert person.email_reminders


def test_remind_twice_queues_nothing_new(app, mailbox, make_user, db):
    trainer = make_user("trainer")
    cohort = make_cohort(trainer)
    cohort.remind_inactive_days = 7
    add_learner(cohort, make_user(email="idle@example.org"), days_idle=9)
    add_learner(cohort, make_user(email="busy@example.org"), days_idle=1)
    add_learner(cohort, make_user(email="done@example.org"), days_idle=30, completed=True)
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["notifications", "remind"])
    second = runner.invoke(args=["notifications", "remind"])
    assert first.exit_code == 0 and "queued 1 reminders" in first.output
    assert second.exit_code == 0 and "queued 0 reminders" in second.output
    sent = runner.invoke(args=["notifications", "send"])
    assert "sent 1," in sent.output
    assert len(mailbox.to("idle@example.org")) == 1 and not mailbox.to("busy@example.org")
    assert runner.invoke(args=["notifications", "remind"]).output.strip() == "queued 0 reminders"


def test_a_refused_address_is_retried_then_marked_failed_with_the_reason(
    app, mailbox, make_user, db, admin, login_as, client
):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    person = make_user(email=REFUSED)
    events.password_reset(person, make_reset_token(person))
    db.session.commit()
    for attempt in (1, 2, 3):
        deliver_all()
        row = db.session.scalar(select(OutboxMessage))
        assert row.attempts == attempt and "550" in row.last_error and "No such mailbox" in row.last_error
        assert row.status == ("failed" if attempt == 3 else "queued")
        row.next_attempt_at = utcnow() - timedelta(seconds=1)  # the back-off has passed
        db.session.commit()
    deliver_all()
    assert db.session.scalar(select(OutboxMessage)).attempts == 3  # no fourth try
    assert not mailbox.messages

    # The administrator sees why, and can try again.
    login_as(client, admin)
    page = client.get("/en/admin/outbox?status=failed").get_data(as_text=True)
    assert REFUSED in page and "No such mailbox here" in page
    assert client.submit(f"/en/admin/outbox/{row.id}/retry", {}, page="/en/admin/outbox").status_code == 302
    db.session.refresh(row)
    assert row.status == "queued" and row.attempts == 0


def test_without_a_mail_server_messages_go_to_the_log(app, make_user, db, caplog):
    app.config["MAIL_SERVER"] = ""
    person = make_user(email="dev@example.org")
    events.password_reset(person, make_reset_token(person))
    db.session.commit()
    assert deliver_all().sent == 1
    assert "email to dev@example.org not sent" in caplog.text and "/auth/reset/" in caplog.text


def test_two_workers_deliver_a_thousand_messages_none_twice_none_lost(app, mailbox, make_user, db):
    # 15 ms a message: one worker alone would need 15 s, far longer than the other takes to start, so both take
    # part (checked below) while they claim small batches from the same queue.
    mailbox.delay = 0.015
    person = make_user(email="crowd@example.org")
    db.session.add_all(
        OutboxMessage(
            kind="announcement",
            user_id=person.id,
            to_address=f"learner{n}@example.org",
            language="en",
            subject=f"Message {n}",
            body_text=f"Body {n}",
            body_html=f"<p>Body {n}</p>",
        )
        for n in range(1000)
    )
    db.session.commit()
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://", 1),
        "SECRET_KEY": app.config["SECRET_KEY"],
        "COURSES_DIR": app.config["COURSES_DIR"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(app.config["MAIL_PORT"]),
        "MAIL_USE_TLS": "0",
    }
    flask = [sys.executable, "-m", "flask", "notifications", "send", "--batch", "10"]
    workers = [subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    counts = [int(out.split("sent ", 1)[1].split(",")[0]) for out in outputs]
    assert sum(counts) == 1000 and all(counts), outputs  # both worked, and together sent each once
    subjects = [m["Subject"] for m in mailbox.messages]
    assert len(subjects) == 1000 and len(set(subjects)) == 1000
    db.session.expire_all()
    assert set(db.session.scalars(select(OutboxMessage.status))) == {"sent"}


def test_a_worker_claims_at_most_one_batch(app, make_user, db):
    """The claim takes `limit` messages and leaves the rest queued for other workers (on PostgreSQL a LIMIT inside
    `WHERE id IN (subquery)` once let one worker claim every queued message)."""
    from lumos_learn.notifications.delivery import claim_due

    person = make_user(email="batch@example.org")
    for _ in range(30):
        events.password_reset(person, make_reset_token(person))
    db.session.commit()
    claimed = claim_due(10)
    assert len(claimed) == 10
    statuses = [status for (status,) in db.session.execute(select(OutboxMessage.status))]
    assert statuses.count("sending") == 10 and statuses.count("queued") == 20


def test_a_message_sent_at_the_first_try_counts_that_try(mailbox, make_user, db, admin, login_as, client):
    """The outbox page's 'Tries' column said 0 beside 'Sent': the try that succeeded was not counted."""
    person = make_user(email="first-try@example.org")
    events.password_reset(person, make_reset_token(person))
    db.session.commit()
    assert deliver_all().sent == 1
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == "sent" and row.attempts == 1
    login_as(client, admin)
    page = client.get("/en/admin/outbox?status=sent").get_data(as_text=True)
    assert "first-try@example.org" in page and "<td>1</td>" in page
