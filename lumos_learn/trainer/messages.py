"""Cohort messages: the dates and reminders of a cohort, and announcements to its learners."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import trainer_required
from ..course_library import library
from ..extensions import db
from ..models import Announcement, record_audit
from ..notifications.announcements import announce
from . import bp
from .cohorts import cohort_for_trainer
from .forms import AnnouncementForm, CohortMessagesForm


def _page(cohort, settings_form, announcement_form):
    announcements = db.session.scalars(
        select(Announcement).where(Announcement.cohort_id == cohort.id).order_by(Announcement.created_at.desc())
    ).all()
    return render_template(
        "trainer/messages.html",
        cohort=cohort,
        course=library().get(cohort.course_slug),
        settings_form=settings_form,
        announcement_form=announcement_form,
        announcements=announcements,
    )


def _settings_form(cohort) -> CohortMessagesForm:
    return CohortMessagesForm(
        data={
            "starts_on": cohort.starts_on,
            "ends_on": cohort.ends_on,
            "remind_inactive": cohort.remind_inactive_days is not None,
            "inactive_days": cohort.remind_inactive_days or 7,
            "remind_before_end": cohort.remind_before_end_days is not None,
            "days_before_end": cohort.remind_before_end_days or 7,
        }
    )


@bp.route("/cohorts/<int:cohort_id>/messages")
@trainer_required
def messages(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    return _page(cohort, _settings_form(cohort), AnnouncementForm())


@bp.route("/cohorts/<int:cohort_id>/messages/settings", methods=["POST"])
@trainer_required
def message_settings(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    form = CohortMessagesForm()
    if not form.validate_on_submit():
        return _page(cohort, form, AnnouncementForm()), 400
    cohort.starts_on = form.starts_on.data
    cohort.ends_on = form.ends_on.data
    cohort.remind_inactive_days = form.inactive_days.data if form.remind_inactive.data else None
    cohort.remind_before_end_days = form.days_before_end.data if form.remind_before_end.data else None
    record_audit(
        current_user,
        "cohort.reminders",
        "cohort",
        cohort.id,
        inactive_days=cohort.remind_inactive_days,
        before_end_days=cohort.remind_before_end_days,
    )
    db.session.commit()
    flash(_("The dates and reminders have been saved."), "success")
    return redirect(url_for("trainer.messages", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/messages/announce", methods=["POST"])
@trainer_required
def post_announcement(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    form = AnnouncementForm()
    if not form.validate_on_submit():
        return _page(cohort, _settings_form(cohort), form), 400
    announcement = announce(cohort, current_user, form.subject.data, form.body.data, library().get(cohort.course_slug))
    record_audit(current_user, "cohort.announce", "cohort", cohort.id, announcement=announcement.id)
    db.session.commit()
    flash(_("The announcement is on your learners' dashboards and on its way by e-mail."), "success")
    return redirect(url_for("trainer.messages", cohort_id=cohort.id))
