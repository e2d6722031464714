"""The trainer's progress grid of a real eight-module course (a capstone after the final) on a 1280 px screen, in
the trainer's language.

Every column fits (the last activity, completed and certificate columns are not cut off), dates are in the
reader's locale format, and learners imported into the cohort who have done nothing show "never".
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from babel.dates import format_date
from e2e_config import PASSWORD, PEOPLE, TOTP_SECRET
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
NEVER = {"ro": "niciodată", "fr": "jamais", "bg": "никога", "en": "never", "cs": "nikdy", "uk": "ніколи"}


def _sign_in(page, email: str) -> None:
    page.goto("/en/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/auth/login/code" in page.url:
        page.locator("#code").fill(pyotp.TOTP(TOTP_SECRET).now())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()


@pytest.fixture(scope="module")
def real_cohort(browser, browser_context_args, real_site):
    """A cohort of the inclusive-education course (8 modules, long Romanian titles) with two imported learners,
    one of whom then reads a module. Returns the cohort's path (without language)."""
    context = browser.new_context(**{**browser_context_args, "base_url": real_site.url})
    page = context.new_page()
    _sign_in(page, PEOPLE["trainer"][0])
    page.goto("/ro/trainer/cohorts/new")
    page.locator("#course").select_option("inclusive-education")
    page.locator("#name").fill("Profesori din raionul Ungheni, primăvara 2027")
    page.locator("#language").select_option("ro")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    cohort = re.search(r"(/trainer/cohorts/\d+)/$", page.url).group(1)
    page.goto(f"/ro{cohort}/import")
    csv_file = Path(tempfile.mkdtemp()) / "cursanti.csv"
    rows = [f"{PEOPLE[key][3]},{PEOPLE[key][0]}" for key in ("cohort-mouse", "cohort-keyboard")]
    csv_file.write_text("name,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page.locator("#file").set_input_files(csv_file)
    with page.expect_navigation():
        page.locator("main form[enctype] button[type=submit]").click()
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    context.close()

    context = browser.new_context(**{**browser_context_args, "base_url": real_site.url})
    page = context.new_page()
    _sign_in(page, PEOPLE["cohort-keyboard"][0])
    page.goto("/ro/courses/inclusive-education/what-inclusion-means/")
    with page.expect_navigation():
        page.locator("form.lesson-done button[type=submit]").click()
    context.close()
    return cohort


@pytest.mark.parametrize("lang", ["ro", "fr", "bg", "en", "cs", "uk"])
def test_progress_grid_fits_1280_px_with_dates_in_the_readers_format(
    browser, browser_context_args, real_site, real_cohort, lang
):
    context = browser.new_context(**{**browser_context_args, "base_url": real_site.url})
    page = context.new_page()
    _sign_in(page, PEOPLE["trainer"][0])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/{lang}{real_cohort}/progress")
    region = page.locator("main div.table-scroll[role=region][tabindex='0']")
    expect(region).to_have_attribute("aria-label", re.compile(r"\S"))
    fit = region.evaluate("""(el) => ({scroll: el.scrollWidth, client: el.clientWidth, viewport: innerWidth,
        right: Math.max(...[...el.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect().right))})""")
    # learner, 8 modules (the capstone's column shows its assignment: one column, not two), 4 summary columns
    assert page.locator("table.grid thead th").count() == 13
    assert fit["scroll"] <= fit["client"], f"the grid is cut off at 1280 px: {fit}"
    assert fit["right"] <= fit["viewport"], f"columns beyond the screen's edge: {fit}"

    rows = {
        row.locator("th.learner a").inner_text(): [cell.inner_text().strip() for cell in row.locator("td").all()]
        for row in page.locator("table.grid tbody tr").all()
    }
    never_signed_in = rows[PEOPLE["cohort-mouse"][3]]
    assert never_signed_in[-3] == NEVER[lang], f"imported learner with no activity: {never_signed_in}"
    today = format_date(datetime.now(UTC).date(), "medium", locale=lang)
    assert rows[PEOPLE["cohort-keyboard"][3]][-3] == today
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", page.locator("table.grid").inner_text())
    context.close()
