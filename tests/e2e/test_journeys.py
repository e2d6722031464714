"""Whole journeys in a real browser: with the mouse, with the keyboard alone, and without JavaScript."""

from __future__ import annotations

import re

import pytest
from browser_actors import ACTORS, Mouse
from demo_journey import (
    answer_final,
    create_cohort,
    download_certificate,
    enrol,
    fail_then_pass,
    import_learners,
    rate_confidence,
    read_modules,
    register,
    verify_as_stranger,
)
from e2e_config import PASSWORD, PEOPLE
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TEACHER_RUNS = [
    pytest.param("ro", "mouse", True, id="romanian-mouse"),
    pytest.param("ro", "keyboard", True, id="romanian-keyboard-only"),
    pytest.param("en", "mouse", False, id="english-no-javascript"),
]


@pytest.mark.parametrize(("lang", "actor_name", "javascript"), TEACHER_RUNS)
def test_teacher_registers_learns_fails_passes_and_a_stranger_verifies(new_context, lang, actor_name, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    actor = ACTORS[actor_name](page)
    email = f"teacher-{actor_name}-{lang}-{int(javascript)}@e2e.example"

    register(actor, lang, name="Ioana Dumitrescu", email=email, password=PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    enrol(actor, lang, content_language=lang)
    rate_confidence(actor, {"position-safely": 2, "spot-danger": 1})
    read_modules(actor, lang)
    fail_then_pass(actor, lang, content_language=lang)

    code, pdf_text = download_certificate(actor)
    assert "Ioana Dumitrescu" in pdf_text and code in pdf_text

    # The completion page compares confidence before and after once it is rated again.
    actor.activate(page.locator('main a[href$="/confidence/after"]'))
    rate_confidence(actor, {"position-safely": 5, "spot-danger": 4})
    expect(page).to_have_url(re.compile(f"/{lang}/courses/demo-course/completed$"))
    expect(page.locator("main table")).to_contain_text("+3")

    stranger = ACTORS[actor_name](new_context(java_script_enabled=javascript).new_page())
    verify_as_stranger(stranger, code, lang)
    expect(stranger.page.locator(".certificate-valid")).to_be_visible()
    expect(stranger.page.locator("main")).to_contain_text("Ioana Dumitrescu")


def complete_course(new_context, name: str, email: str) -> str:
    """A learner finishes the test course (with the mouse, in English); returns the certificate code."""
    actor = Mouse(new_context().new_page())
    register(actor, "en", name=name, email=email, password=PASSWORD)
    enrol(actor, "en", content_language="en")
    rate_confidence(actor, {"position-safely": 3, "spot-danger": 3})
    read_modules(actor, "en")
    fail_then_pass(actor, "en", content_language="en")
    code, _ = download_certificate(actor)
    return code


@pytest.mark.parametrize("actor_name", ["mouse", "keyboard"])
def test_admin_revokes_a_certificate_and_the_verify_page_says_so(new_context, as_role, actor_name):
    code = complete_course(new_context, "Radu Revocat", f"revoked-{actor_name}@e2e.example")
    admin = ACTORS[actor_name](as_role("admin"))
    page = admin.page
    page.goto("/en/admin/certificates/")
    admin.fill(page.locator("#q"), code)
    admin.activate(page.locator("main form[role=search] button[type=submit]"))
    admin.activate(page.locator(f'main table a[href$="/{code}/"]'))
    admin.fill(page.locator("#reason"), "Issued by mistake: the learner shared an account.")
    admin.activate(page.locator('main form[action$="/revoke"] button[type=submit]'))
    expect(page.locator("main")).to_contain_text("Revoked")

    stranger = ACTORS[actor_name](new_context().new_page())
    verify_as_stranger(stranger, code)
    expect(stranger.page.locator(".certificate-revoked")).to_be_visible()
    expect(stranger.page.locator(".certificate-valid")).to_have_count(0)


def grid_row(page, name: str):
    return page.locator("table.grid tbody tr", has=page.locator("th.learner", has_text=name))


@pytest.mark.parametrize("actor_name", ["mouse", "keyboard"])
def test_trainer_imports_learners_watches_the_grid_and_exports_it(as_role, tmp_path, actor_name):
    email, _, _, name = PEOPLE[f"cohort-{actor_name}"]
    trainer = ACTORS[actor_name](as_role("trainer"))
    page = trainer.page
    create_cohort(trainer, f"Ungheni teachers ({actor_name})")
    csv_file = tmp_path / "learners.csv"
    csv_file.write_text(
        "name,email,language,organisation,role\n"
        f"{name},{email},en,Liceul 1,teacher\n"
        f"Nina Noua,nina.{actor_name}@e2e.example,ro,Liceul 2,teacher\n",
        encoding="utf-8",
    )
    import_learners(trainer, csv_file, [name, "Nina Noua"])
    grid_url = page.url
    row = grid_row(page, name)
    expect(row.locator("td.cell-started, td.cell-done")).to_have_count(0)
    expect(grid_row(page, "Nina Noua")).to_be_visible()

    # The learner reads the first module: the grid shows it as read.
    learner = Mouse(as_role(f"cohort-{actor_name}"))
    learner.page.goto("/en/courses/demo-course/")
    read_modules(learner, "en")
    page.goto(grid_url)
    expect(row.locator("td.cell").first).to_contain_text("✓")
    expect(row.locator("td.num")).not_to_have_text(re.compile(r"^0\s*%$"))

    # The learner passes the final assessment: the grid shows the course complete, with a certificate.
    answer_final(learner, "en", right=True)
    page.goto(grid_url)
    expect(row.locator("td.num")).to_have_text(re.compile(r"^100\s*%$"))
    expect(row.locator('a[href^="/certificates/"]')).to_be_visible()

    download = trainer.download(page.locator('main a[href*="/progress.csv"]'))
    exported = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert name in exported and "Nina Noua" in exported and "100" in exported
