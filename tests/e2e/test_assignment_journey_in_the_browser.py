"""An assessed assignment in a real browser: the learner writes (autosaved as they type), attaches a PDF and
submits; the trainer returns it with comments; the learner revises and resubmits; the trainer passes it; the course
completes and the certificate says that it includes an assessed practical assignment. Every request must succeed."""

from __future__ import annotations

import re

import pytest
from browser_actors import Mouse
from demo_journey import SLUG, answer_final, download_certificate, fill_registration, rate_confidence, read_modules
from e2e_config import PASSWORD, PEOPLE
from playwright.sync_api import expect
from site_pages import check_page

pytestmark = pytest.mark.e2e

PLAN = (
    "Dan sits upright in a chair with arms, his hips at 90 degrees. I check the seat before each meal, "
    "watch for coughing and a wet voice, and stop feeding and call for help if he coughs again and again."
)


def watched_page(context, failures: list[str]):
    """A page that records every response with an error status (documents, fetches, files)."""
    page = context.new_page()
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page


def sign_in(page, email: str) -> None:
    page.goto("/en/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/auth/login" not in page.url


def small_pdf(path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Mealtime plan for Dan")
    pdf.output(str(path))


def checked(page, label: str, problems: list[str], *, keyboard: bool = False) -> None:
    """The site's per-page checks (axe WCAG 2.2 AA, keyboard, 375 px, 200% zoom, tap targets) on this page."""
    for found in check_page(page, label, keyboard=keyboard).values():
        problems += found


def mark(trainer: Mouse, levels: dict[str, str], decision: str, comment: str = "") -> None:
    page = trainer.page
    for criterion, level in levels.items():
        trainer.check(page.locator(f"#level-{criterion}-{level}"))
    if comment:
        trainer.fill(page.locator("#overall"), comment)
    trainer.activate(page.locator(f"main button[name=decision][value={decision}]"))


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_learner_submits_trainer_returns_learner_resubmits_trainer_passes_certificate_says_so(
    browser, browser_context_args, assessed_site, tmp_path, javascript
):
    failures: list[str] = []
    problems: list[str] = []  # accessibility, checked on every new page type in the JavaScript run
    check = javascript
    args = {**browser_context_args, "base_url": assessed_site.url}
    trainer_context = browser.new_context(**args)
    learner_context = browser.new_context(**args, java_script_enabled=javascript)
    trainer = Mouse(watched_page(trainer_context, failures))
    learner = Mouse(watched_page(learner_context, failures))

    # The trainer opens a cohort; the learner registers and joins it with the link.
    sign_in(trainer.page, PEOPLE["trainer"][0])
    trainer.page.goto("/en/trainer/cohorts/new")
    trainer.select(trainer.page.locator("#course"), SLUG)
    trainer.fill(trainer.page.locator("#name"), f"Mealtime plans {int(javascript)}")
    trainer.select(trainer.page.locator("#language"), "en")
    trainer.activate(trainer.page.locator("main form button[type=submit]"))
    cohort_url = re.sub(r"^https?://[^/]+", "", trainer.page.url)
    code = trainer.page.locator(".join-code").inner_text().strip()

    page = learner.page
    page.goto("/en/auth/register")
    email = f"ilinca.plan.{int(javascript)}@e2e.example"
    # the same form-filling as every journey (the professional role is required and starts empty)
    fill_registration(learner, "en", name="Ilinca Plan", email=email, password=PASSWORD)
    expect(page).to_have_url(re.compile("/en/courses/$"))
    learner.page.goto(f"/en/join/{code}")
    learner.activate(learner.page.locator("main form button[type=submit]"))
    rate_confidence(learner, {"position-safely": 2, "spot-danger": 2})
    read_modules(learner, "en")
    answer_final(learner, "en", right=True)
    expect(learner.page.locator("p.lead .badge-ok")).to_be_visible()

    # The assignment: the draft is kept (autosaved as they type, or with "Save draft" without JavaScript), a PDF is
    # attached, the work submitted.
    learner.page.goto(f"/en/courses/{SLUG}/positioning/")
    if check:
        checked(learner.page, "lesson with an assignment", problems)
    learner.activate(learner.page.locator("#assignment a.button"))
    expect(learner.page.locator("h1")).to_have_text("A mealtime plan for Dan")
    if check:
        checked(learner.page, "assignment, draft", problems, keyboard=True)
    if javascript:
        learner.page.locator("#text").press_sequentially("Dan sits upright.", delay=5)
        expect(learner.page.locator(".autosave-status")).to_have_text("Draft saved.", timeout=10_000)
        learner.page.reload()
    else:
        learner.fill(learner.page.locator("#text"), "Dan sits upright.")
        learner.activate(learner.page.locator("main button[name=action][value=save]"))
        expect(learner.page.locator(".flash-success")).to_have_text("Draft saved.")
    expect(learner.page.locator("#text")).to_have_value("Dan sits upright.")
    learner.fill(learner.page.locator("#text"), PLAN)
    pdf = tmp_path / "plan.pdf"
    small_pdf(pdf)
    learner.upload(learner.page.locator("#files"), pdf)
    learner.activate(learner.page.locator("main button[name=action][value=submit]"))
    expect(learner.page.locator("main")).to_contain_text("Waiting to be marked")
    expect(learner.page.locator("main a", has_text="plan.pdf")).to_be_visible()
    if check:
        checked(learner.page, "assignment, submitted", problems)

    # The trainer marks from the cohort page: returned for revision, with a comment.
    trainer.page.goto(cohort_url)
    expect(trainer.page.locator("main")).to_contain_text("1 waiting to be marked")
    # the overview's count of work waiting (the cohort menu has a Marking tab to the same queue)
    trainer.activate(trainer.page.locator('main a[href$="/marking"]', has_text="waiting to be marked"))
    if check:
        checked(trainer.page, "marking queue", problems)
    trainer.activate(trainer.page.locator("main a.button", has_text="Start marking the oldest"))
    expect(trainer.page.locator(".submitted-text")).to_contain_text("chair with arms")
    if check:
        checked(trainer.page, "marking page", problems, keyboard=True)
    mark(trainer, {"seating": "not-yet", "warning-signs": "meets"}, "returned", "Say how his feet are supported.")
    expect(trainer.page.locator(".flash-success")).to_contain_text("Returned for revision")

    # The learner sees the marker's levels and comment, revises and submits again.
    learner.page.reload()
    expect(learner.page.locator("main")).to_contain_text("Say how his feet are supported.")
    expect(learner.page.locator(".rubric-chosen").first).to_contain_text("Not yet")
    if check:
        checked(learner.page, "assignment, returned", problems)
    learner.fill(learner.page.locator("#text"), PLAN + " His feet rest flat on a footrest.")
    learner.activate(learner.page.locator("main button[name=action][value=submit]"))
    expect(learner.page.locator("main")).to_contain_text("Waiting to be marked")

    # The trainer passes it; the learner's course is complete and the certificate says so.
    trainer.page.goto(cohort_url + "marking")
    trainer.activate(trainer.page.locator("main a.button", has_text="Start marking the oldest"))
    mark(trainer, {"seating": "exceeds", "warning-signs": "meets"}, "passed")
    expect(trainer.page.locator(".flash-success")).to_contain_text("Passed")
    trainer.page.goto(cohort_url + "progress")
    expect(trainer.page.locator("table.grid tbody tr", has_text="Ilinca Plan")).to_contain_text("Passed")
    if check:
        checked(trainer.page, "progress grid with an assignment", problems)
        learner.page.goto(f"/en/courses/{SLUG}/positioning/assignment")
        checked(learner.page, "assignment, passed", problems)

    learner.page.goto(f"/en/courses/{SLUG}/completed")
    expect(learner.page).to_have_url(re.compile(f"/en/courses/{SLUG}/completed$"))
    _code, text = download_certificate(learner)
    assert "Includes an assessed practical assignment" in " ".join(text.split())
    assert failures == [], failures
    assert problems == [], "\n".join(problems)
    trainer_context.close()
    learner_context.close()
