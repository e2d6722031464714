"""Assignment tables: a learner's submission, its files (stored in the database in chunks), the marks, assessors.

Rows refer to course content by stable ids (course slug via the enrolment, module slug, assignment id, criterion
and level ids), like the rest of the learning state. Everything hangs off the enrolment with ON DELETE CASCADE, so
deleting an account deletes its submissions, marks and files in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON, Boolean, Integer, String, Text

from ..extensions import db
from ..models import Enrolment, User, UTCDateTime, new_token, utcnow

STATUSES = ("draft", "submitted", "returned", "passed")
DECISIONS = ("passed", "returned")
CHUNK_BYTES = 256 * 1024  # one row per 256 KB: a 10 MB file is 40 rows, never one huge value


class Submission(db.Model):
    """One learner's work on one assignment: drafted, submitted, returned for revision, resubmitted, passed.

    `version` grows with every change; a mark names the version it was made on, and the UPDATE that records it
    only succeeds if the row is still at that version (optimistic locking: a second marker is told, not obeyed).
    """

    __tablename__ = "assignment_submissions"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "assignment_id"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status_known"),
        Index("ix_assignment_submissions_queue", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    assignment_id: Mapped[str] = mapped_column(String(80))
    content_language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    times_submitted: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    enrolment: Mapped[Enrolment] = relationship()
    files: Mapped[list[SubmissionFile]] = relationship(
        back_populates="submission", order_by="SubmissionFile.id", passive_deletes=True
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="submission", order_by="Review.id", passive_deletes=True
    )

    @property
    def latest_review(self) -> Review | None:
        return self.reviews[-1] if self.reviews else None


class SubmissionFile(db.Model):
    """A file attached to a submission: its bytes are in `assignment_file_chunks`; `public_id` is its address."""

    __tablename__ = "assignment_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    submission_id: Mapped[int] = mapped_column(ForeignKey("assignment_submissions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="files")


class FileChunk(db.Model):
    __tablename__ = "assignment_file_chunks"

    file_id: Mapped[int] = mapped_column(ForeignKey("assignment_files.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Review(db.Model):
    """One marking of a submission (by a trainer, an assessor, or the learner in self-assessment): kept for good."""

    __tablename__ = "assignment_reviews"
    __table_args__ = (
        CheckConstraint(f"decision IN {DECISIONS!r}", name="decision_known"),
        CheckConstraint("seconds IS NULL OR seconds >= 0", name="seconds_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("assignment_submissions.id", ondelete="CASCADE"), index=True)
    marker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    self_assessed: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[str] = mapped_column(String(10))
    levels: Mapped[dict] = mapped_column(JSON)  # criterion id -> level id
    comments: Mapped[dict] = mapped_column(JSON)  # criterion id -> comment
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int | None] = mapped_column(Integer)  # marking time: the marking page opened -> the mark saved
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="reviews")
    marker: Mapped[User | None] = relationship()


class CourseAssessor(db.Model):
    """Someone an administrator named to mark a course's assignments of learners outside any cohort."""

    __tablename__ = "course_assessors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    course_slug: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
