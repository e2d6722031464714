"""Database models: people and their learning state.

Course content is not stored here: rows refer to it by stable identifiers (course slug, module slug,
question id) so that editing a course file never corrupts anyone's progress.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON, Boolean, Date, DateTime, Float, Integer, String, Text

from .extensions import db

ROLES = ("learner", "trainer", "admin")
PROFESSIONAL_ROLES = ("teacher", "principal", "care_staff", "health", "social_worker", "official", "trainer", "other")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


class UTCDateTime(db.TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime stored; use utcnow()")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
        # Emails are stored lower-cased; the index makes case-insensitive uniqueness a database fact.
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    country: Mapped[str] = mapped_column(String(2), default="")
    organisation: Mapped[str] = mapped_column(String(160), default="")
    professional_role: Mapped[str] = mapped_column(String(32), default="other")
    # An IANA zone name the person chose; NULL until they do (time_zones.time_zone_of derives one).
    time_zone: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # Two-step sign-in is on once the first code has been confirmed; until then the secret is only pending.
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last 30-second time step a code was accepted for: the same code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # E-mail a person may turn off (account and security e-mails cannot be turned off).
    email_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    email_announcements: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", cascade="all, delete-orphan")
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # Set by the session loader: the UserSession this request is signed in with.
    current_session = None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    def get_id(self) -> str:
        # Flask-Login keeps this in the cookie: the session's random token, never the row id.
        if self.current_session is None:
            raise RuntimeError("sign in through auth.sessions.start_session")
        return self.current_session.token

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.is_active_account

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_trainer(self) -> bool:
        return self.role in ("trainer", "admin")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time code that signs in when the authenticator is lost. Only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(db.Model):
    """One signed-in browser. The cookie holds only `token`; deleting the row signs that browser out."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="sessions")


class Cohort(db.Model):
    """A group of learners taking one course together, run by one or more trainers."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint("remind_inactive_days IS NULL OR remind_inactive_days > 0", name="reminder_days_positive"),
        CheckConstraint(
            "remind_before_end_days IS NULL OR remind_before_end_days > 0", name="reminder_end_days_positive"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(160))
    language: Mapped[str] = mapped_column(String(8))
    starts_on: Mapped[datetime | None] = mapped_column(Date)
    ends_on: Mapped[datetime | None] = mapped_column(Date)
    deadline: Mapped[datetime | None] = mapped_column(Date)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Reminders the trainer switched on: None = off, otherwise the number of days.
    remind_inactive_days: Mapped[int | None] = mapped_column(Integer)
    remind_before_end_days: Mapped[int | None] = mapped_column(Integer)

    trainers: Mapped[list[User]] = relationship(secondary="cohort_trainers", order_by="User.full_name")
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="cohort")


class Announcement(db.Model):
    """A short message from a trainer to everyone in a cohort: on their dashboards and by e-mail."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)  # limited Markdown, sanitised when shown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    author: Mapped[User | None] = relationship()
    cohort: Mapped[Cohort] = relationship()


class CohortTrainer(db.Model):
    __tablename__ = "cohort_trainers"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class CohortImport(db.Model):
    """A CSV of learners checked and waiting for the trainer's confirmation, then imported once.

    The checked rows are kept here (not in the cookie session, too small; not in process memory, which
    other instances do not share) between the preview and the confirmation.
    """

    __tablename__ = "cohort_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    rows: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Enrolment(db.Model):
    """A learner taking a course: one per learner and course, whatever cohort or language."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    content_language: Mapped[str] = mapped_column(String(8))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    course_version_completed: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="enrolments")
    cohort: Mapped[Cohort | None] = relationship(back_populates="enrolments")
    modules: Mapped[list[ModuleProgress]] = relationship(back_populates="enrolment", cascade="all, delete-orphan")
    attempts: Mapped[list[QuizAttempt]] = relationship(back_populates="enrolment", cascade="all, delete-orphan")
    confidence: Mapped[list[ConfidenceRating]] = relationship(back_populates="enrolment", cascade="all, delete-orphan")


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "module_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="modules")


class QuizAttempt(db.Model):
    """One attempt at a module's quiz.

    `token` is issued when the quiz is shown and consumed by the submit: a resent form finds it used.
    `result` keeps the questions as they were shown and graded, so that editing a course later never
    changes what a learner sees of a past attempt.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent_range"),
        Index("ix_quiz_attempts_enrolment_module", "enrolment_id", "module_slug"),
        # Each learner's submitted attempts at a quiz in the order the item analysis picks the first one: on
        # PostgreSQL the cohort's first attempts come from this index alone (no scan of every attempt, no sort).
        Index(
            "ix_quiz_attempts_submitted_order",
            "enrolment_id",
            "module_slug",
            "submitted_at",
            "id",
            sqlite_where=text("submitted_at IS NOT NULL"),
            postgresql_where=text("submitted_at IS NOT NULL"),
            postgresql_include=["content_language"],
        ),
        # At most one attempt in progress per learner and quiz: reloading the page resumes it.
        Index(
            "uq_quiz_attempts_open",
            "enrolment_id",
            "module_slug",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    content_language: Mapped[str] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64))
    course_version: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    graded: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[dict | None] = mapped_column(JSON)

    enrolment: Mapped[Enrolment] = relationship(back_populates="attempts")
    answers: Mapped[list[QuizAnswer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptQuestion.position"
    )


class AttemptQuestion(db.Model):
    """A question drawn for an attempt when it opened, at its place in the attempt, with its answers' order.

    The draw is fixed here once, so a reload or a lost connection shows the same questions in the same order.
    `answer_order` lists the course file's answer indices (or matching choices) in the order shown; null for
    types whose answers are not shuffled. Attempts from before question banks have no rows: they ask every
    question of the quiz, in an order derived from their token, as they always did.
    """

    __tablename__ = "attempt_questions"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80))
    answer_order: Mapped[list | None] = mapped_column(JSON)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="questions")


class AttemptGrant(db.Model):
    """One more attempt at a graded quiz, granted by a trainer to a learner of their cohort (also audited)."""

    __tablename__ = "attempt_grants"
    __table_args__ = (Index("ix_attempt_grants_enrolment_module", "enrolment_id", "module_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizAnswer(db.Model):
    """A learner's answer to one question in one attempt: saved as they go, scored on submit."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(80), index=True)
    response: Mapped[object] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    correct: Mapped[bool | None] = mapped_column(Boolean)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class ConfidenceRating(db.Model):
    __tablename__ = "confidence_ratings"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "statement_id", "phase"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("phase IN ('before', 'after')", name="phase_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    statement_id: Mapped[str] = mapped_column(String(80))
    phase: Mapped[str] = mapped_column(String(8))
    rating: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="confidence")


class Certificate(db.Model):
    """Proof of completion. One per enrolment; the code is public, the person behind it is not."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint("status_index >= 0 AND status_index < 131072", name="status_index_range"),
        CheckConstraint("assignment_marking IN ('none', 'trainer', 'self')", name="assignment_marking_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="SET NULL"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    course_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    recipient_name: Mapped[str] = mapped_column(String(120))
    course_title: Mapped[str] = mapped_column(String(240))
    hours: Mapped[float] = mapped_column(Float)
    completed_on: Mapped[datetime] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    trainer_name: Mapped[str | None] = mapped_column(String(120))
    # Who assessed the course's counted assignment, from the reviews at issue time: "trainer" (a trainer or
    # assessor), "self" (the learner's self-assessment) or "none" (no counted assignment). Stored so the signed
    # credential never changes; NULL on certificates issued before it was stored (the course decides, as then).
    assignment_marking: Mapped[str | None] = mapped_column(String(10))
    status_index: Mapped[int] = mapped_column(Integer, unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    reissued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A re-issue (after a name correction) replaces this row; the old code then leads to the new one.
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))

    enrolment: Mapped[Enrolment | None] = relationship(foreign_keys=[enrolment_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[superseded_by_id])


class AuditEvent(db.Model):
    """Who did what to whom: role changes, revocations, imports, cohort changes."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(80), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)


def record_audit(actor: User | None, action: str, target_type: str = "", target_id: object = "", **details) -> None:
    """Add an audit event to the current transaction (the caller commits)."""
    db.session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            details=details,
        )
    )


OUTBOX_STATUSES = ("queued", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """An e-mail waiting to be delivered, written in the same transaction as the event that caused it.

    `flask notifications send|worker` claims rows (FOR UPDATE SKIP LOCKED on PostgreSQL) and delivers them, so
    nothing is sent from inside a request and no message goes out twice with several workers. `dedupe_key` makes
    a reminder a database fact: the same learner, cohort and reason can be queued once.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint(f"status IN {OUTBOX_STATUSES!r}", name="status_known"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()


class RateLimitCounter(db.Model):
    """One fixed-window throttle counter (rate_limit_storage.py), shared by every worker and instance.

    `expires_at` is Unix time in seconds, the unit the `limits` library works in; an expired row counts
    as zero and is deleted by the next clean-up."""

    __tablename__ = "rate_limit_counters"
    __table_args__ = (CheckConstraint("hits >= 0", name="hits_not_negative"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
