"""Two-step sign-in (TOTP): set up with a QR code or a key, a second step after the password,
recovery codes, turning it off, and administrators made to use it."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import func, select
from support import PASSWORD

from lumos_learn.models import AuditEvent, RecoveryCode, UserSession


def code_for(user, steps_ahead: int = 0) -> str:
    """The code the phone shows now, or `steps_ahead` 30-second steps later (the next code to type)."""
    return pyotp.TOTP(user.totp_secret).at(time.time() + 30 * steps_ahead)


def set_up_two_factor(client, db, user) -> list[str]:
    page = client.get("/en/auth/account/two-factor/setup")
    assert page.status_code == 200
    db.session.refresh(user)
    response = client.submit("/en/auth/account/two-factor/setup", {"code": code_for(user)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.get_data(as_text=True))


def sign_in(client, email="teacher@example.org", password=PASSWORD):
    return client.submit("/en/auth/login", {"email": email, "password": password})


def test_setup_shows_a_qr_code_and_the_key_and_needs_a_right_code(client, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    login_as(client, user)
    html = client.get("/en/auth/account/two-factor/setup").get_data(as_text=True)
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="QR code', html)
    db.session.refresh(user)
    shown_key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', html).group(1)
    assert shown_key.replace(" ", "") == user.totp_secret

    wrong_code = "000000" if code_for(user) != "000000" else "111111"
    wrong = client.submit("/en/auth/account/two-factor/setup", {"code": wrong_code})
    assert "This code is not right" in wrong.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.has_two_factor

    codes = set_up_two_factor(client, db, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    db.session.refresh(user)
    assert user.has_two_factor
    stored = db.session.execute(select(RecoveryCode.code_hash).filter_by(user_id=user.id)).scalars().all()
    assert len(stored) == 10 and all(h.startswith("hmac-sha256$") for h in stored)
    assert not any(code.replace("-", "") in h for h in stored for code in codes)
    assert "On" in client.get("/en/auth/account").get_data(as_text=True)
    assert db.session.execute(select(AuditEvent.action).filter_by(target_id=str(user.id))).scalars().all() == [
        "user.two_factor_enabled"
    ]


def test_sign_in_asks_for_the_code_after_the_password(client, app, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    set_up_two_factor(_setup_client(app, login_as, user), db, user)
    db.session.refresh(user)

    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"].startswith("/en/auth/login/code")
    assert client.get("/en/dashboard/").status_code == 302  # the password alone signs nobody in
    sessions_before = db.session.scalar(select(func.count()).select_from(UserSession).filter_by(user_id=user.id))

    wrong = client.submit("/en/auth/login/code", {"code": "12345"})
    assert wrong.status_code == 200 and "This code is not right" in wrong.get_data(as_text=True)
    assert client.get("/en/dashboard/").status_code == 302

    right = client.submit("/en/auth/login/code", {"code": code_for(user, 1)})
    assert right.status_code == 302 and right.headers["Location"] == "/en/dashboard/"
    assert client.get("/en/dashboard/").status_code == 200
    assert (
        db.session.scalar(select(func.count()).select_from(UserSession).filter_by(user_id=user.id))
        == sessions_before + 1
    )


def _setup_client(app, login_as, user):
    setup = app.test_client()
    login_as(setup, user)
    return setup


def test_a_code_works_once(client, app, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    set_up_two_factor(_setup_client(app, login_as, user), db, user)
    db.session.refresh(user)
    code = code_for(user, 1)
    sign_in(client)
    assert client.submit("/en/auth/login/code", {"code": code}).status_code == 302

    thief = app.test_client()  # someone who saw the code over the shoulder, seconds later
    sign_in(thief)
    replay = thief.submit("/en/auth/login/code", {"code": code})
    assert replay.status_code == 200 and "already been used" in replay.get_data(as_text=True)
    assert thief.get("/en/dashboard/").status_code == 302


def test_a_recovery_code_signs_in_once(client, app, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    codes = set_up_two_factor(_setup_client(app, login_as, user), db, user)
    sign_in(client)
    response = client.submit("/en/auth/login/code", {"code": codes[3].upper()}, follow_redirects=True)
    assert "You used a recovery code. 9 are left" in response.get_data(as_text=True)
    client.post("/en/auth/logout", data={"csrf_token": client.csrf_token("/en/dashboard/")})

    sign_in(client)
    again = client.submit("/en/auth/login/code", {"code": codes[3]})
    assert again.status_code == 200 and client.get("/en/dashboard/").status_code == 302


def test_the_password_step_expires(client, app, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    set_up_two_factor(_setup_client(app, login_as, user), db, user)
    sign_in(client)
    with client.session_transaction() as session:
        pending = dict(session["two_factor_pending"])
        pending["since"] -= 10 * 60
        session["two_factor_pending"] = pending
    token = client.csrf_token("/en/auth/login")
    response = client.post("/en/auth/login/code", data={"code": code_for(user, 1), "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/en/auth/login"
    assert client.get("/en/dashboard/").status_code == 302


def test_the_code_page_needs_the_password_first(client):
    response = client.get("/en/auth/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/en/auth/login"


def test_guessing_codes_is_throttled(client, app, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    set_up_two_factor(_setup_client(app, login_as, user), db, user)
    sign_in(client)
    statuses = [client.submit("/en/auth/login/code", {"code": f"{n:06d}"}).status_code for n in range(7)]
    assert statuses[:6] == [200] * 6 and statuses[6] == 429
    assert client.submit("/en/auth/login/code", {"code": code_for(user, 1)}).status_code == 429
    assert client.get("/en/dashboard/").status_code == 302


def test_turning_it_off_needs_the_password_and_a_code(client, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    login_as(client, user)
    set_up_two_factor(client, db, user)
    url = "/en/auth/account/two-factor/disable"
    page = "/en/auth/account/two-factor"
    refused = client.submit(url, {"disable-password": "wrong password", "disable-code": code_for(user, 1)}, page=page)
    assert refused.status_code == 400 and "This is not your current password." in refused.get_data(as_text=True)
    refused = client.submit(url, {"disable-password": PASSWORD, "disable-code": "999999"}, page=page)
    assert refused.status_code == 400
    db.session.refresh(user)
    assert user.has_two_factor

    right = client.submit(url, {"disable-password": PASSWORD, "disable-code": code_for(user, 1)}, page=page)
    assert right.status_code == 302
    db.session.refresh(user)
    assert not user.has_two_factor and user.totp_secret is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    other = client.application.test_client()
    assert sign_in(other).headers["Location"] == "/en/dashboard/"  # one step again


def test_new_recovery_codes_replace_the_old_ones(client, app, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    login_as(client, user)
    old = set_up_two_factor(client, db, user)
    response = client.submit(
        "/en/auth/account/two-factor/recovery-codes",
        {"codes-password": PASSWORD, "codes-code": code_for(user, 1)},
        page="/en/auth/account/two-factor",
    )
    new = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    browser = app.test_client()
    sign_in(browser)
    assert browser.submit("/en/auth/login/code", {"code": old[0]}).status_code == 200
    assert browser.submit("/en/auth/login/code", {"code": new[0]}).status_code == 302


def test_turning_it_on_signs_out_browsers_signed_in_with_the_password_alone(client, app, make_user, login_as, db):
    user = make_user(email="teacher@example.org")
    laptop = app.test_client()
    login_as(laptop, user)
    login_as(client, user)
    set_up_two_factor(client, db, user)
    assert client.get("/en/dashboard/").status_code == 200
    assert laptop.get("/en/dashboard/").status_code == 302


def test_an_administrator_without_two_step_sign_in_must_set_it_up_first(client, make_user, login_as, db):
    admin = make_user("admin", email="boss@example.org")
    admin.totp_secret = admin.totp_confirmed_at = None  # e.g. just promoted from the command line
    db.session.commit()
    login_as(client, admin)
    for page in ("/en/admin/", "/en/admin/audit", "/en/trainer/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.headers["Location"] == "/en/auth/account/two-factor/setup"
    token = client.csrf_token("/en/auth/account")
    response = client.post(f"/en/admin/users/{admin.id}/role", data={"role": "learner", "csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.role == "admin"  # the POST did nothing before the set-up
    setup_page = client.get("/en/auth/account/two-factor/setup").get_data(as_text=True)
    assert "Administrators must use two-step sign-in" in setup_page
    set_up_two_factor(client, db, admin)
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/audit").status_code == 200


def test_an_administrator_signs_in_with_both_steps(client, make_user, db):
    admin = make_user("admin", email="boss@example.org")
    assert sign_in(client, "boss@example.org").headers["Location"].startswith("/en/auth/login/code")
    assert client.get("/en/admin/").status_code == 302
    client.submit("/en/auth/login/code", {"code": code_for(admin)})
    assert client.get("/en/admin/").status_code == 200


def test_learners_and_trainers_are_offered_it_not_forced(client, make_user, login_as):
    for role in ("learner", "trainer"):
        browser = client.application.test_client()
        login_as(browser, make_user(role))
        assert browser.get("/en/dashboard/").status_code == 200
        html = browser.get("/en/auth/account/two-factor").get_data(as_text=True)
        assert "Set up two-step sign-in" in html
    trainer_browser = client.application.test_client()
    login_as(trainer_browser, make_user("trainer"))
    assert trainer_browser.get("/en/trainer/").status_code == 200


def test_recovery_codes_are_kept_as_keyed_hashes_that_another_key_cannot_match(client, app, make_user, login_as, db):
    """HMAC-SHA256 with a key from SECRET_KEY: a copy of the table alone cannot test guesses; the right code
    under the site's key works, under another site's key it does not."""
    from lumos_learn.auth import two_factor

    user = make_user(email="teacher@example.org")
    codes = set_up_two_factor(_setup_client(app, login_as, user), db, user)
    stored = db.session.execute(select(RecoveryCode.code_hash).filter_by(user_id=user.id)).scalars().all()
    plain = codes[0].replace("-", "")
    assert two_factor.hash_recovery_code(user.id, plain) in stored
    assert not two_factor.recovery_code_matches(two_factor.hash_recovery_code(user.id + 1, plain), user.id, plain)
    app.config["SECRET_KEY"] = "another-secret-key-that-is-long-enough-9876543210"
    assert two_factor.hash_recovery_code(user.id, plain) not in stored
    # A key being rotated: the old one in SECRET_KEY_FALLBACKS keeps the codes working.
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret-key-that-is-long-enough-0123456789"]
    assert any(two_factor.recovery_code_matches(h, user.id, plain) for h in stored)


def test_recovery_codes_hashed_with_argon2_before_still_sign_in_once(client, app, make_user, login_as, db):
    """Codes made before the keyed hash (Argon2 hashes in the table) keep working, once each."""
    from lumos_learn.passwords import hash_password

    user = make_user(email="teacher@example.org")
    set_up_two_factor(_setup_client(app, login_as, user), db, user)
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(c)) for c in ("abcde23456", "fghjk78923"))
    db.session.commit()
    sign_in(client)
    response = client.submit("/en/auth/login/code", {"code": "fghjk-78923"}, follow_redirects=True)
    assert "You used a recovery code. 1 is left" in response.get_data(as_text=True)
    client.post("/en/auth/logout", data={"csrf_token": client.csrf_token("/en/dashboard/")})
    sign_in(client)
    assert client.submit("/en/auth/login/code", {"code": "fghjk-78923"}).status_code == 200  # used up
    assert client.get("/en/dashboard/").status_code == 302


def test_an_administrator_without_it_is_asked_to_set_it_up_straight_after_signing_in(client, make_user, db):
    admin = make_user("admin", email="boss@example.org")
    admin.totp_secret = admin.totp_confirmed_at = None  # e.g. the demo admin, or one promoted from the command line
    db.session.commit()
    response = sign_in(client, "boss@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/auth/account/two-factor/setup"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Administrators must use two-step sign-in" in page
    # A learner signing in goes to the dashboard as before.
    make_user(email="teacher@example.org")
    learner_browser = client.application.test_client()
    assert sign_in(learner_browser).headers["Location"] == "/en/dashboard/"
