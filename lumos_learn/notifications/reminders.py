"""Reminders a trainer switched on per cohort, computed by `flask notifications remind` (cron, daily).

Two reasons: no activity for N days, and N days left before the cohort's end date without completing. Each
reminder has a dedupe key that the outbox holds unique, so running `remind` again, or on two machines at once,
queues nothing new. An inactivity reminder is keyed by the day of the learner's last activity: a learner who
comes back and stalls again is reminded again, once per stall.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..course_library import library
from ..extensions import db
from ..models import Cohort, Enrolment, OutboxMessage, User, utcnow
from .compose import public_url, queue_email, reader_language


def _due_inactive(cohort: Cohort, now: datetime):
    cutoff = now - timedelta(days=cohort.remind_inactive_days)
    return db.session.execute(
        select(Enrolment, User)
        .join(User, User.id == Enrolment.user_id)
        .where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.completed_at.is_(None),
            Enrolment.last_activity_at <= cutoff,
            User.is_active_account.is_(True),
            User.email_reminders.is_(True),
        )
        .order_by(User.id)
    ).all()


def _due_ending(cohort: Cohort):
    return db.session.execute(
        select(Enrolment, User)
        .join(User, User.id == Enrolment.user_id)
        .where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.completed_at.is_(None),
            User.is_active_account.is_(True),
            User.email_reminders.is_(True),
        )
        .order_by(User.id)
    ).all()


def _running(cohort: Cohort, today: date) -> bool:
    return (cohort.starts_on is None or cohort.starts_on <= today) and (
        cohort.ends_on is None or today <= cohort.ends_on
    )


def planned_reminders(now: datetime) -> list[tuple[str, Cohort, Enrolment, User]]:
    """(dedupe key, cohort, enrolment, learner) for every reminder due now, sent or not."""
    today = now.date()
    planned = []
    cohorts = db.session.scalars(
        select(Cohort).where(
            Cohort.archived.is_(False),
            (Cohort.remind_inactive_days.is_not(None)) | (Cohort.remind_before_end_days.is_not(None)),
        )
    )
    for cohort in cohorts:
        if not _running(cohort, today):
            continue
        if cohort.remind_inactive_days:
            for enrolment, user in _due_inactive(cohort, now):
                stalled_on = enrolment.last_activity_at.date().isoformat()
                planned.append((f"remind:inactive:{cohort.id}:{user.id}:{stalled_on}", cohort, enrolment, user))
        ending_soon = cohort.ends_on is not None and cohort.remind_before_end_days is not None
        if ending_soon and today >= cohort.ends_on - timedelta(days=cohort.remind_before_end_days):
            for enrolment, user in _due_ending(cohort):
                key = f"remind:ending:{cohort.id}:{user.id}:{cohort.ends_on.isoformat()}"
                planned.append((key, cohort, enrolment, user))
    return planned


def queue_reminders(now: datetime | None = None) -> int:
    """Queue every reminder due and not yet queued; returns how many were queued."""
    now = now or utcnow()
    planned = planned_reminders(now)
    if not planned:
        return 0
    keys = [key for key, *_rest in planned]
    known = set()
    for start in range(0, len(keys), 500):
        known.update(
            db.session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys[start : start + 500]))
            )
        )
    queued = 0
    courses = library()
    for key, cohort, enrolment, user in planned:
        if key in known:
            continue
        course = courses.get(cohort.course_slug)
        if course is None:
            continue
        _queue_reminder(key, cohort, enrolment, user, course, now)
        queued += 1
    try:
        db.session.commit()
    except IntegrityError:
        # Another `remind` queued some of these at the same moment: start again, it skips what exists.
        db.session.rollback()
        return queue_reminders(now)
    return queued


def _queue_reminder(key, cohort, enrolment, user, course, now) -> None:
    lang = reader_language(user)
    title = course.text("title", lang)[0]
    ending = key.startswith("remind:ending:")
    queue_email(
        user,
        "reminder_ending" if ending else "reminder_inactive",
        "reminder_ending" if ending else "reminder_inactive",
        topic="reminders",
        dedupe_key=key,
        subject=(
            _l("The course “%(title)s” ends soon", title=title)
            if ending
            else _l("Pick up where you left off: “%(title)s”", title=title)
        ),
        cohort=cohort,
        course_title=title,
        days_idle=max((now - enrolment.last_activity_at).days, 0),
        days_left=(cohort.ends_on - now.date()).days if cohort.ends_on else None,
        ends_on=cohort.ends_on,
        course_link=public_url("learn.course", slug=course.slug, lang=lang),
    )
