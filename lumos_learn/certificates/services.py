"""Issuing, finding, revoking and re-issuing certificates: the rules, once.

Issuance is idempotent because the database says so: `certificates.enrolment_id` is unique, so a
completion reached twice (two requests, a replayed signal) inserts one row and the other finds it.
"""

from __future__ import annotations

import logging
import secrets

from flask_login import AnonymousUserMixin
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from ..assignments.services import assignment_marking
from ..content import Course
from ..extensions import db
from ..models import Certificate, CohortTrainer, Enrolment, User, record_audit, utcnow
from ..notifications import events as notify
from .codes import new_code

log = logging.getLogger(__name__)

STATUS_LIST_SIZE = 131_072  # bits: the minimum the Bitstring Status List spec asks for herd privacy
_ATTEMPTS = 8


class CertificateError(ValueError):
    """A rule forbids the change (already revoked, replaced...); the message is for the user."""


def certificate_for(enrolment: Enrolment) -> Certificate | None:
    return db.session.execute(select(Certificate).filter_by(enrolment_id=enrolment.id)).scalar_one_or_none()


def _trainer_names(enrolment: Enrolment) -> str | None:
    if enrolment.cohort is None or not enrolment.cohort.trainers:
        return None
    return ", ".join(t.full_name for t in enrolment.cohort.trainers)[:120]


def _insert(fields: dict) -> Certificate | None:
    """Insert a certificate with a fresh code and status index; None if the enrolment already has one."""
    for _attempt in range(_ATTEMPTS):
        certificate = Certificate(code=new_code(), status_index=secrets.randbelow(STATUS_LIST_SIZE), **fields)
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
            return certificate
        except IntegrityError:
            # The enrolment's certificate exists (the rule), or a random index/code collided (retry).
            if fields.get("enrolment_id") is not None and db.session.scalar(
                select(exists().where(Certificate.enrolment_id == fields["enrolment_id"]))
            ):
                return None
    raise RuntimeError("could not allocate a free certificate code and status index")


def issue_certificate(enrolment: Enrolment, course: Course) -> Certificate:
    """The enrolment's certificate, issued now if it has none. Safe to call any number of times."""
    existing = certificate_for(enrolment)
    if existing is not None:
        return existing
    if enrolment.completed_at is None:
        raise CertificateError("the enrolment is not complete")
    title, _lang = course.text("title", enrolment.content_language)
    certificate = _insert(
        {
            "enrolment_id": enrolment.id,
            "user_id": enrolment.user_id,
            "course_slug": course.slug,
            "course_version": enrolment.course_version_completed or course.version,
            "language": enrolment.content_language,
            "recipient_name": enrolment.user.full_name,
            "course_title": title,
            "hours": float(course.hours),
            "completed_on": enrolment.completed_at.date(),
            "trainer_name": _trainer_names(enrolment),
            "assignment_marking": assignment_marking(course, enrolment),
        }
    )
    if certificate is None:
        db.session.rollback()
        return certificate_for(enrolment)
    record_audit(None, "certificate.issue", "certificate", certificate.code, enrolment_id=enrolment.id)
    notify.certificate_issued(certificate)
    db.session.commit()
    return certificate


def issue_on_completion(sender, enrolment: Enrolment, course: Course, **_extra) -> None:
    """Receiver of `course_completed`: issue the certificate of a course that gives one."""
    if not course.certificate:
        return
    try:
        issue_certificate(enrolment, course)
    except Exception:
        # The completion is committed; a failed issue must not cost the learner their result page.
        # `flask certificates issue-missing` issues what failed here.
        db.session.rollback()
        log.exception("certificate not issued for enrolment %s", enrolment.id)


def issue_missing(courses: dict[str, Course]) -> list[Certificate]:
    """Certificates for completed enrolments that have none (after a failure at completion time)."""
    missing = (
        db.session.execute(
            select(Enrolment).where(
                Enrolment.completed_at.is_not(None),
                Enrolment.course_slug.in_([slug for slug, c in courses.items() if c.certificate]),
                ~exists().where(Certificate.enrolment_id == Enrolment.id),
            )
        )
        .scalars()
        .all()
    )
    return [issue_certificate(e, courses[e.course_slug]) for e in missing]


def find_certificate(code: str | None) -> tuple[Certificate | None, Certificate | None]:
    """(current certificate, the replaced one the code belonged to or None) for a normalised code."""
    if not code:
        return None, None
    certificate = db.session.execute(select(Certificate).filter_by(code=code)).scalar_one_or_none()
    replaced = None
    seen = 0
    while certificate is not None and certificate.superseded_by_id is not None and seen < 20:
        replaced = replaced or certificate
        certificate = certificate.superseded_by
        seen += 1
    return certificate, replaced


def verification_result(code: str | None, base_url: str) -> dict:
    """What the public JSON verification says about a typed or scanned code: the same facts as the
    verify page (never the e-mail, never the revocation reason), as `valid`, `revoked`, `replaced`
    (the code belonged to an earlier version; the current one is named) or `unknown`."""
    certificate, replaced = find_certificate(code)
    if certificate is None:
        return {"code": code or "", "status": "unknown"}
    result = {
        "code": replaced.code if replaced else certificate.code,
        "status": "revoked" if certificate.revoked_at else "valid",
        "recipientName": certificate.recipient_name,
        "course": certificate.course_slug,
        "courseTitle": certificate.course_title,
        "courseVersion": certificate.course_version,
        "language": certificate.language,
        "hours": certificate.hours,
        "completedOn": certificate.completed_on.isoformat(),
        "issuedOn": certificate.issued_at.date().isoformat(),
        "verificationPage": f"{base_url}/verify/{certificate.code}",
        "credentialId": f"{base_url}/verify/{certificate.code}",
    }
    if certificate.revoked_at:
        result["revokedOn"] = certificate.revoked_at.date().isoformat()
    if replaced is not None:
        result["status"] = "replaced"
        result["replacedOn"] = replaced.reissued_at.date().isoformat()
        result["current"] = {
            "code": certificate.code,
            "status": "revoked" if certificate.revoked_at else "valid",
        }
    return result


def _trains_cohort_of(user: User, certificate: Certificate) -> bool:
    enrolment = certificate.enrolment
    if enrolment is None or enrolment.cohort_id is None:
        return False
    return db.session.get(CohortTrainer, (enrolment.cohort_id, user.id)) is not None


def may_download(user: User | AnonymousUserMixin, certificate: Certificate) -> bool:
    """The owner, a trainer of the enrolment's cohort, or an admin. Anyone else is told nothing."""
    if not user.is_authenticated:
        return False
    return user.is_admin or certificate.user_id == user.id or _trains_cohort_of(user, certificate)


def may_manage(user: User | AnonymousUserMixin, certificate: Certificate) -> bool:
    """Revoke and re-issue: an admin, or a trainer of the enrolment's cohort."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_trainer and _trains_cohort_of(user, certificate))


def manageable_certificates(user: User, *, course_slug: str = "", version: str = "", query: str = ""):
    """A select of the current certificates `user` may manage, newest first, filtered."""
    statement = select(Certificate).where(Certificate.superseded_by_id.is_(None))
    if not user.is_admin:
        statement = statement.join(Enrolment, Enrolment.id == Certificate.enrolment_id).join(
            CohortTrainer, (CohortTrainer.cohort_id == Enrolment.cohort_id) & (CohortTrainer.user_id == user.id)
        )
    if course_slug:
        statement = statement.where(Certificate.course_slug == course_slug)
    if version:
        statement = statement.where(Certificate.course_version == version)
    if query:
        like = f"%{query.strip().lower()}%"
        statement = statement.where(
            or_(db.func.lower(Certificate.recipient_name).like(like), db.func.lower(Certificate.code).like(like))
        )
    return statement.order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def revoke_certificate(certificate: Certificate, actor: User, reason: str) -> None:
    """Revoke, record who and why, and tell the learner by e-mail (queued in the same transaction)."""
    if certificate.revoked_at is not None:
        raise CertificateError("already revoked")
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revocation_reason = reason.strip()
    record_audit(actor, "certificate.revoke", "certificate", certificate.code, reason=certificate.revocation_reason)
    notify.certificate_revoked(certificate)
    db.session.commit()


def reissue_certificate(old: Certificate, actor: User, recipient_name: str, reason: str) -> Certificate:
    """Replace `old` by a new certificate (new code, new status bit) with the corrected name.

    The old credential is revoked (it carries the old name); the old code leads to the new certificate.
    """
    if old.superseded_by_id is not None:
        raise CertificateError("already replaced")
    if old.revoked_at is not None:
        raise CertificateError("revoked")
    now = utcnow()
    enrolment_id = old.enrolment_id
    old.enrolment_id = None  # the unique enrolment link moves to the new certificate
    db.session.flush()
    fields = {
        column: getattr(old, column)
        for column in (
            "user_id",
            "course_slug",
            "course_version",
            "language",
            "course_title",
            "hours",
            "completed_on",
            "trainer_name",
            "assignment_marking",
        )
    }
    new = _insert({**fields, "enrolment_id": enrolment_id, "recipient_name": recipient_name.strip()})
    if new is None:
        db.session.rollback()
        raise CertificateError("the enrolment has another certificate")
    old.superseded_by_id = new.id
    old.reissued_at = now
    old.revoked_at = now
    old.revoked_by_id = actor.id
    old.revocation_reason = reason.strip()
    record_audit(
        actor,
        "certificate.reissue",
        "certificate",
        old.code,
        new_code=new.code,
        reason=reason.strip(),
        old_name=old.recipient_name,
        new_name=new.recipient_name,
    )
    db.session.commit()
    return new


def assignment_wording(certificate: Certificate, course: Course | None) -> str:
    """What the certificate says of the course's assignment: "trainer", "self" or "none" (stored at issue; for
    certificates issued before it was stored, what the course said then: a counted trainer-marked assignment)."""
    if certificate.assignment_marking is not None:
        return certificate.assignment_marking
    return "trainer" if course is not None and course.has_assessed_assignment else "none"


def revoked_indices() -> list[int]:
    return list(db.session.scalars(select(Certificate.status_index).where(Certificate.revoked_at.is_not(None))))
