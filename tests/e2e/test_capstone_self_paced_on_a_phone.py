"""Each shipped capstone walked as a new, self-paced learner would, on a phone: a Czech planner, a Bulgarian carer,
a French official and a Romanian teacher, with no account and no trainer, register, enrol, open the capstone from
its lesson, hand in their work, assess it against the rubric, and only then see the model answer. Every page is
checked (axe, 375 px, zoom, tap targets) and every request must succeed; the console watcher of browser_checks.py
fails the test on any console error."""

from __future__ import annotations

import re

import pytest
from browser_actors import Mouse
from demo_journey import fill_registration
from e2e_config import PASSWORD
from playwright.sync_api import expect
from site_pages import check_page

pytestmark = pytest.mark.e2e

# course, capstone module, the learner's language (interface and course), a word of the assignment's title
CAPSTONES = [
    ("strategic-di-planning", "transition-plan-outline", "cs", "Jasné louky"),  # Czech declines "Jasná louka"
    ("feeding-support", "mealtime-plan", "bg", "Павел"),
    ("eu-funding-di", "appraisal-memo", "fr", "Chez soi en ville"),
    ("inclusive-education", "individual-education-plan", "ro", "Mihai"),
]
# about 700 words (every capstone takes at least 500 or 600 and at most 1,200 or more), repeated sentences: the
# words are what the word count sees, whatever the course.
PLAN = " ".join(  # (Czech sentences; the word count is what is checked)
    ["Nejprve zastavíme přijímání dětí do Jasné louky a zřídíme komisi, která posoudí každé doporučení."] * 20
    + ["Každé dítě má individuální posouzení, plán přechodu a klíčovou osobu, která ho provede stěhováním."] * 20
    + ["Rozpočet počítá se souběžným financováním a převodem prostředků ústavu do nových služeb v kraji."] * 15
)


@pytest.mark.parametrize(("slug", "capstone", "lang", "title_word"), CAPSTONES, ids=[c[0] for c in CAPSTONES])
def test_a_self_paced_learner_hands_in_the_capstone_and_assesses_it_on_a_phone(
    browser, browser_context_args, real_site, page_problems, slug, capstone, lang, title_word
):
    failures: list[str] = []
    problems: list[str] = []
    context = browser.new_context(
        **{**browser_context_args, "base_url": real_site.url, "viewport": {"width": 375, "height": 740}}
    )
    page = context.new_page()
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    learner = Mouse(page)

    page.goto(f"/{lang}/auth/register")
    fill_registration(learner, lang, name="Tereza Nováková", email=f"capstone.{lang}@e2e.example", password=PASSWORD)
    expect(page).to_have_url(re.compile(f"/{lang}/courses/$"))
    page.goto(f"/{lang}/courses/{slug}/")
    learner.select(page.locator("#content_language"), lang)
    learner.activate(page.locator(f'main form[action$="/{slug}/enrol"] button'))
    expect(page).to_have_url(re.compile(f"/{lang}/courses/{slug}/confidence/before$"))

    # The capstone's lesson says how it is marked and leads to the assignment.
    page.goto(f"/{lang}/courses/{slug}/{capstone}/")
    learner.activate(page.locator("#assignment a.button"))
    expect(page.locator("h1")).to_contain_text(title_word)
    problems += [p for found in check_page(page, "capstone, draft", keyboard=True).values() for p in found]
    expect(page.locator("#model-heading")).to_have_count(0)  # no model answer before handing in

    # Too short is refused next to the field, and nothing is lost.
    learner.fill(page.locator("#text"), "Krátký plán.")
    page_problems.expect_form_error(page, "#assignment-form")  # "fix this field" is answered 400
    learner.activate(page.locator("main button[name=action][value=submit]"))
    expect(page.locator("#text-error")).to_be_visible()
    expect(page.locator("#text")).to_have_value("Krátký plán.")
    failures = [f for f in failures if not f.startswith("400 ")]  # the refusal above is a 400, as designed

    learner.fill(page.locator("#text"), PLAN)
    learner.activate(page.locator("main button[name=action][value=submit]"))
    # Outside any trainer's group, with no assessor named: the learner assesses the work, then sees the model answer.
    form = page.locator(f'main form[action$="/{slug}/{capstone}/assignment/self-assessment"]')
    expect(form).to_be_visible()
    expect(page.locator("#text")).to_have_count(0)  # handed in: no longer editable
    problems += [p for found in check_page(page, "capstone, self-assessment", keyboard=False).values() for p in found]
    for radio in form.locator("input[type=radio][id$='-meets']").all():
        learner.check(radio)
    learner.activate(form.locator("button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#review-heading")).to_be_visible()
    expect(page.locator("#model-heading")).to_be_visible()
    # the model answer's tables and lists too: 375 px without sideways scrolling, zoom, contrast, tap targets
    problems += [p for found in check_page(page, "capstone, model answer", keyboard=False).values() for p in found]
    context.close()
    assert not failures, failures
    assert not problems, problems
