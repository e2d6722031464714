"""Trainers set cohort dates and reminders and write announcements; learners see them and may opt out."""

from __future__ import annotations

from sqlalchemy import select
from trainer_helpers import add_learner, make_cohort

from lumos_learn.models import Announcement, AuditEvent, OutboxMessage


def test_an_end_date_before_the_start_is_refused_next_to_the_field(client, make_user, login_as, db):
    trainer = make_user("trainer")
    cohort = make_cohort(trainer)
    db.session.commit()
    login_as(client, trainer)
    page = f"/en/trainer/cohorts/{cohort.id}/messages"
    response = client.submit(
        f"{page}/settings",
        {"starts_on": "2027-03-01", "ends_on": "2027-02-01", "remind_inactive": "y", "inactive_days": "7"},
        page=page,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="ends_on-error"' in html and "The end date must be on or after the start date." in html
    assert 'value="2027-02-01"' in html  # what the trainer typed is kept
    db.session.refresh(cohort)
    assert cohort.ends_on is None and cohort.remind_inactive_days is None


def test_reminders_are_switched_on_with_their_days_and_audited(client, make_user, login_as, db):
    trainer = make_user("trainer")
    cohort = make_cohort(trainer)
    db.session.commit()
    login_as(client, trainer)
    page = f"/en/trainer/cohorts/{cohort.id}/messages"
    # The before-the-end reminder needs an end date.
    refused = client.submit(f"{page}/settings", {"remind_before_end": "y", "days_before_end": "5"}, page=page)
    assert refused.status_code == 400 and "Set an end date first" in refused.get_data(as_text=True)
    saved = client.submit(
        f"{page}/settings",
        {
            "starts_on": "2027-01-10",
            "ends_on": "2027-03-31",
            "remind_inactive": "y",
            "inactive_days": "10",
            "remind_before_end": "y",
            "days_before_end": "5",
        },
        page=page,
    )
    assert saved.status_code == 302
    db.session.refresh(cohort)
    assert (cohort.remind_inactive_days, cohort.remind_before_end_days) == (10, 5)
    assert str(cohort.ends_on) == "2027-03-31"
    event = db.session.scalar(select(AuditEvent).filter_by(action="cohort.reminders"))
    assert event.details == {"inactive_days": 10, "before_end_days": 5}
    # Switched off again: the days are forgotten, no reminder goes.
    client.submit(f"{page}/settings", {"starts_on": "2027-01-10", "ends_on": "2027-03-31"}, page=page)
    db.session.refresh(cohort)
    assert cohort.remind_inactive_days is None and cohort.remind_before_end_days is None


def test_an_announcement_reaches_dashboards_and_inboxes_sanitised(app, client, make_user, login_as, db, outbox):
    trainer = make_user("trainer", name="Maria Trainer")
    cohort = make_cohort(trainer, name="Ungheni teachers")
    reader = make_user(email="reader@example.org", preferred_language="ro")
    quiet = make_user(email="quiet@example.org", email_announcements=False)
    outsider = make_user(email="outsider@example.org")
    add_learner(cohort, reader)
    add_learner(cohort, quiet)
    db.session.commit()
    login_as(client, trainer)
    page = f"/en/trainer/cohorts/{cohort.id}/messages"
    body = (
        "Read **module 2** by Friday. <script>alert(1)</script> [Agenda](https://example.org/a) "
        "<img src=x onerror=alert(2)>"
    )
    response = client.submit(f"{page}/announce", {"subject": "Week two", "body": body}, page=page)
    assert response.status_code == 302
    assert db.session.scalar(select(Announcement)).subject == "Week two"

    # E-mail: to the learner who wants announcements, in her language, with an unsubscribe link.
    assert [m["To"] for m in outbox] == ["reader@example.org"]
    queued = db.session.scalar(select(OutboxMessage).filter_by(kind="announcement"))
    assert queued.language == "ro" and queued.unsubscribe_url and "Ungheni teachers" in queued.subject
    assert "<script>" not in queued.body_html and "onerror" not in queued.body_html
    assert "<strong>module 2</strong>" in queued.body_html

    for person, sees in ((reader, True), (quiet, True), (outsider, False)):
        login_as(client, person)
        dashboard = client.get("/en/dashboard/").get_data(as_text=True)
        assert ("Week two" in dashboard) is sees
        if sees:
            assert "<strong>module 2</strong>" in dashboard and 'href="https://example.org/a"' in dashboard
            assert "<script>alert(1)</script>" not in dashboard and "onerror" not in dashboard


def test_a_learner_turns_reminders_off_on_the_account_page(client, learner, login_as, db):
    login_as(client, learner)
    page = client.get("/en/auth/account").get_data(as_text=True)
    assert 'name="email_reminders"' in page and 'name="email_announcements"' in page
    form = {
        "full_name": learner.full_name,
        "preferred_language": "en",
        "country": "",
        "organisation": "",
        "professional_role": "teacher",
        "email_announcements": "y",
    }
    assert client.submit("/en/auth/account", form).status_code == 302
    db.session.refresh(learner)
    assert learner.email_reminders is False and learner.email_announcements is True
