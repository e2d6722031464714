"""Accounts: registration, sign-in, sign-out, password reset and change, throttling, redirects."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import func, select
from support import PASSWORD, plain_text

from lumos_learn.models import User, UserSession

REGISTRATION = {
    "full_name": "Ioana Rusu",
    "email": "Ioana.Rusu@Example.md",
    "password": "livada de meri 1987",
    "confirm": "livada de meri 1987",
    "preferred_language": "ro",
    "country": "MD",
    "organisation": "Liceul Teoretic nr. 3",
    "professional_role": "teacher",
}


def register(client, **changes):
    return client.submit("/en/auth/register", {**REGISTRATION, **changes})


def test_registration_creates_account_signs_in_and_uses_chosen_language(client, db):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/ro/courses/")
    user = db.session.execute(select(User)).scalar_one()
    assert user.email == "ioana.rusu@example.md"
    assert user.full_name == "Ioana Rusu" and user.country == "MD" and user.professional_role == "teacher"
    assert user.password_hash.startswith("$argon2") and "livada" not in user.password_hash
    assert "Ioana Rusu" in client.get("/en/auth/account").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"full_name": ""}, "full_name", "Enter your full name."),
        ({"password": "short", "confirm": "short"}, "password", "Use at least 10 characters."),
        ({"password": "password123", "confirm": "password123"}, "password", "too common"),
        ({"confirm": "something else entirely"}, "confirm", "The two passwords do not match."),
        ({"preferred_language": "xx"}, "preferred_language", "Not a valid choice"),
    ],
)
def test_registration_errors_are_shown_next_to_the_field_and_input_is_kept(client, db, changes, field, message):
    response = register(client, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'<p class="error-message" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert f'aria-describedby="{field}-error"' in html or f'{field}-error"' in html
    assert 'value="Liceul Teoretic nr. 3"' in html  # what the person typed is still there
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_duplicate_email_in_other_letter_case_is_refused(client, db):
    register(client)
    client.post("/en/auth/logout", data={"csrf_token": client.csrf_token("/en/dashboard/")})
    response = register(client, email="IOANA.RUSU@EXAMPLE.MD")
    assert "An account with this email already exists" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_login_and_logout(client, make_user, db):
    user = make_user(email="teacher@example.org")
    response = client.submit("/en/auth/login", {"email": "Teacher@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/en/dashboard/"
    assert client.get("/en/dashboard/").status_code == 200
    token = client.csrf_token("/en/dashboard/")
    assert client.post("/en/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/en/dashboard/").status_code == 302  # back to sign-in
    assert db.session.scalar(select(func.count()).select_from(UserSession).filter_by(user_id=user.id)) == 0


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user(email="teacher@example.org")
    wrong = client.submit("/en/auth/login", {"email": "teacher@example.org", "password": "not the password"})
    unknown = client.submit("/en/auth/login", {"email": "nobody@example.org", "password": "not the password"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "The email or password is not right." in response.get_data(as_text=True)
    assert client.get("/en/dashboard/").status_code == 302


def test_logout_ends_the_session_on_the_server(client, make_user, app):
    make_user(email="teacher@example.org")
    client.submit("/en/auth/login", {"email": "teacher@example.org", "password": PASSWORD})
    with client.session_transaction() as session:
        stolen_cookie_session = dict(session)
    client.post("/en/auth/logout", data={"csrf_token": client.csrf_token("/en/dashboard/")})
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(stolen_cookie_session)
    assert replay.get("/en/dashboard/").status_code == 302


def test_session_is_rotated_on_login(client, make_user):
    make_user(email="teacher@example.org")
    client.get("/en/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        before = dict(session)
    client.submit("/en/auth/login", {"email": "teacher@example.org", "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] != before.get("_user_id")
        assert session.get("csrf_token") != before.get("csrf_token")


def test_csrf_token_is_required(client, make_user):
    make_user(email="teacher@example.org")
    response = client.post("/en/auth/login", data={"email": "teacher@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert client.get("/en/dashboard/").status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_redirects_only_within_the_site(client, make_user, target):
    make_user(email="teacher@example.org")
    response = client.submit(f"/en/auth/login?next={target}", {"email": "teacher@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/dashboard/"


def test_next_redirect_to_a_page_of_the_site_is_followed(client, make_user):
    make_user(email="teacher@example.org")
    response = client.submit(
        "/en/auth/login?next=/en/auth/account", {"email": "teacher@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/en/auth/account"


def test_login_is_throttled_after_repeated_failures(client, make_user):
    make_user(email="teacher@example.org")
    statuses = [
        client.submit("/en/auth/login", {"email": "teacher@example.org", "password": f"wrong {i}"}).status_code
        for i in range(9)
    ]
    assert statuses[:8] == [200] * 8 and statuses[8] == 429
    # Even the right password is refused while the account is throttled.
    response = client.submit("/en/auth/login", {"email": "teacher@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_successful_logins_do_not_count_towards_the_throttle(client, make_user):
    make_user(email="teacher@example.org")
    for _ in range(10):
        assert (
            client.submit("/en/auth/login", {"email": "teacher@example.org", "password": PASSWORD}).status_code == 302
        )
        client.post("/en/auth/logout", data={"csrf_token": client.csrf_token("/en/dashboard/")})


def _reset_link(outbox) -> str:
    body = plain_text(outbox[-1])
    return re.search(r"https?://\S+(/\w\w/auth/reset/\S+)", body).group(1)


def test_password_reset_link_works_once(client, make_user, outbox):
    make_user(email="teacher@example.org", preferred_language="ro")
    response = client.submit("/en/auth/reset", {"email": "teacher@example.org"})
    assert response.status_code == 302
    assert outbox[-1]["To"] == "teacher@example.org"
    link = _reset_link(outbox)
    assert link.startswith("/ro/auth/reset/")  # in the recipient's language, asked from an English page
    body = plain_text(outbox[-1])
    assert "Bună ziua," in body and "expiră peste 60 de minute" in body  # gettext and ngettext in the template
    new_password = "a brand new pass phrase"
    assert client.submit(link, {"password": new_password, "confirm": new_password}).status_code == 302
    assert (
        client.submit("/en/auth/login", {"email": "teacher@example.org", "password": new_password}).status_code == 302
    )
    again = client.get(link.replace("/ro/", "/en/", 1))
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)


def test_password_reset_link_expires(client, make_user, outbox, app):
    make_user(email="teacher@example.org")
    client.submit("/en/auth/reset", {"email": "teacher@example.org"})
    link = _reset_link(outbox)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_invitation_links_last_longer_than_reset_links(app, make_user):
    from lumos_learn.auth.services import make_reset_token, user_for_reset_token

    user = make_user()
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    with app.test_request_context():
        assert user_for_reset_token(make_reset_token(user)) == (None, "expired")
        assert user_for_reset_token(make_reset_token(user, invitation=True)) == (user, None)
        app.config["INVITATION_MAX_AGE"] = -1
        assert user_for_reset_token(make_reset_token(user, invitation=True)) == (None, "expired")
        assert user_for_reset_token("forged." + make_reset_token(user)) == (None, "invalid")


def test_password_reset_does_not_reveal_whether_an_account_exists(client, make_user, outbox):
    make_user(email="teacher@example.org")
    known = client.submit("/en/auth/reset", {"email": "teacher@example.org"}, follow_redirects=True)
    unknown = client.submit("/en/auth/reset", {"email": "nobody@example.org"}, follow_redirects=True)
    assert len(outbox) == 1
    assert (
        known.get_data(as_text=True).count("If an account exists")
        == unknown.get_data(as_text=True).count("If an account exists")
        == 1
    )


def test_change_password_signs_out_other_devices(client, make_user, app, login_as):
    user = make_user(email="teacher@example.org")
    laptop = app.test_client()
    login_as(laptop, user)
    client.submit("/en/auth/login", {"email": "teacher@example.org", "password": PASSWORD})
    response = client.submit(
        "/en/auth/account/password",
        {"current_password": PASSWORD, "password": "another long phrase", "confirm": "another long phrase"},
    )
    assert response.status_code == 302
    assert client.get("/en/dashboard/").status_code == 200
    assert laptop.get("/en/dashboard/").status_code == 302


def test_change_password_requires_the_current_one(client, make_user):
    make_user(email="teacher@example.org")
    client.submit("/en/auth/login", {"email": "teacher@example.org", "password": PASSWORD})
    response = client.submit(
        "/en/auth/account/password",
        {"current_password": "wrong one", "password": "another long phrase", "confirm": "another long phrase"},
    )
    assert "This is not your current password." in response.get_data(as_text=True)


def test_profile_edit_saves_and_switches_language(client, learner, login_as, db):
    login_as(client, learner)
    response = client.submit(
        "/en/auth/account",
        {
            "full_name": "Ana Maria Popescu",
            "preferred_language": "fr",
            "country": "FR",
            "organisation": "DG EMPL",
            "professional_role": "official",
            "time_zone": "Europe/Brussels",
        },
    )
    assert response.headers["Location"] == "/fr/auth/account"
    db.session.refresh(learner)
    assert (learner.full_name, learner.preferred_language, learner.organisation, learner.time_zone) == (
        "Ana Maria Popescu",
        "fr",
        "DG EMPL",
        "Europe/Brussels",
    )


def test_admin_page_is_for_admins_only(client, make_user, login_as, admin):
    assert client.get("/en/admin/").status_code == 302  # anonymous: sign in first
    login_as(client, make_user("learner"))
    assert client.get("/en/admin/").status_code == 403
    trainer_client = client.application.test_client()
    login_as(trainer_client, make_user("trainer"))
    assert trainer_client.get("/en/admin/").status_code == 403
    admin_client = client.application.test_client()
    login_as(admin_client, admin)
    assert admin_client.get("/en/admin/").status_code == 200


def test_admin_changes_a_role_and_it_is_audited(client, make_user, login_as, admin, db):
    from lumos_learn.models import AuditEvent

    person = make_user("learner")
    login_as(client, admin)
    client.submit(f"/en/admin/users/{person.id}/role", {"role": "trainer"}, page="/en/admin/")
    db.session.refresh(person)
    assert person.role == "trainer"
    event = db.session.execute(select(AuditEvent)).scalar_one()
    assert (event.action, event.actor_id, event.details) == (
        "user.role_changed",
        admin.id,
        {"old": "learner", "new": "trainer"},
    )


@pytest.mark.parametrize(
    ("role", "lang", "home"),
    [
        ("trainer", "en", "/en/trainer/"),
        ("learner", "bg", "/bg/dashboard/"),
        ("admin", "fr", "/fr/admin/"),
    ],
)
def test_people_land_where_their_role_works_in_the_language_of_the_sign_in_page(client, make_user, role, lang, home):
    # Their saved language is another one: the page they signed in on is the one they are reading.
    user = make_user(role, email="someone@example.org", preferred_language="ro")
    response = client.submit(f"/{lang}/auth/login", {"email": "someone@example.org", "password": PASSWORD})
    if role == "admin":  # two-step sign-in first, on a page in the same language
        assert response.headers["Location"].startswith(f"/{lang}/auth/login/code")
        code = pyotp.TOTP(user.totp_secret).at(time.time() + 30)
        response = client.submit(response.headers["Location"], {"code": code})
    assert response.status_code == 302 and response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_a_safe_next_still_wins_over_the_role_home(client, make_user):
    make_user("trainer", email="someone@example.org")
    response = client.submit("/en/auth/login?next=/en/courses/", {"email": "someone@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/en/courses/"


def test_registration_follows_a_page_of_the_site_given_as_next(client, db):
    response = client.submit("/en/auth/register?next=/en/auth/account", REGISTRATION)
    assert response.status_code == 302 and response.headers["Location"] == "/en/auth/account"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_registration_never_follows_next_off_the_site(client, db, target):
    response = client.submit(f"/en/auth/register?next={target}", REGISTRATION)
    assert response.status_code == 302 and response.headers["Location"] == "/ro/courses/"


def test_the_sign_in_page_passes_next_on_to_registration(client):
    page = client.get("/en/auth/login?next=/en/join/ABCD2345").get_data(as_text=True)
    assert 'href="/en/auth/register?next=/en/join/ABCD2345"' in page
