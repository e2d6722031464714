"""Job aids in a course's aids/ folder: the model they load into, and every mistake reported at its file and line."""

from __future__ import annotations

import pytest
from course_files import write_course

from lumos_learn.content import check_courses, load_library
from lumos_learn.content.job_aids import aids_of_module, find_aid

CARD_EN = """\
---
title: Warning signs
kind: card
module: first-steps
summary: For the wall.
---

## Act now
Back blows first. See [the first module](01-first-steps.md).
"""

SHEET_EN = """\
---
title: Fluid record
kind: worksheet
module: final-check
xlsx:
  sheet: Fluids
  columns: [Time, Drunk (ml)]
  rows: 12
---

| Time | Drunk (ml) |
| ---- | ---------- |
| | |
"""

SHEET_RO = """\
---
title: Fișa lichidelor
xlsx:
  sheet: Lichide
  columns: [Ora, A băut (ml)]
  rows: 12
---

Un rând pe oră.
"""


def problems_of(root):
    return [(p.path.rsplit("/", 1)[-1], p.line, p.message) for p in check_courses(root)]


def test_aids_load_with_translation_fallback_and_worksheet(demo):
    write_course(
        demo,
        {"aids/warning-signs.en.md": CARD_EN, "aids/fluids.en.md": SHEET_EN, "aids/fluids.ro.md": SHEET_RO},
    )
    course = load_library(demo).get("demo")
    assert [a.slug for a in course.job_aids] == ["fluids", "warning-signs"]
    card = find_aid(course, "warning-signs")
    assert (card.kind, card.module_slug) == ("card", "first-steps")
    assert card.text("ro").lang == "en"  # not translated: the source, which the page then says
    assert card.text("en").summary == "For the wall."
    assert '<h2 id="act-now">Act now</h2>' in card.text("en").html
    # the aid's page sits one folder below the lessons, so module links climb two levels
    assert '<a href="../../first-steps/">' in card.text("en").html
    assert card.text("en").worksheet is None
    sheet = find_aid(course, "fluids").text("ro")
    assert sheet.lang == "ro" and sheet.title == "Fișa lichidelor"
    assert sheet.worksheet.sheet == "Lichide"
    assert sheet.worksheet.columns == ("Ora", "A băut (ml)") and sheet.worksheet.rows == 12
    assert aids_of_module(course, "final-check") == (find_aid(course, "fluids"),)
    assert aids_of_module(course, "first-steps") == (card,)


def test_course_without_aids_folder_has_none(demo):
    assert load_library(demo).get("demo").job_aids == ()


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("kind: poster", 3, "kind must be one of checklist, template, card, worksheet"),
        ("module: no-such-module", 4, "module 'no-such-module' is not listed under modules: in course.yml"),
        (
            "colour: red",
            5,
            "unknown front matter key 'colour' (allowed: title, kind, module, summary, xlsx, source_hash)",
        ),
        ("xlsx: {sheet: S, columns: [A], rows: 3}", 5, "xlsx: is only for kind: worksheet"),
        (
            "source_hash: 0123456789abcdef",
            5,
            "source_hash belongs in a translation, written by `flask courses record-translation`",
        ),
    ],
)
def test_front_matter_problems_point_at_their_lines(demo, front, line, message):
    key = front.split(":")[0]
    lines = [x for x in CARD_EN.split("\n") if not x.startswith(f"{key}:")]
    lines.insert(line - 1, front)
    write_course(demo, {"aids/warning-signs.en.md": "\n".join(lines)})
    assert problems_of(demo) == [("warning-signs.en.md", line, message)]


def test_a_translation_with_a_typed_source_hash_is_refused_at_its_line(demo):
    """The same rule and words as a module's (translation_sources.read_source_hash)."""
    write_course(
        demo,
        {
            "aids/warning-signs.en.md": CARD_EN,
            "aids/warning-signs.ro.md": "---\ntitle: Semne\nsource_hash: see English\n---\nText.\n",
        },
    )
    assert problems_of(demo) == [
        (
            "warning-signs.ro.md",
            3,
            "source_hash must be 12 or more lower-case hex digits, written by `flask courses record-translation`: "
            "do not type it",
        )
    ]


def test_missing_keys_and_bad_worksheet(demo):
    write_course(
        demo,
        {
            "aids/a.en.md": "---\ntitle: A\n---\nText.\n",
            "aids/b.en.md": "---\ntitle: B\nkind: worksheet\nmodule: final-check\n"
            "xlsx:\n  sheet: 'a/b'\n  columns: []\n  rows: 0\n---\nText.\n",
        },
    )
    assert problems_of(demo) == [
        ("a.en.md", 1, "front matter is missing 'kind:'"),
        ("a.en.md", 1, "front matter is missing 'module:'"),
        ("b.en.md", 6, "xlsx sheet: must be a name of 1 to 31 characters without [ ] : * ? / \\"),
        ("b.en.md", 7, "xlsx columns: must be a list of column headings, e.g. [Time, Drunk (ml)]"),
        ("b.en.md", 8, "xlsx rows: must be a whole number from 1 to 500"),
    ]


def test_translation_must_keep_the_structure(demo):
    ro = SHEET_RO.replace("columns: [Ora, A băut (ml)]", "columns: [Ora]").replace(
        "title: Fișa lichidelor", "title: Fișa lichidelor\nmodule: first-steps"
    )
    write_course(demo, {"aids/fluids.en.md": SHEET_EN, "aids/fluids.ro.md": ro})
    assert problems_of(demo) == [
        ("fluids.ro.md", 3, "module: must be the same as in the source (final-check)"),
        ("fluids.ro.md", 4, "xlsx columns: 1 here, 2 in the source: translate each column once"),
    ]


def test_translation_that_drops_the_worksheet(demo):
    write_course(demo, {"aids/fluids.en.md": SHEET_EN, "aids/fluids.ro.md": "---\ntitle: Fișa\n---\nText.\n"})
    assert problems_of(demo) == [
        ("fluids.ro.md", 1, "the source has an xlsx: worksheet; translate it here (same number of columns)")
    ]


def test_file_names_languages_and_source(demo):
    write_course(
        demo,
        {
            "aids/Card.en.md": CARD_EN,
            "aids/card.de.md": CARD_EN,
            "aids/only-ro.ro.md": "---\ntitle: Doar\n---\nText.\n",
            "aids/notes.txt": "x",
        },
    )
    assert problems_of(demo) == [
        ("Card.en.md", 0, "not a job aid file name: <aid-slug>.<lang>.md"),
        ("card.de.md", 0, "language 'de' is not in the course languages"),
        ("notes.txt", 0, "not a job aid file name: <aid-slug>.<lang>.md"),
        ("only-ro.ro.md", 0, "job aid 'only-ro' has no source file only-ro.en.md"),
    ]


def test_body_problems_at_file_lines(demo):
    card = CARD_EN + "\n```quiz\n::q::Really? {T}\n```\n\n![](media/none.svg)\n\n# Big title\n"
    write_course(demo, {"aids/warning-signs.en.md": card})
    assert problems_of(demo) == [
        ("warning-signs.en.md", 11, "a job aid has no quiz: quizzes belong in modules"),
        ("warning-signs.en.md", 15, "image file not found: media/none.svg"),
        ("warning-signs.en.md", 15, "image needs a text description (alt text)"),
        (
            "warning-signs.en.md",
            17,
            "level-1 heading: the page prints the module title; start headings at ## (level 2)",
        ),
    ]


def test_link_to_unknown_module_and_empty_body(demo):
    write_course(
        demo,
        {
            "aids/a.en.md": CARD_EN.replace("01-first-steps.md", "05-nothing.md"),
            "aids/b.en.md": "---\ntitle: B\nkind: card\nmodule: first-steps\n---\n",
        },
    )
    assert problems_of(demo) == [
        ("a.en.md", 9, "link to unknown module 'nothing'"),
        ("b.en.md", 5, "a job aid needs some text after the front matter"),
    ]


def test_shipped_feeding_card_in_every_course_language():
    from pathlib import Path

    course = load_library(Path(__file__).resolve().parents[2] / "courses").get("feeding-support")
    card = find_aid(course, "warning-signs-card")
    assert card.kind == "card" and card.module_slug == "swallowing-and-aspiration"
    assert set(card.versions) == {"en", "bg", "uk"}
    assert "back blows" in card.text("en").html and "удари по гърба" in card.text("bg").html
    assert "удари по спині" in card.text("uk").html
