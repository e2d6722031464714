"""Steps through the test course `demo-course` (tests/data/courses), written once for any actor and language.

Elements are found by what a user sees (labels, link targets), never by the shuffled position values.
"""

from __future__ import annotations

import io
import re

import pyotp
from e2e_config import PASSWORD, TOTP_SECRET
from playwright.sync_api import expect
from pypdf import PdfReader

SLUG = "demo-course"
# What the learner reads on the final assessment, per content language.
FINAL = {
    "en": {
        "position_right": "Upright",
        "position_wrong": "Lying flat",
        "signs": ["Coughing", "A wet, gurgly voice"],
        "levels": ["Level 0", "Level 1", "Level 4"],
    },
    "ro": {
        "position_right": "Drept",
        "position_wrong": "Culcat",
        "signs": ["Tusea", "O voce umedă, gâlgâită"],
        "levels": ["Nivelul 0", "Nivelul 1", "Nivelul 4"],
    },
}


def sign_in(page, email: str, lang: str = "en") -> None:
    page.goto(f"/{lang}/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/auth/login/code" in page.url:  # two-step sign-in (required for administrators)
        page.locator("#code").fill(pyotp.TOTP(TOTP_SECRET).now())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    assert "/auth/login" not in page.url, f"sign-in failed for {email}: {page.url}"


def register(actor, lang: str, *, name: str, email: str, password: str) -> None:
    page = actor.page
    page.goto(f"/{lang}/")
    actor.activate(page.locator(f'header a[href="/{lang}/auth/register"]'))
    expect(page).to_have_url(re.compile(f"/{lang}/auth/register$"))
    fill_registration(actor, lang, name=name, email=email, password=password)
    expect(page).to_have_url(re.compile(f"/{lang}/courses/$"))
    # The welcome names no one (a name would need inflecting in cs, uk...); the account it made is the one signed in.
    expect(page.locator(".flash-success")).to_be_visible()


def fill_registration(actor, lang: str, *, name: str, email: str, password: str) -> None:
    """On the registration page: fill it in and send it."""
    page = actor.page
    actor.fill(page.locator("#full_name"), name)
    actor.fill(page.locator("#email"), email)
    actor.fill(page.locator("#password"), password)
    actor.fill(page.locator("#confirm"), password)
    assert page.locator("#preferred_language").input_value() == lang  # the page's language is the default
    actor.select(page.locator("#professional_role"), "teacher")
    actor.activate(page.locator("main form button[type=submit]"))


def enrol(actor, lang: str, content_language: str) -> None:
    page = actor.page
    actor.activate(page.locator(f'main a[href="/{lang}/courses/{SLUG}/"]').first)
    actor.select(page.locator("#content_language"), content_language)
    actor.activate(page.locator(f'main form[action$="/{SLUG}/enrol"] button'))
    expect(page).to_have_url(re.compile(f"/{lang}/courses/{SLUG}/confidence/before$"))


def rate_confidence(actor, ratings: dict[str, int]) -> None:
    page = actor.page
    for statement, value in ratings.items():
        actor.check(page.locator(f"#c-{statement}-{value}"))
    actor.activate(page.locator("main button[name=action][value=save]"))
    expect(page.locator(".flash-success")).to_be_visible()


def read_modules(actor, lang: str) -> None:
    """From the course page: start, and mark every module before the final assessment as read."""
    page = actor.page
    expect(page).to_have_url(re.compile(f"/{lang}/courses/{SLUG}/$"))
    actor.activate(page.locator(f'main a.button[href="/{lang}/courses/{SLUG}/positioning/"]'))
    expect(page.locator("article.lesson h1")).to_be_visible()
    actor.activate(page.locator("form.lesson-done button"))
    expect(page).to_have_url(re.compile(f"/{lang}/courses/{SLUG}/final-check/$"))


def answer_final(actor, content_language: str, *, right: bool) -> None:
    page = actor.page
    words = FINAL[content_language]
    question = page.locator("#question-demo-final-position")
    actor.check(question.get_by_label(words["position_right" if right else "position_wrong"], exact=True))
    if right:
        for sign in words["signs"]:
            actor.check(page.locator("#question-demo-final-signs").get_by_label(sign, exact=True))
        for index, level in enumerate(words["levels"]):
            select = page.locator(f"#q-demo-final-match-{index}")
            value = select.locator("option", has_text=re.compile(f"^{re.escape(level)}$")).get_attribute("value")
            actor.select(select, value)
    actor.fill(page.locator("#q-demo-final-number"), "90" if right else "45")
    actor.fill(page.locator("#q-demo-final-call"), "112" if right else "911")
    actor.activate(page.locator("#quiz-form button[name=action][value=submit]"))
    expect(page).to_have_url(re.compile(f"/{SLUG}/final-check/attempts/\\d+$"))


def fail_then_pass(actor, lang: str, content_language: str) -> None:
    page = actor.page
    answer_final(actor, content_language, right=False)
    expect(page.locator("p.lead .badge-ok")).to_have_count(0)
    actor.activate(page.locator('main a.button[href$="#quiz"]'))  # "Try again"
    answer_final(actor, content_language, right=True)
    expect(page.locator("p.lead .badge-ok")).to_be_visible()
    actor.activate(page.locator(f'main a.button[href="/{lang}/courses/{SLUG}/completed"]'))
    expect(page).to_have_url(re.compile(f"/{lang}/courses/{SLUG}/completed$"))


def download_certificate(actor) -> tuple[str, str]:
    """From the completion page: the certificate's code and the text of the PDF behind the download link.

    Chromium shows an inline PDF in its viewer (it would save it with Content-Disposition: attachment);
    either way the browser fetched it with the learner's session. The viewer keeps the navigation's body
    to itself, so the bytes are fetched again with the same cookies.
    """
    page = actor.page
    link = page.locator('main a[href^="/certificates/"][href$=".pdf"]')
    expect(link).to_be_visible()
    code = re.search(r"/certificates/([^/]+)\.pdf$", link.get_attribute("href")).group(1)
    with page.expect_response(re.compile(r"/certificates/[^/]+\.pdf$")) as response_info:
        actor.activate(link)
    response = response_info.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = page.request.get(response.url).body()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    page.go_back()
    return code, text


def verify_as_stranger(actor, code: str, lang: str = "en") -> None:
    """Anyone, signed out: the footer link, type the code, see the verdict."""
    page = actor.page
    page.goto(f"/{lang}/")
    actor.activate(page.locator('footer a[href^="/verify/"]'))
    actor.fill(page.locator("#code"), code)
    actor.activate(page.locator("main form button[type=submit]"))
    # The check keeps the language it was made in (?lang= from the footer link).
    expect(page).to_have_url(re.compile(f"/verify/{re.escape(code)}\\?lang={lang}$"))


def create_cohort(actor, name: str, lang: str = "en") -> str:
    """A trainer creates a cohort for the test course; returns the cohort page's path."""
    page = actor.page
    page.goto(f"/{lang}/trainer/")
    actor.activate(page.locator(f'main a[href="/{lang}/trainer/cohorts/new"]'))
    actor.select(page.locator("#course"), SLUG)
    actor.fill(page.locator("#name"), name)
    actor.select(page.locator("#language"), lang)
    actor.activate(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(re.compile(f"/{lang}/trainer/cohorts/\\d+/$"))
    return re.sub(r"^https?://[^/]+", "", page.url)


def import_learners(actor, csv_path, names: list[str]) -> None:
    """From a cohort page: upload the CSV, check the preview, confirm; ends on the progress grid."""
    page = actor.page
    actor.activate(page.locator('nav.subnav a[href$="/import"]'))
    actor.upload(page.locator("#file"), csv_path)
    actor.activate(page.locator("main form[enctype] button[type=submit]"))
    for name in names:
        expect(page.locator("main table")).to_contain_text(name)
    actor.activate(page.locator("main form[method=post] button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/trainer/cohorts/\d+/progress$"))
    expect(page.locator(".flash-success")).to_be_visible()
