"""The e-mails the platform sends, one function per event. Each queues into the caller's transaction."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..content.model import Course
from ..models import Certificate, Cohort, User
from .compose import public_url, queue_email, reader_language


def password_reset(user: User, token: str) -> None:
    """Account e-mail: cannot be turned off."""
    lang = reader_language(user)
    queue_email(
        user,
        "password_reset",
        "password_reset",
        subject=_l("Choose a new Lumos Learn password"),
        link=public_url("auth.reset_password", token=token, lang=lang),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def invitation(user: User, cohort: Cohort, course: Course, trainer: User, token: str) -> None:
    """A new account made by a trainer's import: choose a password, then the course."""
    lang = reader_language(user)
    title, _lang = course.text("title", lang)
    queue_email(
        user,
        "invitation",
        "invitation",
        subject=_l("You are invited to the course “%(title)s”", title=title),
        link=public_url("auth.reset_password", token=token, lang=lang),
        again=public_url("auth.reset_request", lang=lang),
        days=max(current_app.config["INVITATION_MAX_AGE"] // 86400, 1),
        course_title=title,
        cohort=cohort,
        trainer=trainer,
    )


def added_to_cohort(user: User, cohort: Cohort, course: Course, trainer: User) -> None:
    """An existing account added to a cohort: the join link opens the cohort's course."""
    lang = reader_language(user)
    title, _lang = course.text("title", lang)
    queue_email(
        user,
        "cohort_added",
        "cohort_added",
        subject=_l("You have been added to the group “%(cohort)s”", cohort=cohort.name),
        link=public_url("learn.join_cohort", code=cohort.join_code, lang=lang),
        course_title=title,
        cohort=cohort,
        trainer=trainer,
    )


def certificate_issued(certificate: Certificate) -> None:
    if certificate.user is None:
        return
    lang = reader_language(certificate.user)
    queue_email(
        certificate.user,
        "certificate_issued",
        "certificate_issued",
        subject=_l("Your certificate for “%(title)s”", title=certificate.course_title),
        certificate=certificate,
        verify_link=public_url("certificates.verify", code=certificate.code, lang=lang),
        dashboard_link=public_url("learn.dashboard", lang=lang),
    )


def certificate_revoked(certificate: Certificate) -> None:
    if certificate.user is None:
        return
    lang = reader_language(certificate.user)
    queue_email(
        certificate.user,
        "certificate_revoked",
        "certificate_revoked",
        subject=_l("Your certificate for “%(title)s” has been revoked", title=certificate.course_title),
        certificate=certificate,
        verify_link=public_url("certificates.verify", code=certificate.code, lang=lang),
    )
