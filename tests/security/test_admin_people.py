"""Administrators' tools for people: a list with search and filters (no wall of Save buttons), a page
per person with their courses and certificates, suspension that ends sessions, a reset link, a
two-step reset, all audited with names; the certificates page in the administration's navigation."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select
from support import PASSWORD, plain_text

from lumos_learn.models import AuditEvent, UserSession


def events(db, action):
    return db.session.execute(select(AuditEvent).filter_by(action=action)).scalars().all()


def test_people_list_searches_filters_and_pages_without_a_save_button_per_row(client, admin, make_user, login_as):
    for n in range(55):
        make_user(name=f"Learner {n:02d}", email=f"learner{n:02d}@example.org")
    make_user("trainer", name="Tudor Trainer", email="tudor@example.org")
    suspended = make_user(name="Sara Suspended", email="sara@example.org")
    suspended.is_active_account = False
    login_as(client, admin)

    page = client.get("/en/admin/").get_data(as_text=True)
    assert "58 people" in page and "Page 1 of 2" in page
    assert ">Save<" not in page and '<select id="role-' not in page  # no per-row forms
    assert 'href="/en/admin/certificates/"' in page  # the certificates page is in the admin navigation
    assert f'href="/en/admin/users/{admin.id}/"' in page

    trainers = client.get("/en/admin/?role=trainer").get_data(as_text=True)
    assert "1 person" in trainers and "Tudor Trainer" in trainers and "Learner 01" not in trainers
    only_suspended = client.get("/en/admin/?status=suspended").get_data(as_text=True)
    assert "1 person" in only_suspended and "Sara Suspended" in only_suspended
    by_email = client.get("/en/admin/?q=TUDOR@").get_data(as_text=True)
    assert "1 person" in by_email and "Tudor Trainer" in by_email
    second = client.get("/en/admin/?page=2&status=active").get_data(as_text=True)
    assert "Page 2 of 2" in second and "status=active" in second


def test_person_page_shows_courses_and_certificates(client, admin, learner, login_as, db):
    from lumos_learn.certificates.services import certificate_for
    from tests.certificates.conftest import finish_course

    certificate = certificate_for(finish_course(learner))
    login_as(client, admin)
    page = client.get(f"/en/admin/users/{learner.id}/").get_data(as_text=True)
    assert "Ana Popescu" in page and learner.email in page
    assert "Safe mealtimes: a short test course" in page
    assert f"/en/admin/certificates/{certificate.code}/" in page
    assert page.count(">Change the role<") == 1
    assert client.get("/en/admin/users/999999/").status_code == 404


def test_suspending_ends_sessions_and_sign_in_and_is_audited_with_names(client, app, admin, learner, login_as, db):
    learner_client = app.test_client()
    login_as(learner_client, learner)
    assert learner_client.get("/en/dashboard/").status_code == 200
    login_as(client, admin)
    url = f"/en/admin/users/{learner.id}/"

    refused = client.submit(f"{url}suspend", {"reason": ""}, page=url)
    assert refused.status_code == 400 and "Say why" in refused.get_data(as_text=True)
    assert (
        client.submit(f"{url}suspend", {"reason": "Shared the account with a colleague"}, page=url).status_code == 302
    )

    assert learner_client.get("/en/dashboard/").status_code == 302  # signed out everywhere
    assert db.session.scalar(select(UserSession).filter_by(user_id=learner.id)) is None
    fresh = app.test_client()
    fresh.submit("/en/auth/login", {"email": learner.email, "password": PASSWORD})
    assert fresh.get("/en/dashboard/").status_code == 302  # cannot sign in
    [event] = events(db, "user.suspended")
    assert event.actor_id == admin.id and event.details == {"reason": "Shared the account with a colleague"}

    audit = client.get("/en/admin/audit?action=user.suspended").get_data(as_text=True)
    assert f"Ana Popescu</a> &lt;{learner.email}&gt;" in audit and f"user:{learner.id}" not in audit
    assert f"Admin Person</a> &lt;{admin.email}&gt;" in audit

    assert client.submit(f"{url}reactivate", page=url).status_code == 302
    fresh.submit("/en/auth/login", {"email": learner.email, "password": PASSWORD})
    assert fresh.get("/en/dashboard/").status_code == 200
    assert [e.actor_id for e in events(db, "user.reactivated")] == [admin.id]


def test_an_administrator_cannot_suspend_themselves(client, admin, login_as, db):
    login_as(client, admin)
    url = f"/en/admin/users/{admin.id}/"
    response = client.submit(f"{url}suspend", {"reason": "test"}, page=url)
    assert response.status_code == 400 and "You cannot suspend your own account" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.is_active_account


def test_admin_sends_a_reset_link_that_works(client, app, admin, learner, login_as, db, outbox):
    login_as(client, admin)
    url = f"/en/admin/users/{learner.id}/"
    response = client.submit(f"{url}password-reset", page=url, follow_redirects=True)
    assert f"was sent to {learner.email}" in response.get_data(as_text=True)
    [mail] = outbox
    assert mail["To"] == learner.email
    link = re.search(r"https?://[^/\s]+(/\S+/auth/reset/\S+)", plain_text(mail)).group(1)
    other = app.test_client()
    new_password = "quiet orchard morning bicycle"
    done = other.submit(link, {"password": new_password, "confirm": new_password})
    assert done.status_code == 302
    other.submit("/en/auth/login", {"email": learner.email, "password": new_password})
    assert other.get("/en/dashboard/").status_code == 200
    assert [e.actor_id for e in events(db, "user.password_reset_sent")] == [admin.id]


def test_admin_resets_two_step_sign_in_with_a_recorded_check(client, admin, make_user, login_as, db):
    person = make_user("trainer", name="Tara Trainer")
    person.totp_secret, person.totp_confirmed_at = pyotp.random_base32(), admin.totp_confirmed_at
    db.session.commit()
    login_as(client, admin)
    url = f"/en/admin/users/{person.id}/"
    assert "Reset two-step sign-in" in client.get(url).get_data(as_text=True)
    refused = client.submit(f"{url}two-factor/reset", {"two_factor_reason": ""}, page=url)
    assert refused.status_code == 400
    db.session.refresh(person)
    assert person.has_two_factor

    reason = "Lost phone; called back on the number in the HR file"
    assert client.submit(f"{url}two-factor/reset", {"two_factor_reason": reason}, page=url).status_code == 302
    db.session.refresh(person)
    assert not person.has_two_factor and person.totp_secret is None
    [event] = events(db, "user.two_factor_reset")
    assert event.actor_id == admin.id and event.details == {"reason": reason}
    assert events(db, "user.two_factor_disabled")[0].actor_id == admin.id


def test_role_change_from_the_person_page_refuses_removing_your_own_admin_role(client, admin, login_as, db):
    login_as(client, admin)
    url = f"/en/admin/users/{admin.id}/"
    response = client.submit(f"{url}role", {"role": "learner"}, page=url)
    assert response.status_code == 400 and "You cannot remove your own administrator role" in response.get_data(
        as_text=True
    )
    db.session.refresh(admin)
    assert admin.role == "admin"
