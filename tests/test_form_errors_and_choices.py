"""Forms as a screen-reader or hurried user meets them: required selects start on an empty choice (nothing is
submitted unseen), and a page that comes back with errors says so at the start of its <title>."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lumos_learn.models import User

REGISTRATION = {
    "full_name": "Ioana Rusu",
    "email": "ioana@example.md",
    "password": "livada de meri 1987",
    "confirm": "livada de meri 1987",
    "preferred_language": "ro",
    "country": "MD",
    "organisation": "",
    "professional_role": "teacher",
}


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)


def first_option(html: str, select_id: str) -> tuple[str, bool]:
    """(value of the first <option>, whether the browser shows it: it or no option is marked selected)."""
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.DOTALL).group(1)
    options = re.findall(r"<option([^>]*)>", block)
    value = re.search(r'value="([^"]*)"', options[0]).group(1)
    return value, "selected" in options[0] or not any("selected" in option for option in options)


def test_required_selects_of_the_registration_form_start_with_an_empty_choice(client):
    html = client.get("/ro/auth/register").get_data(as_text=True)
    assert first_option(html, "professional_role") == ("", True)  # no role chosen for the learner
    assert first_option(html, "preferred_language") == ("", False)  # empty choice there; the page's language chosen
    assert re.search(r'<option selected value="ro">|<option value="ro" selected>', html)


def test_registration_without_a_role_is_refused_with_a_message(client, db):
    response = client.submit("/en/auth/register", {**REGISTRATION, "professional_role": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose the role closest to your work." in html
    assert db.session.execute(select(User)).first() is None


def test_cohort_form_starts_with_empty_course_and_language_choices(client, make_user, login_as):
    login_as(client, make_user("trainer"))
    html = client.get("/en/trainer/cohorts/new").get_data(as_text=True)
    assert first_option(html, "course") == ("", True)
    assert first_option(html, "language")[0] == ""


@pytest.mark.parametrize(
    ("lang", "prefix"), [("en", "Error: "), ("ro", "Eroare: "), ("bg", "Грешка: "), ("fr", "Erreur\u00a0: ")]
)
def test_a_page_with_form_errors_says_so_in_its_title(client, lang, prefix):
    clean = title(client.get(f"/{lang}/auth/register").get_data(as_text=True))
    assert not clean.startswith(prefix)
    with_errors = client.submit(f"/{lang}/auth/register", {}).get_data(as_text=True)
    assert title(with_errors) == prefix + clean
    # and only then: the sign-in page itself is not an error
    assert not title(client.get(f"/{lang}/auth/login").get_data(as_text=True)).startswith(prefix)


def test_confidence_page_with_missing_ratings_says_so_in_its_title(client, make_user, login_as):
    login_as(client, make_user())
    client.submit("/en/courses/demo-course/enrol", {"content_language": "en"}, page="/en/courses/demo-course/")
    page = client.get("/en/courses/demo-course/confidence/before").get_data(as_text=True)
    assert not title(page).startswith("Error: ")
    html = client.submit("/en/courses/demo-course/confidence/before", {"action": "save"}).get_data(as_text=True)
    assert 'class="error-summary"' in html and title(html).startswith("Error: ")
