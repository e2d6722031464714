"""The strategic DI capstone as a learner meets it, in each language: the lesson leads to the assignment page,
which shows the task, the Norvania case and the rubric in the reader's language and refuses a plan that is too short.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import Client

from lumos_learn import create_app

ROOT = Path(__file__).resolve().parents[2]
COURSE = "strategic-di-planning"
# Words each language's page must show: the assignment title, the case, and the titles of two essential criteria.
SHOWN = {
    "en": [
        "An outline transition plan for Bright Meadow",
        "64 children",
        "Service mix from the children's needs",
        "Individual assessment and moves",
    ],
    "cs": [
        "Plán transformace Jasné louky v osnově",
        "64 dětí",
        "Nabídka služeb podle potřeb dětí",
        "Individuální vyhodnocení a přechody",
    ],
    "uk": [
        "Стислий план переходу для «Ясної галявини»",
        "64 дитини",
        "Перелік послуг за потребами дітей",
        "Індивідуальне оцінювання і переїзди",
    ],
}


@pytest.fixture
def site(app):
    real = create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")})
    real.test_client_class = Client
    return real


@pytest.mark.parametrize("lang", SHOWN)
def test_a_learner_reaches_the_capstone_in_their_language(site, learner, login_as, lang):
    client = site.test_client()
    login_as(client, learner)
    course = f"/{lang}/courses/{COURSE}/"
    client.submit(f"{course}enrol", {"content_language": lang}, page=course)
    lesson = client.get(f"{course}transition-plan-outline/")
    assert lesson.status_code == 200
    page_url = f"{course}transition-plan-outline/assignment"
    assert page_url in lesson.get_data(as_text=True), "the capstone lesson does not lead to its assignment"

    page = client.get(page_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in SHOWN[lang]:
        assert text.replace("'", "&#39;") in html or text in html, f"{lang}: {text!r} not on the assignment page"

    too_short = client.submit(page_url, {"action": "submit", "text": "Close the home and move the children."})
    assert too_short.status_code == 400, "a plan of seven words must not be accepted for marking"
