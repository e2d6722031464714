"""Worksheet spreadsheets with labels, formulas and a total row: what the loader accepts, every mistake at its file
and line, and the XLSX cells they become (opened with openpyxl)."""

from __future__ import annotations

from io import BytesIO

import pytest
from course_files import write_course
from openpyxl import load_workbook

from lumos_learn.content import check_courses, load_library
from lumos_learn.printing.worksheet import worksheet_xlsx

SOURCE = """\
---
title: Double running costs
kind: worksheet
module: final-check
xlsx:
  sheet: Double running
  columns: [Cost line, Institution per month (EUR), New services per month (EUR), Months of overlap, Cost (EUR)]
  rows: 12
  labels: [Staff, Food and utilities, Buildings, "=Transport"]
  formulas:
    E: "=(B{row}+C{row})*D{row}"
  totals: [B, C, E]
  total_label: Total
---

One line per cost; the spreadsheet works out the cost of the overlap.
"""

TRANSLATION = """\
---
title: Costurile funcționării în paralel
xlsx:
  sheet: Funcționare în paralel
  columns: [Linie de cost, Instituția pe lună (EUR), Servicii noi pe lună (EUR), Luni de suprapunere, Cost (EUR)]
  rows: 12
  labels: [Personal, Hrană și utilități, Clădiri, Transport]
  total_label: Total general
---

Câte un rând pentru fiecare cost.
"""


def problems_of(root):
    return [(p.path.rsplit("/", 1)[-1], p.line, p.message) for p in check_courses(root)]


def workbook(demo, lang: str):
    aid = load_library(demo).get("demo").job_aids[0]
    text = aid.text(lang)
    return load_workbook(BytesIO(worksheet_xlsx(text.worksheet, text.title))).active


def test_labels_formulas_and_totals_become_real_cells(demo):
    write_course(demo, {"aids/double-running.en.md": SOURCE, "aids/double-running.ro.md": TRANSLATION})
    assert problems_of(demo) == []
    sheet = workbook(demo, "en")
    assert [sheet[f"A{row}"].value for row in range(4, 8)] == ["Staff", "Food and utilities", "Buildings", "=Transport"]
    assert sheet["A7"].data_type == "s"  # a label is text even when it starts with "="
    assert sheet["A8"].value is None
    for row in (4, 15):
        cell = sheet[f"E{row}"]
        assert (cell.value, cell.data_type, cell.number_format) == (f"=(B{row}+C{row})*D{row}", "f", "#,##0")
    assert sheet.max_row == 16  # twelve rows to fill in (4 to 15), then the total row
    assert [sheet[f"{c}16"].value for c in "ABCDE"] == ["Total", "=SUM(B4:B15)", "=SUM(C4:C15)", None, "=SUM(E4:E15)"]
    assert all(sheet[f"{c}16"].font.b for c in "ABCE")
    assert sheet["B16"].number_format == "#,##0" and sheet["B4"].number_format == "#,##0"

    # The translation translates labels and the total's label, and inherits the formulas and totals.
    translated = workbook(demo, "ro")
    assert translated.title == "Funcționare în paralel"
    assert [translated[f"A{row}"].value for row in (4, 7, 16)] == ["Personal", "Transport", "Total general"]
    assert translated["E9"].value == "=(B9+C9)*D9" and translated["C16"].value == "=SUM(C4:C15)"


def test_a_worksheet_without_the_new_keys_is_as_before(demo):
    plain = SOURCE.replace('  labels: [Staff, Food and utilities, Buildings, "=Transport"]\n', "")
    plain = plain.replace(
        '  formulas:\n    E: "=(B{row}+C{row})*D{row}"\n  totals: [B, C, E]\n  total_label: Total\n', ""
    )
    write_course(demo, {"aids/double-running.en.md": plain})
    assert problems_of(demo) == []
    sheet = workbook(demo, "en")
    assert sheet.max_row == 15 and all(sheet[f"{c}{r}"].value is None for c in "ABCDE" for r in range(4, 16))


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            '    F: "=B{row}*2"',
            11,
            "xlsx formulas: no column F: the columns are A to E",
        ),
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            '    E: "=Sheet2!B{row}*D{row}"',
            11,
            "xlsx formulas: column E: 'Sheet2!B{row}*D{row}' is not allowed here: only same-row cells such as "
            "B{row}, numbers, + - * /, parentheses, commas and SUM, ROUND, MIN, MAX",
        ),
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            "    E: '=B{row}&\"EUR\"'",
            11,
            "xlsx formulas: column E: '&\"EUR\"' is not allowed here: only same-row cells such as "
            "B{row}, numbers, + - * /, parentheses, commas and SUM, ROUND, MIN, MAX",
        ),
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            '    E: "=HYPERLINK(B{row})"',
            11,
            "xlsx formulas: column E: the function HYPERLINK is not allowed: only same-row cells such as "
            "B{row}, numbers, + - * /, parentheses, commas and SUM, ROUND, MIN, MAX",
        ),
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            '    E: "=B4*D{row}"',
            11,
            "xlsx formulas: column E: 'B4*D{row}' is not allowed here: only same-row cells such as "
            "B{row}, numbers, + - * /, parentheses, commas and SUM, ROUND, MIN, MAX",
        ),
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            '    E: "=(B{row}+Z{row})"',
            11,
            "xlsx formulas: column E refers to column Z, which does not exist",
        ),
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            '    E: "=ROUND(B{row}*D{row}, 0"',
            11,
            "xlsx formulas: column E: a '(' is not closed",
        ),
        (
            '    E: "=(B{row}+C{row})*D{row}"',
            '    E: "B{row}*D{row}"',
            11,
            'xlsx formulas: the formula for column E must be text starting with =, e.g. "=B{row}*2"',
        ),
        ('    E: "=(B{row}+C{row})*D{row}"', '    E: "=E{row}+1"', 11, "xlsx formulas: column E refers to itself"),
        ("  rows: 12", "  rows: 3", 9, "xlsx labels: 4 labels but only 3 rows"),
        ("  total_label: Total\n", "", 12, "xlsx totals: needs total_label: the text of the total row's column A"),
        ("  totals: [B, C, E]", "  totals: [B, X]", 12, "xlsx totals: no column X: the columns are A to E"),
        ("  totals: [B, C, E]\n", "", 12, "xlsx total_label: without totals: there is no total row to label"),
    ],
)
def test_source_mistakes_are_reported_at_their_lines(demo, old, new, line, message):
    assert old in SOURCE
    write_course(demo, {"aids/double-running.en.md": SOURCE.replace(old, new)})
    assert problems_of(demo) == [("double-running.en.md", line, message)]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "  labels: [Personal, Hrană și utilități, Clădiri, Transport]",
            "  labels: [Personal, Hrană și utilități, Clădiri]",
            7,
            "xlsx labels: 3 here, 4 in the source: translate each label once",
        ),
        (
            "  total_label: Total general",
            '  total_label: Total general\n  formulas:\n    E: "=B{row}*D{row}"',
            9,
            "xlsx formulas: must be the same as in the source (or leave them out here)",
        ),
        (
            "  total_label: Total general",
            "  total_label: Total general\n  totals: [B, C]",
            9,
            "xlsx totals: must be the same as in the source (or leave them out here)",
        ),
        ("  total_label: Total general\n", "", 3, "xlsx total_label: the source has one: translate it here"),
    ],
)
def test_translation_mistakes_are_reported_at_their_lines(demo, old, new, line, message):
    assert old in TRANSLATION
    write_course(
        demo, {"aids/double-running.en.md": SOURCE, "aids/double-running.ro.md": TRANSLATION.replace(old, new)}
    )
    assert problems_of(demo) == [("double-running.ro.md", line, message)]


def test_translation_may_repeat_the_source_formulas_and_totals(demo):
    repeated = TRANSLATION.replace(
        "  total_label: Total general",
        '  total_label: Total general\n  formulas:\n    E: "=(B{row}+C{row})*D{row}"\n  totals: [B, C, E]',
    )
    write_course(demo, {"aids/double-running.en.md": SOURCE, "aids/double-running.ro.md": repeated})
    assert problems_of(demo) == []
