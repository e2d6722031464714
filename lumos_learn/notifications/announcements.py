"""Announcements: a trainer's short message to a cohort, on each learner's dashboard and by e-mail."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from ..content.model import Course
from ..extensions import db
from ..models import Announcement, Cohort, Enrolment, User
from .compose import public_url, queue_email, reader_language
from .unsubscribe import wants

MAX_BODY = 4000
# Limited Markdown: emphasis, links, lists and paragraphs. No images (nothing loads from elsewhere in an
# e-mail), no headings, no raw HTML that survives.
_ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li"}


def announcement_html(body: str) -> Markup:
    html = markdown_lib.markdown(body, output_format="html")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def recent_announcements(user: User, limit: int = 5) -> list[Announcement]:
    """The newest announcements of the cohorts `user` learns in, for the dashboard."""
    return list(
        db.session.scalars(
            select(Announcement)
            .join(Enrolment, Enrolment.cohort_id == Announcement.cohort_id)
            .where(Enrolment.user_id == user.id)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(limit)
        )
    )


def cohort_learners(cohort: Cohort) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.cohort_id == cohort.id, User.is_active_account.is_(True))
            .order_by(User.id)
        )
    )


def announce(cohort: Cohort, author: User, subject: str, body: str, course: Course) -> Announcement:
    """Post an announcement (shown on dashboards) and e-mail it to every learner who has not turned them off."""
    announcement = Announcement(cohort_id=cohort.id, author_id=author.id, subject=subject.strip(), body=body.strip())
    db.session.add(announcement)
    db.session.flush()
    for learner in cohort_learners(cohort):
        if not wants(learner, "announcements"):
            continue
        lang = reader_language(learner)
        queue_email(
            learner,
            "announcement",
            "announcement",
            topic="announcements",
            dedupe_key=f"announcement:{announcement.id}:{learner.id}",
            subject=_l("%(cohort)s: %(subject)s", cohort=cohort.name, subject=announcement.subject),
            announcement=announcement,
            cohort=cohort,
            author=author,
            course_title=course.text("title", lang)[0],
            course_link=public_url("learn.course", slug=course.slug, lang=lang),
        )
    return announcement
