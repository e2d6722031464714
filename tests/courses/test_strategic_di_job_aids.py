"""Strategic DI planning: the job aids of issue 25, in every language, as a planner gets them.

Every teaching module has an aid of its own in en, cs and uk; each aid prints within its page budget (a card or
checklist on one A4 sheet, a template or worksheet on two at most) and its lesson links to it; the double-running
worksheet downloads as a spreadsheet that computes the transition's extra cost, and its worked example repeats
module 5's Bright Meadow budget without an arithmetic slip in any language.
"""

from __future__ import annotations

import ast
import operator
import re
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from lumos_learn import create_app
from lumos_learn.content import load_library

ROOT = Path(__file__).resolve().parents[2]
SLUG = "strategic-di-planning"
COURSE = load_library(ROOT / "courses").get(SLUG)
LANGS = ("en", "cs", "uk")
AIDS = ROOT / "courses" / SLUG / "aids"
ONE_SHEET = ("card", "checklist")  # laid out for the wall: one A4 page; templates and worksheets may take two
TEACHING = [m for m in COURSE.modules if not m.graded and m.assignment is None]
# The tools issue 25 names, each with the module whose lesson hands it out.
EXPECTED = {
    "institution-culture-checklist": ("checklist", "why-institutions-harm"),
    "strategy-outline-template": ("template", "principles-and-strategy"),
    "stakeholder-map": ("worksheet", "communicating-the-reform"),
    "objection-evidence-table": ("card", "communicating-the-reform"),
    "needs-first-service-design": ("worksheet", "designing-services"),
    "double-running-costing": ("worksheet", "money-and-people"),
    "workforce-staff-map": ("worksheet", "money-and-people"),
    "child-transition-plan": ("template", "preparing-each-child"),
}


@pytest.fixture
def shipped(app):
    return create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_every_teaching_module_has_its_own_aid_in_every_language():
    assert [m.slug for m in TEACHING] == [
        "why-institutions-harm",
        "principles-and-strategy",
        "communicating-the-reform",
        "designing-services",
        "money-and-people",
        "preparing-each-child",
    ]
    assert {aid.slug: (aid.kind, aid.module_slug) for aid in COURSE.job_aids} == EXPECTED
    for module in TEACHING:
        aids = [aid for aid in COURSE.job_aids if aid.module_slug == module.slug]
        assert aids, f"{module.slug} has no job aid"
        for aid in aids:
            # a file of its own in each language, not the English one shown with a notice
            assert set(aid.versions) == set(LANGS), f"{aid.slug}: {sorted(aid.versions)}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_aid_prints_within_its_page_budget(shipped, lang):
    assert len(COURSE.job_aids) == len(EXPECTED)
    for aid in COURSE.job_aids:
        response = shipped.get(f"/en/courses/{SLUG}/aids/{aid.slug}.pdf?content={lang}")
        assert response.status_code == 200, f"{aid.slug}.{lang}: {response.status_code}"
        reader = PdfReader(BytesIO(response.data))
        budget = 1 if aid.kind in ONE_SHEET else 2
        assert len(reader.pages) <= budget, f"{aid.slug}.{lang} ({aid.kind}): {len(reader.pages)} pages"
        # the page is in the language asked for: its own title is printed on it
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert " ".join(aid.text(lang).title.split()[:3]) in text, f"{aid.slug}.{lang}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_lesson_links_to_its_aids(shipped, lang):
    assert len(COURSE.job_aids) == len(EXPECTED)
    for module in TEACHING:
        lesson = shipped.get(f"/{lang}/courses/{SLUG}/{module.slug}/?content={lang}").get_data(as_text=True)
        for aid in COURSE.job_aids:
            link = f"/courses/{SLUG}/aids/{aid.slug}/"
            assert (link in lesson) == (aid.module_slug == module.slug), f"{module.slug} / {aid.slug}"


def evaluate(sheet, cell: str, typed: dict[str, float]) -> float:
    """The value a spreadsheet program shows in `cell` once `typed` is entered (formulas of the aid contract:
    + - * /, parentheses, numbers, same-sheet references and SUM over a column range)."""
    if cell in typed:
        return typed[cell]
    value = sheet[cell].value
    if not (isinstance(value, str) and value.startswith("=")):
        return float(value or 0)

    def column_sum(match: re.Match) -> str:
        column, first, last = match.group(1), int(match.group(2)), int(match.group(4))
        assert match.group(3) == column, value
        return repr(sum(evaluate(sheet, f"{column}{row}", typed) for row in range(first, last + 1)))

    expression = re.sub(r"SUM\(([A-Z])(\d+):([A-Z])(\d+)\)", column_sum, value[1:])
    expression = re.sub(r"\b([A-Z])(\d+)\b", lambda m: repr(evaluate(sheet, m.group(0), typed)), expression)
    return arithmetic(ast.parse(expression, mode="eval").body, f"{cell}: {value}")


OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def arithmetic(node: ast.AST, where: str) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -arithmetic(node.operand, where)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](arithmetic(node.left, where), arithmetic(node.right, where))
    raise AssertionError(f"not the contract's arithmetic: {where}")


@pytest.mark.parametrize("lang", LANGS)
def test_double_running_spreadsheet_computes_the_extra_funding(shipped, lang):
    front = front_matter(AIDS / f"double-running-costing.{lang}.md")["xlsx"]
    response = shipped.get(f"/en/courses/{SLUG}/aids/double-running-costing.xlsx?content={lang}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows, start=1) if list(row[: len(front["columns"])]) == front["columns"])
    first = header + 1
    # the periods are written in, in the reader's language
    assert [sheet[f"A{first + i}"].value for i in range(len(front["labels"]))] == front["labels"]
    total = next(i for i, row in enumerate(rows, start=1) if row[0] == front["total_label"])
    assert total > header + 8, "the total row comes after the 8 rows to fill in"
    # Bright Meadow (module 5): year 1, year 2, the last six months; ring-fenced 1.92 m a year = 160,000 a month
    typed = {}
    for row, (months, institution, new) in enumerate(
        ((12, 1_900_000, 600_000), (12, 1_400_000, 1_450_000), (6, 400_000, 875_000)), start=first
    ):
        typed |= {f"B{row}": months, f"C{row}": institution, f"D{row}": new, f"F{row}": 160_000}
    assert evaluate(sheet, f"E{first}", typed) == 2_500_000  # both systems in year 1
    assert evaluate(sheet, f"H{first + 1}", typed) == 930_000  # extra in year 2
    assert evaluate(sheet, f"G{total}", typed) == 4_800_000  # ring-fenced over 30 months
    assert evaluate(sheet, f"H{total}", typed) == 1_825_000  # "about EUR 1.8 million" in module 5
    assert evaluate(sheet, f"B{total}", typed) == 30


def figures(cell: str) -> int:
    return int(re.sub(r"[^\d]", "", cell))


@pytest.mark.parametrize("lang", LANGS)
def test_double_running_worked_example_adds_up_to_module_5(lang):
    text = (AIDS / f"double-running-costing.{lang}.md").read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if re.match(r"^\| [^|]+ \| (12|6|30) \|", line)]
    rows = [[figures(cell) for cell in line.strip("|").split("|")[1:]] for line in table]
    assert len(rows) == 4, table
    for months, institution, new, both, ring_fenced, extra in rows:
        assert both == institution + new and extra == both - ring_fenced
        assert ring_fenced == 160_000 * months
    *periods, whole = rows
    assert whole == [sum(column) for column in zip(*periods, strict=True)]
    # module 5's Bright Meadow budget, period by period
    assert [(m, i, n) for m, i, n, *_ in periods] == [
        (12, 1_900_000, 600_000),
        (12, 1_400_000, 1_450_000),
        (6, 400_000, 875_000),
    ]


def test_worksheet_translations_keep_the_sources_shape():
    worksheets = [slug for slug, (kind, _module) in EXPECTED.items() if kind == "worksheet"]
    assert all(front_matter(AIDS / f"{slug}.en.md").get("xlsx") for slug in worksheets)
    for source in sorted(AIDS.glob("*.en.md")):
        sheet = front_matter(source).get("xlsx")
        if sheet is None:
            continue
        for lang in LANGS[1:]:
            translated = front_matter(source.with_name(source.name.replace(".en.", f".{lang}.")))["xlsx"]
            assert len(translated["columns"]) == len(sheet["columns"]) and translated["rows"] == sheet["rows"]
            assert len(translated.get("labels", [])) == len(sheet.get("labels", [])), source.name
            assert ("total_label" in translated) == ("totals" in sheet), source.name
            for key in ("formulas", "totals"):  # inherited; if written, the source's own
                assert translated.get(key, sheet.get(key)) == sheet.get(key), (source.name, lang, key)
