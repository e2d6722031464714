"""Whole journeys in a real browser: with the mouse, with the keyboard alone, and without JavaScript."""

from __future__ import annotations

import re

import pytest
from browser_actors import ACTORS, Mouse
from demo_journey import (
    FINAL,
    answer_final,
    create_cohort,
    download_certificate,
    enrol,
    fail_then_pass,
    fill_registration,
    import_learners,
    rate_confidence,
    read_modules,
    register,
    sign_in,
    verify_as_stranger,
)
from e2e_config import PASSWORD, PEOPLE
from playwright.sync_api import expect
from qr_codes import qr_codes_in_pdf

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
    return finish_course(Mouse(new_context().new_page()), name, email)


def finish_course(actor, name: str, email: str) -> str:
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


@pytest.mark.parametrize("lang", ["bg", "fr"])
def test_quiz_answers_are_kept_as_the_learner_goes_without_submitting(new_context, lang):
    page = new_context().new_page()
    actor = Mouse(page)
    register(actor, lang, name="Petya Ivanova", email=f"autosave-{lang}@e2e.example", password=PASSWORD)
    enrol(actor, lang, content_language="en")
    rate_confidence(actor, {"position-safely": 3, "spot-danger": 3})
    read_modules(actor, lang)
    words = FINAL["en"]

    def autosaved(change) -> None:
        with page.expect_response(lambda r: r.request.resource_type == "fetch") as saved:
            change()
        assert saved.value.ok, f"the autosave was answered {saved.value.status} at {saved.value.url}"

    autosaved(lambda: page.locator("#question-demo-final-position").get_by_label(words["position_right"]).check())
    expect(page.locator(".autosave-status")).not_to_be_empty()
    autosaved(lambda: (page.locator("#q-demo-final-call").fill("112"), page.keyboard.press("Tab")))

    # The phone's tab is reloaded (a new page: the browser's own form restore must not do the work).
    again = page.context.new_page()
    again.goto(page.url)
    expect(again.locator("#question-demo-final-position").get_by_label(words["position_right"])).to_be_checked()
    expect(again.locator("#q-demo-final-call")).to_have_value("112")
    expect(again.locator("#quiz-form button[name=action][value=submit]")).to_be_visible()  # nothing was submitted
    expect(again.locator('main a[href*="/final-check/attempts/"]')).to_have_count(0)


def test_someone_without_an_account_follows_a_join_link_registers_and_is_in_the_cohort(as_role, new_context):
    trainer = Mouse(as_role("trainer"))
    cohort_path = create_cohort(trainer, "Chisinau carers (join link)", lang="ro")  # the test course: en, ro
    join_url = trainer.page.locator("#join-link").input_value()
    assert "/ro/join/" in join_url

    newcomer = Mouse(new_context().new_page())
    page = newcomer.page
    page.goto(join_url)
    newcomer.activate(page.locator('main a[href*="/auth/register?next="]'))
    fill_registration(newcomer, "ro", name="Desislava Petrova", email="desislava@e2e.example", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/ro/courses/demo-course/(confidence/before)?$"))
    expect(page.locator(".flash-success").last).to_contain_text("Chisinau carers (join link)")

    trainer.page.goto(f"{cohort_path}progress")
    expect(grid_row(trainer.page, "Desislava Petrova")).to_be_visible()


def test_the_certificate_qr_code_opens_this_servers_verify_page(new_context, site):
    """The journeys' server has no PUBLIC_BASE_URL, as `make run PORT=...` on a developer's machine."""
    actor = Mouse(new_context().new_page())
    code = finish_course(actor, "Quentin Qr", "quentin.qr@e2e.example")
    response = actor.page.request.get(f"/certificates/{code}.pdf")
    assert response.ok
    assert qr_codes_in_pdf(response.body()) == [f"{site.url}/verify/{code}"]

    phone = new_context().new_page()
    phone.goto(qr_codes_in_pdf(response.body())[0])
    expect(phone.locator(".certificate-valid")).to_be_visible()


@pytest.mark.parametrize(("role", "lang", "home"), [("trainer", "en", "/en/trainer/"), ("admin", "fr", "/fr/admin/")])
def test_people_land_where_their_role_works_in_the_language_they_signed_in_in(new_context, role, lang, home):
    """The seeded trainer prefers Romanian: signing in on the English page still leads to English pages."""
    page = new_context().new_page()
    sign_in(page, PEOPLE[role][0], lang)
    expect(page).to_have_url(re.compile(f"{re.escape(home)}$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
