"""Every page type of the site, as a signed-out visitor or a signed-in person sees it, in any language.

The sweeps (axe, small screens, screenshots, page weight) walk this list, so a new page type is covered
everywhere by adding one line. Paths are templates: {lang} is the interface language, {code} a real
certificate's code, {result} the path of a submitted quiz attempt (without its language prefix).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from browser_actors import Mouse
from browser_checks import PAGE_PROBLEMS, axe_violations, horizontal_overflow, keyboard_walk, small_tap_targets
from demo_journey import SLUG, answer_final, create_cohort, enrol, rate_confidence, read_modules
from e2e_config import PEOPLE, SCREENSHOTS


def _submit_empty(page) -> None:
    PAGE_PROBLEMS.expect_form_error(page)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def _submit_work_empty(page) -> None:
    """The assignment handed in with no text: the message next to the field (nothing is stored)."""
    PAGE_PROBLEMS.expect_form_error(page, "main form[method=post]:has(button[name=action][value=submit])")
    with page.expect_navigation():
        page.locator("main button[name=action][value=submit]").click()


@dataclass(frozen=True)
class PageType:
    name: str
    role: str | None  # None: signed out
    path: str
    prepare: Callable | None = None  # after loading: e.g. send the form empty to show its errors
    status: int = 200

    def url(self, lang: str, facts: dict) -> str:
        return self.path.format(lang=lang, **facts)


COURSE = f"/{{lang}}/courses/{SLUG}"
ASSIGNMENT_TEXT = (
    "Dan sits upright in a chair with arms, hips at 90 degrees and feet on a footrest; "
    "I check the seat before each meal and stop when he coughs again and again."
)
PAGE_TYPES = [
    PageType("home", None, "/{lang}/"),
    PageType("catalogue", None, "/{lang}/courses/"),
    PageType("course", None, f"{COURSE}/"),
    PageType("lesson", None, f"{COURSE}/positioning/"),
    PageType("sign-in", None, "/{lang}/auth/login"),
    PageType("sign-in-errors", None, "/{lang}/auth/login", _submit_empty),
    PageType("register", None, "/{lang}/auth/register"),
    PageType("register-errors", None, "/{lang}/auth/register", _submit_empty),
    PageType("password-reset", None, "/{lang}/auth/reset"),
    PageType("verify-form", None, "/verify/?lang={lang}"),
    PageType("verify-form-errors", None, "/verify/?lang={lang}", _submit_empty),
    PageType("verify-valid", None, "/verify/{code}?lang={lang}"),
    PageType("verify-unknown", None, "/verify/LL-0000-0000-0000-0000?lang={lang}", status=404),
    PageType("accessibility-statement", None, "/{lang}/accessibility"),
    PageType("not-found", None, "/{lang}/courses/no-such-course/", status=404),
    PageType("dashboard", "student", "/{lang}/dashboard/"),
    PageType("course-enrolled", "student", f"{COURSE}/"),
    PageType("lesson-with-quiz", "student", f"{COURSE}/final-check/"),
    PageType("confidence", "student", f"{COURSE}/confidence/before"),
    PageType("account", "student", "/{lang}/auth/account"),
    PageType("change-password", "student", "/{lang}/auth/account/password"),
    PageType("change-password-errors", "student", "/{lang}/auth/account/password", _submit_empty),
    PageType("two-step-sign-in", "student", "/{lang}/auth/account/two-factor"),
    PageType("my-data", "student", "/{lang}/auth/account/data"),
    PageType("quiz-result", "learner", "/{lang}{result}"),
    PageType("quiz-result-failed", "student", "/{lang}{failed_result}"),
    PageType("completed", "learner", f"{COURSE}/completed"),
    PageType("dashboard-certificates", "learner", "/{lang}/dashboard/"),
    PageType("assignment", "learner", f"{COURSE}/positioning/assignment"),
    PageType("assignment-errors", "learner", f"{COURSE}/positioning/assignment", _submit_work_empty),
    PageType("assignment-submitted", "student", f"{COURSE}/positioning/assignment"),
    PageType("cohorts", "trainer", "/{lang}/trainer/"),
    PageType("cohort-new", "trainer", "/{lang}/trainer/cohorts/new"),
    PageType("cohort-new-errors", "trainer", "/{lang}/trainer/cohorts/new", _submit_empty),
    PageType("cohort", "trainer", "/{lang}{cohort}/"),
    PageType("cohort-progress-grid", "trainer", "/{lang}{cohort}/progress"),
    PageType("cohort-learner", "trainer", "/{lang}{cohort}/learners/{enrolment}"),
    PageType("cohort-import", "trainer", "/{lang}{cohort}/import"),
    PageType("cohort-import-done", "trainer", "/{lang}{cohort}/import/{batch}"),
    PageType("cohort-quiz-items", "trainer", "/{lang}{cohort}/items"),
    PageType("cohort-confidence", "trainer", "/{lang}{cohort}/confidence"),
    PageType("impact-report", "trainer", "/{lang}/trainer/report"),
    PageType("marking-queue", "trainer", "/{lang}{cohort}/marking"),
    PageType("marking", "trainer", "/{lang}/trainer/submissions/{submission}"),
    PageType("admin-people", "admin", "/{lang}/admin/"),
    PageType("admin-person", "admin", "/{lang}/admin/users/1/"),
    PageType("admin-audit", "admin", "/{lang}/admin/audit"),
    PageType("admin-certificates", "admin", "/{lang}/admin/certificates/"),
    PageType("admin-certificate", "admin", "/{lang}/admin/certificates/{code}/"),
    PageType("admin-assessors", "admin", "/{lang}/admin/assessors"),
]
PAGE_TYPE_NAMES = [p.name for p in PAGE_TYPES]


def prepare_people(new_page) -> dict:
    """Bring the seeded `learner` through the course and `student` into it; facts the page paths need."""
    learner = Mouse(new_page("learner"))
    learner.page.goto("/en/courses/")
    enrol(learner, "en", content_language="en")
    rate_confidence(learner, {"position-safely": 2, "spot-danger": 2})
    read_modules(learner, "en")
    answer_final(learner, "en", right=True)
    result = re.sub(r"^https?://[^/]+/en", "", learner.page.url)
    learner.page.goto(f"/en/courses/{SLUG}/completed")
    href = learner.page.locator('main a[href^="/certificates/"][href$=".pdf"]').get_attribute("href")
    code = re.search(r"/certificates/([^/]+)\.pdf$", href).group(1)

    student = Mouse(new_page("student"))
    student.page.goto("/en/courses/")
    enrol(student, "en", content_language="en")
    student.page.goto(f"/en/courses/{SLUG}/final-check/")
    answer_final(student, "en", right=False)  # a failed graded final: the review shows the score only
    failed_result = re.sub(r"^https?://[^/]+/en", "", student.page.url)

    trainer = Mouse(new_page("trainer"))
    cohort = create_cohort(trainer, "Sweep cohort").removeprefix("/en").rstrip("/")
    trainer.activate(trainer.page.locator('nav.subnav a[href$="/import"]'))
    csv_file = Path(tempfile.mkdtemp()) / "learners.csv"
    csv_file.write_text(f"name,email\nStefan Student,{PEOPLE['student'][0]}\n", encoding="utf-8")
    trainer.upload(trainer.page.locator("#file"), csv_file)
    trainer.activate(trainer.page.locator("main form[enctype] button[type=submit]"))
    batch = re.search(r"/import/(\d+)$", trainer.page.url).group(1)
    trainer.activate(trainer.page.locator("main form[method=post] button[type=submit]"))
    learner_href = trainer.page.locator("table.grid tbody th.learner a").first.get_attribute("href")
    enrolment = re.search(r"/learners/(\d+)$", learner_href).group(1)

    # The student (in the cohort) hands in the assignment: the trainer's queue and marking page have work.
    student.page.goto(f"/en/courses/{SLUG}/positioning/assignment")
    student.fill(student.page.locator("#text"), ASSIGNMENT_TEXT)
    student.activate(student.page.locator("main button[name=action][value=submit]"))
    trainer.page.goto(f"/en{cohort}/marking")
    mark_href = trainer.page.locator("main table a[href*='/trainer/submissions/']").first.get_attribute("href")
    submission = re.search(r"/submissions/(\d+)$", mark_href).group(1)
    return {
        "result": result,
        "failed_result": failed_result,
        "code": code,
        "cohort": cohort,
        "batch": batch,
        "enrolment": enrolment,
        "submission": submission,
    }


def visit(page, page_type: PageType, lang: str, facts: dict) -> None:
    if page_type.status != 200:
        PAGE_PROBLEMS.expect_status(page_type.status, page_type.url(lang, facts))
    response = page.goto(page_type.url(lang, facts))
    assert response.status == page_type.status, f"{page_type.name} ({lang}): HTTP {response.status} at {page.url}"
    if page_type.prepare:
        page_type.prepare(page)


def real_lesson_pages(courses_dir: Path) -> list[tuple[str, str, str]]:
    """(course slug, module slug, language) for every module of every real course in each of its languages."""
    pages = []
    for course_yml in sorted(courses_dir.glob("*/course.yml")):
        course = yaml.safe_load(course_yml.read_text(encoding="utf-8"))
        for module in course["modules"]:
            for lang in course["languages"]:
                pages.append((course["slug"], module, lang))
    return pages


CATEGORIES = ("axe", "keyboard", "overflow-375", "targets-375", "overflow-zoom-200")


def check_page(page, label: str, *, keyboard: bool, screenshot: str | None = None) -> dict[str, list[str]]:
    """Every per-page check on the page as loaded (at 1280 px): axe and keyboard at 1280 px, then the
    phone (375 × 812) and the 200% text zoom of a 1280 px window (640 CSS px). Problems by category."""
    found = {category: [] for category in CATEGORIES}
    found["axe"] = [f"{label}: {v}" for v in axe_violations(page)]
    if keyboard:
        found["keyboard"] = [f"{label}: {p}" for p in keyboard_walk(page)]
    if screenshot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{screenshot}-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    found["overflow-375"] = [f"{label}: {p}" for p in horizontal_overflow(page)]
    found["targets-375"] = [f"{label}: {p}" for p in small_tap_targets(page)]
    if screenshot:
        page.screenshot(path=SCREENSHOTS / f"{screenshot}-375.png", full_page=True)
    page.set_viewport_size({"width": 640, "height": 800})
    found["overflow-zoom-200"] = [f"{label}: {p}" for p in horizontal_overflow(page)]
    page.set_viewport_size({"width": 1280, "height": 900})
    return found


def sweep_site(open_page, facts: dict, lang: str) -> dict[str, list[str]]:
    """check_page on every page type in one interface language (screenshots of the English pages)."""
    pages, found = {}, {category: [] for category in CATEGORIES}
    for page_type in PAGE_TYPES:
        if page_type.role not in pages:
            pages[page_type.role] = open_page(page_type.role)
        page = pages[page_type.role]
        label = f"{page_type.name} ({lang})"
        try:
            visit(page, page_type, lang, facts)
            checks = check_page(page, label, keyboard=lang == "en", screenshot=page_type.name if lang == "en" else None)
        except Exception as error:  # one broken page must not hide the others' results
            checks = {category: [f"{label}: could not be checked: {error}"] for category in CATEGORIES}
            page.set_viewport_size({"width": 1280, "height": 900})
        for category, problems in checks.items():
            found[category] += problems
    return found
