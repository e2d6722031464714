"""Authentication beyond tests/test_auth.py: the breached-password list, and resistance to account
enumeration on sign-in and reset (same answer, same work: counted in Argon2 verifications, not in
wall time, so the test cannot flake)."""

from __future__ import annotations

import re

import pytest
from support import PASSWORD

from lumos_learn import passwords
from lumos_learn.passwords import COMMON_PASSWORDS_FILE, MAX_LENGTH, password_problem


class CountingHasher:
    """The real Argon2 hasher, counting how often a password is verified."""

    def __init__(self, hasher):
        self.hasher, self.verifications = hasher, 0

    def verify(self, *args, **kwargs):
        self.verifications += 1
        return self.hasher.verify(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.hasher, name)


@pytest.fixture
def hasher(monkeypatch):
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    return counting


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]{20,}"', 'value="…"', html)


def test_the_shipped_list_of_breached_passwords_is_thousands_long():
    entries = [
        line
        for line in COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(entries) >= 5000 and len(set(entries)) == len(entries)
    assert all(entry == entry.lower() for entry in entries)


@pytest.mark.parametrize("common", ["qwertyuiop", "1q2w3e4r5t", "Password123", "iloveyou12", "QWERTY123456"])
def test_long_but_common_passwords_are_refused_everywhere(client, learner, login_as, common):
    assert password_problem(common) == "common"
    registration = client.submit(
        "/en/auth/register",
        {
            "full_name": "Ion Rusu",
            "email": "ion@example.org",
            "password": common,
            "confirm": common,
            "preferred_language": "en",
            "professional_role": "teacher",
        },
    )
    assert "too common" in registration.get_data(as_text=True)
    login_as(client, learner)
    change = client.submit(
        "/en/auth/account/password", {"current_password": PASSWORD, "password": common, "confirm": common}
    )
    assert change.status_code == 200 and "too common" in change.get_data(as_text=True)


def test_length_limits_and_personal_passwords():
    assert password_problem("x" * 9) == "too_short"
    assert password_problem("a quiet river " * 20) == "too_long" and len("a quiet river " * 20) > MAX_LENGTH
    assert password_problem("ioana.rusu 2024", email="ioana.rusu@example.md") == "personal"
    assert password_problem("a quiet river at dawn") is None


# ASVS 6.2.11: one rule (passwords.password_problem) for every form that chooses a password. The account is
# Ioana Rusu, ioana.rusu@example.md; each password below is built from her e-mail, her name or the site's name.
CONTEXT_PASSWORDS = [
    "ioana.rusu@example.md",  # the whole e-mail
    "IOANA.RUSU 2024!",  # its local part, in capitals
    "Ioana Rusu 1987",  # the name
    "lumos learn 2026",  # the site's name
    "LumosLearn!!2026",
    "learn-lumos-rusu",  # site and name together
]
REFUSED = ("Do not use your name or email address", "Do not build your password from your name")


def _refused(response) -> bool:
    page = response.get_data(as_text=True).replace("&#39;", "'")
    return response.status_code == 200 and any(message in page for message in REFUSED)


@pytest.mark.parametrize("password", CONTEXT_PASSWORDS)
def test_registration_refuses_the_email_the_name_and_the_site_name(client, password):
    response = client.submit(
        "/en/auth/register",
        {
            "full_name": "Ioana Rusu",
            "email": "ioana.rusu@example.md",
            "password": password,
            "confirm": password,
            "preferred_language": "en",
            "professional_role": "teacher",
        },
    )
    assert _refused(response), response.status_code


@pytest.mark.parametrize("password", CONTEXT_PASSWORDS)
def test_a_password_change_refuses_the_email_the_name_and_the_site_name(client, make_user, login_as, password):
    user = make_user(email="ioana.rusu@example.md", name="Ioana Rusu")
    login_as(client, user)
    response = client.submit(
        "/en/auth/account/password", {"current_password": PASSWORD, "password": password, "confirm": password}
    )
    assert _refused(response)
    # A password of her own is accepted by the same form.
    accepted = client.submit(
        "/en/auth/account/password",
        {"current_password": PASSWORD, "password": "the river bends at noon", "confirm": "the river bends at noon"},
    )
    assert accepted.status_code == 302


@pytest.mark.parametrize("password", CONTEXT_PASSWORDS)
def test_a_password_reset_refuses_the_email_the_name_and_the_site_name(client, make_user, password):
    from lumos_learn.auth.services import make_reset_token

    user = make_user(email="ioana.rusu@example.md", name="Ioana Rusu")
    link = f"/en/auth/reset/{make_reset_token(user)}"
    assert _refused(client.submit(link, {"password": password, "confirm": password}))
    accepted = client.submit(link, {"password": "the river bends at noon", "confirm": "the river bends at noon"})
    assert accepted.status_code == 302


def test_words_of_the_site_among_words_of_ones_own_are_allowed():
    assert password_problem("the children learn fast here", email="ana@example.org", name="Ana Pop") is None
    assert password_problem("lumos learn 2026") == "context"
    assert password_problem("Learning at Lumos 99") == "context"


def test_sign_in_does_the_same_work_and_answers_the_same_for_unknown_accounts(client, make_user, hasher):
    make_user(email="teacher@example.org")
    answers, work = {}, {}
    for case, email in (("wrong password", "teacher@example.org"), ("unknown email", "nobody@example.org")):
        before = hasher.verifications
        response = client.submit("/en/auth/login", {"email": email, "password": "not the password"})
        work[case] = hasher.verifications - before
        answers[case] = (response.status_code, _without_tokens(response.get_data(as_text=True)).replace(email, "…"))
    assert work["wrong password"] == work["unknown email"] == 1
    assert answers["wrong password"] == answers["unknown email"]


def test_a_disabled_account_looks_like_a_wrong_password(client, make_user, hasher, db):
    user = make_user(email="gone@example.org")
    user.is_active_account = False
    db.session.commit()
    disabled = client.submit("/en/auth/login", {"email": "gone@example.org", "password": PASSWORD})
    unknown = client.submit("/en/auth/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert disabled.status_code == unknown.status_code == 200
    assert "The email or password is not right." in disabled.get_data(as_text=True)


def test_reset_answers_the_same_for_known_and_unknown_addresses(client, make_user, hasher, outbox):
    make_user(email="teacher@example.org")
    responses = {}
    for email in ("teacher@example.org", "nobody@example.org"):
        before = hasher.verifications
        response = client.submit("/en/auth/reset", {"email": email})
        assert hasher.verifications == before  # no password work that would differ by account
        responses[email] = (response.status_code, response.headers["Location"])
    assert responses["teacher@example.org"] == responses["nobody@example.org"] == (302, "/en/auth/login")
    assert len(outbox) == 1


def test_reset_requests_are_throttled_per_address(client, make_user, outbox):
    make_user(email="teacher@example.org")
    statuses = [client.submit("/en/auth/reset", {"email": f"guess{n}@example.org"}).status_code for n in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429
