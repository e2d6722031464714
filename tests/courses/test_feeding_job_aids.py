"""Issue 26: the feeding course's job aids, in every language, checked as a reviewer would.

One aid at least for every teaching module; the cards for the kitchen wall on one A4 sheet in the PDF made by the
server, the forms on two at most; the positioning card numbered as the module's six-point check; the flow-test
card's table as the module's; the safety rules the modules teach (back blows first, breathing signs after a meal
reported at once, a prescribed texture never changed); Ukrainian emergency numbers and Cyrillic units.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from lumos_learn import create_app
from lumos_learn.content import load_library
from lumos_learn.content.job_aids import aids_of_module
from lumos_learn.content.translation_sources import course_translations

ROOT = Path(__file__).resolve().parents[2]
SLUG = "feeding-support"
FOLDER = ROOT / "courses" / SLUG
AIDS = FOLDER / "aids"
COURSE = load_library(ROOT / "courses").get(SLUG)
LANGUAGES = tuple(COURSE.languages)
WALL = ("card", "checklist")  # one sheet for the wall; templates and worksheets may take two

# The aids the issue and the task name: slug -> (kind, module).
NAMED = {
    "nutrition-watch-list": ("checklist", "malnutrition-and-dehydration"),
    "fluid-and-weight-record": ("worksheet", "malnutrition-and-dehydration"),
    "positioning-card": ("card", "safe-positioning"),
    "warning-signs-card": ("card", "swallowing-and-aspiration"),
    "iddsi-flow-test-card": ("card", "textures-and-thickened-drinks"),
    "responsive-feeding-card": ("card", "responsive-feeding"),
    "mealtime-plan-form": ("template", "organising-mealtimes"),
}
ALL_AIDS = sorted(set(NAMED) | {p.name.split(".")[0] for p in AIDS.glob("*.md")})

# What the modules teach, in each language's own words (taken from the modules' text).
BACK_BLOWS = {"en": "back blows", "bg": "удари по гърба", "uk": "удари по спині"}
EMERGENCY = {"en": "112", "bg": "112", "uk": "103 (або 112)"}
NOW = {"en": ("now", "at once"), "bg": ("веднага",), "uk": ("негайно",)}
SAME_DAY = {"en": ("same day",), "bg": ("в същия ден",), "uk": ("того ж дня",)}
AFTER_MEAL_BREATHING = {
    "en": "fever, fast breathing or a new cough",
    "bg": "температура, учестено дишане или нова кашлица",
    "uk": "температура, часте дихання чи новий кашель",
}
NEVER_CHANGE = {
    "en": "nobody changes a prescribed texture",
    "bg": "никой не променя предписана консистенция",
    "uk": "ніхто не змінює призначену консистенцію",
}


def aid_text(slug: str, lang: str) -> str:
    return (AIDS / f"{slug}.{lang}.md").read_text(encoding="utf-8")


def aid_meta(slug: str, lang: str) -> dict:
    return yaml.safe_load(aid_text(slug, lang).split("\n---\n", 1)[0].removeprefix("---\n"))


def aid_body(slug: str, lang: str) -> str:
    return aid_text(slug, lang).split("\n---\n", 1)[1]


def module_body(slug: str, lang: str) -> str:
    (path,) = FOLDER.glob(f"??-{slug}.{lang}.md")
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1].split("```quiz", 1)[0]


def numbered_labels(markdown: str) -> list[str]:
    """The bold lead words of the first numbered list whose items start with bold text ("1. **Pelvis.** ...")."""
    labels, started = [], False
    for line in markdown.split("\n"):
        match = re.match(r"^(\d+)\. \*\*(.+?)\*\*", line)
        if match and int(match.group(1)) == len(labels) + 1:
            labels.append(match.group(2).strip(" .:"))
            started = True
        elif started and not line.strip():
            continue
        elif started:
            break
    return labels


def table_rows(markdown: str, first_header_cell: str) -> list[list[str]]:
    """The body rows of the Markdown table whose first header cell is `first_header_cell`."""
    lines = markdown.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header_cell} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


@pytest.fixture
def shipped(app):
    """A client of the app serving the shipped courses (the aid pages and downloads need no account)."""
    return create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()


def test_every_teaching_module_has_a_job_aid_in_every_language():
    teaching = [m.slug for m in COURSE.modules if not m.graded and m.assignment is None]
    assert len(teaching) == 6
    for module in teaching:
        aids = aids_of_module(COURSE, module)
        assert aids, f"{module}: no job aid"
        for aid in aids:
            assert set(aid.versions) == set(LANGUAGES), f"{aid.slug}: {sorted(set(LANGUAGES) - set(aid.versions))}"
    # the final assessment (and a capstone) has none of its own
    for module in COURSE.modules:
        if module.graded or module.assignment is not None:
            assert not aids_of_module(COURSE, module.slug)


def test_the_aids_the_issue_names_are_there_with_their_kind_and_module():
    found = {aid.slug: (aid.kind, aid.module_slug) for aid in COURSE.job_aids}
    for slug, expected in NAMED.items():
        assert found.get(slug) == expected, slug


def test_every_translated_aid_is_recorded_from_its_source_as_it_is_now():
    aids = [t for t in course_translations(FOLDER, "en", LANGUAGES) if t.kind == "job aid"]
    assert {t.stem for t in aids} >= set(NAMED)
    stale = [f"{t.stem}.{t.lang}" for t in aids if not t.up_to_date]
    assert stale == [], f"translate, then run `flask courses record-translation {SLUG}`: {stale}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", ALL_AIDS)
def test_the_pdf_is_one_sheet_for_a_card_and_two_at_most_for_a_form(shipped, slug, lang):
    response = shipped.get(f"/{lang}/courses/{SLUG}/aids/{slug}.pdf?content={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # the aid in this language, not the English one it would fall back to
    assert " ".join(aid_meta(slug, lang)["title"].split()[:3]) in text
    if aid_meta(slug, "en")["kind"] in WALL:
        assert len(reader.pages) == 1, f"{slug}.{lang}: {len(reader.pages)} pages for a card meant for the wall"
    else:
        assert len(reader.pages) <= 2, f"{slug}.{lang}: {len(reader.pages)} pages"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_positioning_card_numbers_the_six_points_as_the_module_does(lang):
    card = numbered_labels(aid_body("positioning-card", lang))
    module = numbered_labels(module_body("safe-positioning", lang).split("\n## ", 3)[2])
    assert len(module) == 6 and card == module, (card, module)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_flow_test_card_has_the_modules_steps_and_levels(lang):
    card, module = aid_body("iddsi-flow-test-card", lang), module_body("textures-and-thickened-drinks", lang)
    header = {"en": "Left after 10 seconds", "bg": "Остатък след 10 секунди", "uk": "Залишок через 10 секунд"}[lang]
    card_rows, module_rows = table_rows(card, header), table_rows(module, header)
    # levels 0 to 3 by what is left in the syringe, word for word; then the drink that does not flow (level 4)
    assert card_rows[:4] == module_rows[:4]
    assert [row[0] for row in card_rows] == [row[0] for row in module_rows]
    assert [re.match(r"\D*(\d)", row[1]).group(1) for row in card_rows] == ["0", "1", "2", "3", "4"]
    # six steps of the flow test, with 10 ml and 10 seconds
    steps = re.findall(r"^[1-6]\. ", card.split("\n## ", 2)[1], flags=re.MULTILINE)
    assert len(steps) == 6
    assert "10 ml" in card.replace("мл", "ml") and re.search(r"\*\*10 (seconds|секунди|секунд)\*\*", card)
    # the fork and spoon tests for each food level the module describes
    for level in ("3", "4", "5", "6", "7"):
        assert re.search(rf"^- \*\*(Level|Ниво|Рівень) {level}\b", card, flags=re.MULTILINE), level


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", ALL_AIDS)
def test_choking_starts_with_back_blows_and_names_the_local_emergency_number(slug, lang):
    body = aid_body(slug, lang)
    for line in body.split("\n"):
        if BACK_BLOWS[lang] in line and "112" in line:
            # back blows come first: the call is made by a colleague, never before the first blow
            assert line.index(BACK_BLOWS[lang]) < line.index("112"), line
    if lang == "uk":
        # in Ukraine the ambulance is 103; 112 is still being rolled out (module 3)
        assert body.count("112") == body.count(EMERGENCY["uk"]), [
            line for line in body.split("\n") if "112" in line and EMERGENCY["uk"] not in line
        ]
    else:
        assert "103" not in body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_card_with_a_choking_instruction_gives_back_blows_first(lang):
    for slug in ("warning-signs-card", "positioning-card", "iddsi-flow-test-card", "responsive-feeding-card"):
        body = aid_body(slug, lang)
        assert BACK_BLOWS[lang] in body and EMERGENCY[lang] in body, slug
        assert body.index(BACK_BLOWS[lang]) < body.index(EMERGENCY[lang]), slug


def urgency_of(text: str, position: int, lang: str) -> str | None:
    """'now' or 'same day': the marker on the line of `position`, else the nearest one before it."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : line_end if line_end >= 0 else None].casefold()
    markers = [(m, "now") for m in NOW[lang]] + [(m, "same day") for m in SAME_DAY[lang]]
    on_line = [kind for marker, kind in markers if marker in line]
    if on_line:
        return "same day" if "same day" in on_line and "now" not in on_line else "now"
    before = text[:line_start].casefold()
    found = [(before.rfind(marker), kind) for marker, kind in markers if before.rfind(marker) >= 0]
    return max(found)[1] if found else None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_breathing_signs_after_a_meal_are_reported_at_once_never_the_same_day(lang):
    phrase = AFTER_MEAL_BREATHING[lang]
    seen = 0
    for slug in ALL_AIDS:
        body = aid_body(slug, lang)
        for match in re.finditer(re.escape(phrase), body, flags=re.IGNORECASE):
            seen += 1
            assert urgency_of(body, match.start(), lang) == "now", f"{slug}.{lang}: {phrase}"
    # the warning-signs card, the record and the mealtime plan all carry it
    assert seen >= 3


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_mealtime_plan_copies_both_prescribed_levels_and_never_changes_them(lang):
    body = aid_body("mealtime-plan-form", lang)
    assert NEVER_CHANGE[lang] in body.casefold()
    # a row for the food level and one for the drink level, each to fill in with the IDDSI level as prescribed
    rows = [line.strip().strip("|").split("|") for line in body.split("\n") if line.startswith("| ")]
    levels = [cells for cells in rows if "IDDSI" in cells[0]]
    assert len(levels) == 2 and all(not cells[1].strip(" .") for cells in levels), levels
    # the plan names who to call, and what to do in a choking emergency
    assert BACK_BLOWS[lang] in body and EMERGENCY[lang] in body


@pytest.mark.parametrize("lang", ("bg", "uk"))
@pytest.mark.parametrize("slug", ALL_AIDS)
def test_units_are_written_in_cyrillic(slug, lang):
    text = aid_text(slug, lang)
    assert not re.search(r"\d\s*(ml|kg|mm|g)\b|\((g|ml|kg)\b", text), slug


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_record_downloads_as_a_spreadsheet_with_its_translated_columns(shipped, lang):
    meta = aid_meta("fluid-and-weight-record", lang)
    source = aid_meta("fluid-and-weight-record", "en")["xlsx"]
    assert len(meta["xlsx"]["columns"]) == len(source["columns"]) and meta["xlsx"]["rows"] == source["rows"]
    response = shipped.get(f"/{lang}/courses/{SLUG}/aids/fluid-and-weight-record.xlsx?content={lang}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet.title == meta["xlsx"]["sheet"]
    assert sheet["A1"].value == meta["title"]
    assert [c.value for c in sheet[3]] == meta["xlsx"]["columns"]
    # the printed form has the same columns as the spreadsheet
    header = next(line for line in aid_body("fluid-and-weight-record", lang).split("\n") if line.startswith("| "))
    assert [c.strip() for c in header.strip().strip("|").split("|")] == meta["xlsx"]["columns"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_teaching_lesson_links_to_its_aids_in_the_reading_language(shipped, lang):
    for module in COURSE.modules:
        if module.graded or module.assignment is not None:
            continue
        aids = aids_of_module(COURSE, module.slug)
        page = shipped.get(f"/{lang}/courses/{SLUG}/{module.slug}/").get_data(as_text=True)
        assert aids and all(f"/{lang}/courses/{SLUG}/aids/{aid.slug}/" in page for aid in aids), module.slug
