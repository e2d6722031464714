"""A person's own data: everything we hold about them as JSON, and deleting their account.

Policy for issued certificates (SECURITY.md, the privacy page): a certificate is a statement the
issuer made to third parties (employers), so it survives the account. Deleting the account removes
the link to the person (certificates.user_id and enrolment_id are ON DELETE SET NULL) and keeps the
name as printed on the certificate, so that `/verify/<code>` still answers an employer who holds it.
Everything else (profile, sessions, enrolments, progress, attempts, answers, confidence ratings,
recovery codes, assignment submissions with their files and marks) is deleted by the database's cascades in the
same transaction.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from .course_library import library
from .extensions import db
from .models import AttemptGrant, Certificate, Enrolment, OutboxMessage, User, UserSession, record_audit
from .public_url import public_base_url

EXPORT_FORMAT = "lumos-learn-personal-data/1"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_personal_data(user: User) -> dict:
    """A JSON-ready dict of the person's profile, enrolments, progress, attempts, confidence and certificates."""
    enrolments = (
        db.session.execute(select(Enrolment).filter_by(user_id=user.id).order_by(Enrolment.enrolled_at, Enrolment.id))
        .scalars()
        .all()
    )
    certificates = (
        db.session.execute(
            select(Certificate).filter_by(user_id=user.id).order_by(Certificate.issued_at, Certificate.id)
        )
        .scalars()
        .all()
    )
    sessions = (
        db.session.execute(select(UserSession).filter_by(user_id=user.id).order_by(UserSession.created_at))
        .scalars()
        .all()
    )
    return {
        "format": EXPORT_FORMAT,
        "site": current_app.config["SITE_NAME"],
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "country": user.country,
            "organisation": user.organisation,
            "professional_role": user.professional_role,
            "time_zone": user.time_zone,
            "role": user.role,
            "created_at": _iso(user.created_at),
            "two_step_sign_in": user.has_two_factor,
            "email_reminders": user.email_reminders,
            "email_announcements": user.email_announcements,
        },
        "signed_in_devices": [
            {"since": _iso(s.created_at), "last_seen": _iso(s.last_seen_at), "browser": s.user_agent} for s in sessions
        ],
        "enrolments": [_enrolment(e) for e in enrolments],
        "certificates": [_certificate(c) for c in certificates],
        "emails": [
            {"queued": _iso(m.created_at), "subject": m.subject, "status": m.status, "sent": _iso(m.sent_at)}
            for m in db.session.scalars(
                select(OutboxMessage).filter_by(user_id=user.id).order_by(OutboxMessage.created_at, OutboxMessage.id)
            )
        ],
    }


def _course_title(slug: str, lang: str) -> str:
    course = library().get(slug)
    return course.text("title", lang)[0] if course is not None else slug


def _enrolment(enrolment: Enrolment) -> dict:
    return {
        "course": enrolment.course_slug,
        "course_title": _course_title(enrolment.course_slug, enrolment.content_language),
        "content_language": enrolment.content_language,
        "cohort": enrolment.cohort.name if enrolment.cohort is not None else None,
        "enrolled_at": _iso(enrolment.enrolled_at),
        "last_activity_at": _iso(enrolment.last_activity_at),
        "completed_at": _iso(enrolment.completed_at),
        "course_version_completed": enrolment.course_version_completed,
        "modules_read": [
            {"module": m.module_slug, "read_at": _iso(m.read_at)}
            for m in sorted(enrolment.modules, key=lambda m: m.read_at)
        ],
        "quiz_attempts": [
            {
                "module": a.module_slug,
                "language": a.content_language,
                "course_version": a.course_version,
                "started_at": _iso(a.started_at),
                "submitted_at": _iso(a.submitted_at),
                "percent": a.percent,
                "passed": a.passed,
                "questions_asked": [q.question_id for q in a.questions],  # the draw (empty before question banks)
                "answers": [
                    {"question": q.question_id, "response": q.response, "score": q.score, "correct": q.correct}
                    for q in sorted(a.answers, key=lambda q: q.question_id)
                ],
            }
            for a in sorted(enrolment.attempts, key=lambda a: (a.started_at, a.id))
        ],
        "attempts_granted": [
            {"module": g.module_slug, "granted_at": _iso(g.granted_at)}
            for g in db.session.execute(
                select(AttemptGrant).filter_by(enrolment_id=enrolment.id).order_by(AttemptGrant.granted_at)
            ).scalars()
        ],
        "confidence": [
            {"statement": r.statement_id, "phase": r.phase, "rating": r.rating, "rated_at": _iso(r.rated_at)}
            for r in sorted(enrolment.confidence, key=lambda r: (r.phase != "before", r.statement_id))
        ],
        "assignments": _assignments(enrolment),
    }


def _assignments(enrolment: Enrolment) -> list[dict]:
    """Submissions with their text, marks and comments; files by name, size, SHA-256 and a download address
    (the files themselves are not inlined in the JSON: each link downloads one, signed in as its owner)."""
    from .assignments.models import Submission  # the assignments package imports views; import it when used

    base = current_app.config["PUBLIC_BASE_URL"]
    submissions = db.session.scalars(
        select(Submission).filter_by(enrolment_id=enrolment.id).order_by(Submission.id)
    ).all()
    return [
        {
            "module": s.module_slug,
            "assignment": s.assignment_id,
            "status": s.status,
            "text": s.text,
            "times_submitted": s.times_submitted,
            "submitted_at": _iso(s.submitted_at),
            "files": [
                {
                    "name": f.filename,
                    "type": f.content_type,
                    "size": f.size,
                    "sha256": f.sha256,
                    "download": f"{base}/{enrolment.content_language}/files/{f.public_id}",
                }
                for f in s.files
            ],
            "marks": [
                {
                    "at": _iso(r.created_at),
                    "decision": r.decision,
                    "self_assessed": r.self_assessed,
                    "levels": r.levels,
                    "comments": r.comments,
                    "overall_comment": r.overall_comment,
                    "points": r.points,
                    "max_points": r.max_points,
                }
                for r in s.reviews
            ],
        }
        for s in submissions
    ]


def _certificate(certificate: Certificate) -> dict:
    return {
        "code": certificate.code,
        "verification_url": f"{public_base_url()}/verify/{certificate.code}",
        "recipient_name": certificate.recipient_name,
        "course": certificate.course_slug,
        "course_title": certificate.course_title,
        "course_version": certificate.course_version,
        "language": certificate.language,
        "hours": certificate.hours,
        "completed_on": _iso(certificate.completed_on),
        "issued_at": _iso(certificate.issued_at),
        "revoked_at": _iso(certificate.revoked_at),
        "revocation_reason": certificate.revocation_reason,
    }


class AdministratorAccount(Exception):
    """Administrators cannot delete their own account: another administrator must first change their role."""


def delete_account(user: User) -> int:
    """Delete `user` and their learning records; certificates stay, unlinked (see the module docstring).

    Returns how many certificates were kept. The audit event names no personal data, only the row id.
    """
    if user.is_admin:
        raise AdministratorAccount
    kept = len(db.session.execute(select(Certificate.id).filter_by(user_id=user.id)).all())
    user_id = user.id
    db.session.delete(user)
    record_audit(None, "user.deleted_own_account", "user", user_id, certificates_kept=kept)
    db.session.commit()
    return kept
