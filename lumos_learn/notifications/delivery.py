"""Deliver the outbox: claim due rows, send them over SMTP (or to the log), record the outcome.

Claiming is one UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING: on PostgreSQL two workers
never claim the same row and never wait for each other; SQLite runs one writer at a time, so the same statement
is atomic there too. A worker that dies between sending and recording leaves the row `sending`; after
STALE_CLAIM it is queued again (at-least-once: the one case where a message could go twice, said in README).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models import OutboxMessage, utcnow
from .compose import as_email

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=15)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(self.sent + other.sent, self.retried + other.retried, self.failed + other.failed)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, 8... minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def claim_due(limit: int) -> list[OutboxMessage]:
    now = utcnow()
    # The rows to claim are picked once, in a CTE, then updated by joining to it: a LIMIT inside `WHERE id IN
    # (subquery)` is not a bound PostgreSQL keeps (it claimed every queued row), a join to a CTE is.
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due")
    )
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == due.c.id, OutboxMessage.status == "queued")
        .values(status="sending", claimed_at=now)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(claimed.scalars())
    db.session.commit()
    if not ids:
        return []
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))


def requeue_stale() -> int:
    """Rows a dead worker left `sending` go back to the queue."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < utcnow() - STALE_CLAIM)
        .values(status="queued")
    )
    db.session.commit()
    return result.rowcount


def _record_failure(row: OutboxMessage, error: str, max_attempts: int) -> bool:
    """Count a failed try; True if the message is given up (failed), False if it will be retried."""
    row.attempts += 1
    row.last_error = error[:2000]
    row.claimed_at = None
    if row.attempts >= max_attempts:
        row.status = "failed"
        return True
    row.status = "queued"
    row.next_attempt_at = utcnow() + backoff(row.attempts)
    return False


def deliver_batch(limit: int = 50) -> DeliveryReport:
    """Claim up to `limit` due messages and deliver them over one SMTP connection."""
    rows = claim_due(limit)
    report = DeliveryReport()
    if not rows:
        return report
    config = current_app.config
    max_attempts = config["MAIL_MAX_ATTEMPTS"]
    try:
        smtp = _connect(config) if config["MAIL_SERVER"] else None
    except (OSError, smtplib.SMTPException) as error:
        # The server cannot be reached: every claimed message is retried later.
        for row in rows:
            given_up = _record_failure(row, f"connection: {error}", max_attempts)
            report.failed += given_up
            report.retried += not given_up
        db.session.commit()
        return report
    try:
        for row in rows:
            message = as_email(row, config["MAIL_SENDER"])
            try:
                if smtp is None:
                    log.warning(
                        "MAIL_SERVER not set; email to %s not sent:\n%s\n\n%s",
                        row.to_address,
                        row.subject,
                        row.body_text,
                    )
                else:
                    smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as error:
                reasons = "; ".join(
                    f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
                )
                given_up = _record_failure(row, f"refused: {reasons}", max_attempts)
            except (OSError, smtplib.SMTPException) as error:
                given_up = _record_failure(row, f"{type(error).__name__}: {error}", max_attempts)
            else:
                row.status, row.sent_at, row.last_error = "sent", utcnow(), None
                row.attempts += 1  # the try that succeeded counts: the outbox page shows "Sent" after 1 try, not 0
                report.sent += 1
                db.session.commit()
                continue
            report.failed += given_up
            report.retried += not given_up
            db.session.commit()
    finally:
        if smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
    return report


def deliver_all(limit: int = 50) -> DeliveryReport:
    """Deliver everything due now (what `flask notifications send` does once)."""
    requeue_stale()
    total = DeliveryReport()
    while True:
        report = deliver_batch(limit)
        total = total + report
        if report.sent + report.retried + report.failed == 0:
            return total


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def retry_failed(message_id: int) -> bool:
    """An admin's retry: a failed message goes back to the queue with a fresh count of tries."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=utcnow(), claimed_at=None)
    )
    return result.rowcount == 1
