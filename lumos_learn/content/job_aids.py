"""Job aids: checklists, templates, cards and worksheets that a course hands out for the workplace.

A job aid is a Markdown file in the course's `aids/` folder, one per language, named `<aid-slug>.<lang>.md`:

    ---
    title: Warning signs at meals
    kind: card                 # checklist | template | card | worksheet
    module: swallowing-and-aspiration   # the module it belongs to (linked from that lesson)
    summary: One line shown in lists.   # optional
    xlsx:                      # worksheets only, optional: also offered as a spreadsheet
      sheet: Fluid record
      columns: [Time, Offered (ml), Drunk (ml)]
      rows: 24
      labels: [Breakfast, Lunch]   # optional: column A's first rows
      formulas: {C: "=B{row}*2"}   # optional: column letter -> formula on every row ({row}: that row)
      totals: [B, C]               # optional: a last row summing these columns...
      total_label: Total           # ...with this text in column A (required with totals)
    ---
    Markdown body, rendered and sanitised like module text.

Translations follow their source like modules: a language without a file falls back to the source language.
A translation may leave out `kind` and `module`; if it writes them they must be the source's, and its worksheet
must have as many columns and labels as the source's. It may leave out `formulas` and `totals` (they are the
source's); if it writes them they must equal the source's. Every problem is reported as `path:line: message`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import yaml_nodes
from .markdown import LinkContext, render_body
from .model import Course, frozen_mapping
from .module_file import ModuleSource, _extract_quiz_blocks
from .problems import Problem, ProblemLog
from .translation_sources import read_source_hash

AIDS_FOLDER = "aids"
KINDS = ("checklist", "template", "card", "worksheet")
FRONT_MATTER_KEYS = ("title", "kind", "module", "summary", "xlsx", "source_hash")
XLSX_KEYS = ("sheet", "columns", "rows", "labels", "formulas", "totals", "total_label")
# What a worksheet formula may hold: same-row cells (B{row}), numbers, + - * /, parentheses, commas, four functions.
# Nothing else: no other rows or sheets, no strings, no other functions (a course file must not make a spreadsheet
# that fetches, links or computes anything a reader cannot see on the row).
FORMULA_FUNCTIONS = ("SUM", "ROUND", "MIN", "MAX")
_FORMULA_TOKEN = re.compile(
    r"\s+|(?P<cell>[A-Z]{1,3})\{row\}|(?P<function>[A-Z]+)\(|(?P<number>\d+(?:\.\d+)?)|(?P<op>[-+*/(),])"
)
_COLUMN_LETTER = re.compile(r"^[A-Z]{1,3}$")
MAX_WORKSHEET_ROWS = 500
_AID_FILE = re.compile(r"^([a-z0-9][a-z0-9-]*)\.([a-z]{2,3})\.md$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


@dataclass(frozen=True)
class Worksheet:
    """The spreadsheet of a worksheet: a header row of `columns`, then `rows` rows to fill in; column A's first rows
    may carry `labels`, columns may carry a formula on every row (`formulas`: letter -> "=B{row}*2"), and a last row
    labelled `total_label` may sum the `totals` columns."""

    sheet: str
    columns: tuple[str, ...]
    rows: int
    labels: tuple[str, ...] = ()
    formulas: tuple[tuple[str, str], ...] = ()  # (column letter, formula with {row}), in the file's order
    totals: tuple[str, ...] = ()
    total_label: str = ""
    # keys written in the file (a translation that leaves out formulas/totals inherits the source's)
    written: frozenset[str] = field(default=frozenset(), compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class JobAidText:
    lang: str
    title: str
    summary: str
    html: str
    path: str
    content_hash: str
    worksheet: Worksheet | None


@dataclass(frozen=True)
class JobAid:
    slug: str
    kind: str
    module_slug: str
    source_language: str
    versions: Mapping[str, JobAidText]

    def text(self, lang: str) -> JobAidText:
        """The aid in `lang`, or in the source language when not translated (check `.lang`)."""
        return self.versions.get(lang) or self.versions[self.source_language]


def aids_of_module(course: Course, module_slug: str) -> tuple[JobAid, ...]:
    return tuple(aid for aid in course.job_aids if aid.module_slug == module_slug)


def find_aid(course: Course, slug: str) -> JobAid | None:
    return next((aid for aid in course.job_aids if aid.slug == slug), None)


@dataclass
class _Front:
    title: str = ""
    kind: str | None = None
    kind_line: int = 1
    module: str | None = None
    module_line: int = 1
    summary: str = ""
    worksheet: Worksheet | None = None
    xlsx_line: int = 0


def load_job_aids(
    folder: Path,
    context: LinkContext,
    module_slugs: list[str],
    source: str,
    languages: list[str],
    problems: list[Problem],
) -> tuple[JobAid, ...]:
    """Every job aid of the course in `folder`; problems go to `problems`. No aids/ folder: no aids."""
    aids_dir = folder / AIDS_FOLDER
    if not aids_dir.is_dir():
        return ()
    # Pages of aids live one folder below the lessons (/courses/<slug>/aids/<aid>/).
    aid_context = LinkContext(context.course_slug, context.module_numbers, context.media_dir, [], "../../")
    files: dict[str, dict[str, Path]] = {}
    for path in sorted(aids_dir.iterdir()):
        if path.name.startswith("."):
            continue
        match = _AID_FILE.match(path.name)
        if not path.is_file() or not match:
            problems.append(Problem(str(path), 0, "not a job aid file name: <aid-slug>.<lang>.md"))
            continue
        slug, lang = match.groups()
        if lang not in languages:
            problems.append(Problem(str(path), 0, f"language '{lang}' is not in the course languages"))
            continue
        files.setdefault(slug, {})[lang] = path
    aids = []
    for slug, by_lang in files.items():
        if source not in by_lang:
            for path in by_lang.values():
                problems.append(Problem(str(path), 0, f"job aid '{slug}' has no source file {slug}.{source}.md"))
            continue
        source_front, source_text = _load_text(by_lang[source], source, aid_context, module_slugs, None, problems)
        if source_text is None:
            continue
        versions = {source: source_text}
        for lang in languages:
            if lang != source and lang in by_lang:
                _front, text = _load_text(by_lang[lang], lang, aid_context, module_slugs, source_front, problems)
                if text is not None:
                    versions[lang] = text
        aids.append(JobAid(slug, source_front.kind, source_front.module, source, frozen_mapping(versions)))
    return tuple(aids)


def _load_text(path: Path, lang: str, context, module_slugs, source: _Front | None, problems):
    log = ProblemLog(str(path), problems)
    before = len(problems)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        log.add(data[: err.start].count(b"\n") + 1, "not UTF-8 text: save the file as UTF-8")
        return None, None
    if not text.startswith("---"):
        log.add(1, "a job aid starts with front matter: a line '---', title:, kind: and module:, then '---'")
        return None, None
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        log.add(1, "front matter is not closed with a '---' line")
        return None, None
    front = _read_front_matter("\n".join(lines[1:end]), log, module_slugs, source)
    body = ModuleSource(body_first_line=end + 2)
    body_lines = lines[end + 1 :]
    _extract_quiz_blocks(body_lines, body, log)  # other fenced blocks are reported there, at their lines
    for first_line, _block in body.quiz_blocks:
        log.add(first_line - 1, "a job aid has no quiz: quizzes belong in modules")
    body.body = "\n".join(body_lines)
    html, _toc = render_body(body.body, context, log, body.body_first_line)
    if not html.strip():
        log.add(end + 1, "a job aid needs some text after the front matter")
    if len(problems) > before or (source is None and (front.kind is None or front.module is None)):
        return front, None
    kind = front.kind or (source.kind if source else None)
    if source is not None and source.worksheet is not None and front.worksheet is None:
        log.add(1, "the source has an xlsx: worksheet; translate it here (same number of columns)")
        return front, None
    worksheet = front.worksheet
    if worksheet is not None and source is not None and source.worksheet is not None:
        worksheet = replace(worksheet, formulas=source.worksheet.formulas, totals=source.worksheet.totals)
    return front, JobAidText(
        lang=lang,
        title=front.title,
        summary=front.summary,
        html=html,
        path=str(path),
        content_hash=hashlib.sha256(data).hexdigest(),
        worksheet=worksheet if kind == "worksheet" else None,
    )


def _read_front_matter(text: str, log: ProblemLog, module_slugs, source: _Front | None) -> _Front:
    front = _Front()
    root = yaml_nodes.compose(text, log, first_line=2)
    if root is None:
        if text.strip() == "":
            log.add(1, "front matter needs title:, kind: and module:")
        return front
    found = set()
    for key, line, node in yaml_nodes.mapping_items(root, log, 2, "front matter"):
        value = yaml_nodes.value(node)
        found.add(key)
        if key == "title":
            if isinstance(value, str) and value.strip():
                front.title = value.strip()
            else:
                log.add(line, "title must be text")
        elif key == "summary":
            if isinstance(value, str):
                front.summary = value.strip()
            else:
                log.add(line, "summary must be text")
        elif key == "kind":
            front.kind_line = line
            if value in KINDS:
                front.kind = value
            else:
                log.add(line, f"kind must be one of {', '.join(KINDS)}")
        elif key == "module":
            front.module_line = line
            if isinstance(value, str) and value in module_slugs:
                front.module = value
            else:
                log.add(line, f"module '{value}' is not listed under modules: in course.yml")
        elif key == "xlsx":
            front.xlsx_line = line
            front.worksheet = _read_worksheet(node, value, line, log, translation=source is not None)
        elif key == "source_hash":
            # read by translation_sources.py, which tells a stale translation; here only its form is checked
            if source is None:
                log.add(line, "source_hash belongs in a translation, written by `flask courses record-translation`")
            else:
                read_source_hash(value, line, log)
        else:
            log.add(line, f"unknown front matter key '{key}' (allowed: {', '.join(FRONT_MATTER_KEYS)})")
    required = ("title",) if source is not None else ("title", "kind", "module")
    for key in required:
        if key not in found:
            log.add(1, f"front matter is missing '{key}:'")
    if source is not None:
        _compare_with_source(front, source, log)
    kind = front.kind or (source.kind if source else None)
    if front.worksheet is not None and kind != "worksheet":
        log.add(front.xlsx_line, "xlsx: is only for kind: worksheet")
    return front


def _read_worksheet(node, value, line: int, log: ProblemLog, translation: bool = False) -> Worksheet | None:
    if not isinstance(value, dict):
        log.add(line, "xlsx: must be a mapping with sheet:, columns: and rows:")
        return None
    ok = True
    lines = dict.fromkeys(XLSX_KEYS, line)  # a missing key is reported at the xlsx: line
    for key, key_line, _node in yaml_nodes.mapping_items(node, log, 2, "xlsx"):
        if key not in XLSX_KEYS:
            log.add(key_line, f"unknown xlsx key '{key}' (allowed: {', '.join(XLSX_KEYS)})")
            ok = False
        lines[key] = key_line
    sheet, columns, rows = value.get("sheet"), value.get("columns"), value.get("rows")
    if not isinstance(sheet, str) or not sheet.strip() or len(sheet) > 31 or _SHEET_FORBIDDEN.search(sheet):
        log.add(lines["sheet"], "xlsx sheet: must be a name of 1 to 31 characters without [ ] : * ? / \\")
        ok = False
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) and c.strip() for c in columns):
        log.add(lines["columns"], "xlsx columns: must be a list of column headings, e.g. [Time, Drunk (ml)]")
        ok = False
    if not isinstance(rows, int) or isinstance(rows, bool) or not 1 <= rows <= MAX_WORKSHEET_ROWS:
        log.add(lines["rows"], f"xlsx rows: must be a whole number from 1 to {MAX_WORKSHEET_ROWS}")
        ok = False
    if not ok:
        return None
    columns = tuple(c.strip() for c in columns)
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    labels, labels_ok = _read_labels(value, lines, rows, log)
    formulas, formulas_ok = _read_formulas(node, value, lines, letters, bool(labels), log)
    totals, total_label, totals_ok = _read_totals(value, lines, letters, translation, log)
    if translation and "totals" not in value and isinstance(value.get("total_label"), str):
        total_label = value["total_label"].strip()
    if not (labels_ok and formulas_ok and totals_ok):
        return None
    return Worksheet(
        sheet.strip(),
        columns,
        rows,
        labels,
        formulas,
        totals,
        total_label,
        written=frozenset(k for k in XLSX_KEYS if k in value),
        lines=lines,
    )


def get_column_letter(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: the spreadsheet's name of a column (plain Python: the engine imports no openpyxl)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _read_labels(value: dict, lines: dict, rows: int, log: ProblemLog) -> tuple[tuple[str, ...], bool]:
    if "labels" not in value:
        return (), True
    labels = value["labels"]
    if not isinstance(labels, list) or not all(isinstance(x, str) and x.strip() for x in labels):
        log.add(lines["labels"], "xlsx labels: must be a list of texts for column A, e.g. [Staff, Food]")
        return (), False
    if len(labels) > rows:
        log.add(lines["labels"], f"xlsx labels: {len(labels)} labels but only {rows} rows")
        return (), False
    return tuple(x.strip() for x in labels), True


def _read_formulas(node, value: dict, lines: dict, letters: list[str], has_labels: bool, log: ProblemLog):
    if "formulas" not in value:
        return (), True
    formulas_node = next(n for k, n in node.value if k.value == "formulas")
    if not isinstance(value["formulas"], dict) or not value["formulas"]:
        log.add(lines["formulas"], 'xlsx formulas: must map column letters to formulas, e.g. E: "=B{row}*D{row}"')
        return (), False
    ok, found = True, []
    for letter, line, formula_node in yaml_nodes.mapping_items(formulas_node, log, 2, "xlsx formulas"):
        formula = yaml_nodes.value(formula_node)
        problem = _formula_problem(letter, formula, letters, has_labels)
        if problem:
            log.add(line, problem)
            ok = False
        else:
            found.append((letter, formula.strip()))
    return tuple(found), ok


def _formula_problem(letter: str, formula, letters: list[str], has_labels: bool) -> str | None:
    if letter not in letters:
        return f"xlsx formulas: no column {letter}: the columns are {letters[0]} to {letters[-1]}"
    if letter == "A" and has_labels:
        return "xlsx formulas: column A holds the labels, it cannot also hold a formula"
    if not isinstance(formula, str) or not formula.strip().startswith("="):
        return f'xlsx formulas: the formula for column {letter} must be text starting with =, e.g. "=B{{row}}*2"'
    text, position, depth = formula.strip(), 1, 0
    allowed = "only same-row cells such as B{row}, numbers, + - * /, parentheses, commas and " + ", ".join(
        FORMULA_FUNCTIONS
    )
    while position < len(text):
        match = _FORMULA_TOKEN.match(text, position)
        if match is None:
            return f"xlsx formulas: column {letter}: '{text[position:]}' is not allowed here: {allowed}"
        if match.group("cell"):
            if match.group("cell") not in letters:
                return f"xlsx formulas: column {letter} refers to column {match.group('cell')}, which does not exist"
            if match.group("cell") == letter:
                return f"xlsx formulas: column {letter} refers to itself"
        if match.group("function"):
            if match.group("function") not in FORMULA_FUNCTIONS:
                return (
                    f"xlsx formulas: column {letter}: the function {match.group('function')} is not allowed: {allowed}"
                )
            depth += 1
        if match.group("op") == "(":
            depth += 1
        elif match.group("op") == ")":
            depth -= 1
            if depth < 0:
                return f"xlsx formulas: column {letter}: a ')' closes nothing"
        position = match.end()
    if depth:
        return f"xlsx formulas: column {letter}: a '(' is not closed"
    if text == "=":
        return f"xlsx formulas: the formula for column {letter} is empty"
    return None


def _read_totals(value: dict, lines: dict, letters: list[str], translation: bool, log: ProblemLog):
    totals, label, ok = value.get("totals"), value.get("total_label"), True
    if "total_label" in value and (not isinstance(label, str) or not label.strip()):
        log.add(lines["total_label"], "xlsx total_label: must be text, e.g. Total")
        ok = False
    if "totals" not in value:
        if "total_label" in value and ok and not translation:  # a translation's totals are the source's
            log.add(lines["total_label"], "xlsx total_label: without totals: there is no total row to label")
            ok = False
        return (), "", ok
    if not isinstance(totals, list) or not totals or not all(isinstance(x, str) for x in totals):
        log.add(lines["totals"], "xlsx totals: must be a list of column letters, e.g. [B, C, E]")
        return (), "", False
    for letter in totals:
        if letter not in letters:
            log.add(lines["totals"], f"xlsx totals: no column {letter}: the columns are {letters[0]} to {letters[-1]}")
            ok = False
        elif letter == "A":
            log.add(lines["totals"], "xlsx totals: column A holds the total_label, it cannot also hold a total")
            ok = False
    if "total_label" not in value:
        log.add(lines["totals"], "xlsx totals: needs total_label: the text of the total row's column A")
        ok = False
    if not ok:
        return (), "", False
    return tuple(totals), label.strip(), True


def _compare_with_source(front: _Front, source: _Front, log: ProblemLog) -> None:
    if front.kind is not None and source.kind is not None and front.kind != source.kind:
        log.add(front.kind_line, f"kind: must be the same as in the source ({source.kind})")
    if front.module is not None and source.module is not None and front.module != source.module:
        log.add(front.module_line, f"module: must be the same as in the source ({source.module})")
    if front.worksheet is not None and source.worksheet is not None:
        if len(front.worksheet.columns) != len(source.worksheet.columns):
            log.add(
                front.xlsx_line,
                f"xlsx columns: {len(front.worksheet.columns)} here, "
                f"{len(source.worksheet.columns)} in the source: translate each column once",
            )
        if front.worksheet.rows != source.worksheet.rows:
            log.add(front.xlsx_line, f"xlsx rows: must be the same as in the source ({source.worksheet.rows})")
        _compare_sheet_extras(front.worksheet, source.worksheet, front.xlsx_line, log)
    if front.worksheet is not None and source.worksheet is None and source.kind == "worksheet":
        log.add(front.xlsx_line, "xlsx: the source has no spreadsheet; add it there first")


def _compare_sheet_extras(sheet: Worksheet, source: Worksheet, xlsx_line: int, log: ProblemLog) -> None:
    """Labels and total_label are translated (same count); formulas and totals are the source's, or left out."""
    line = sheet.lines.get
    if len(sheet.labels) != len(source.labels):
        log.add(
            line("labels", xlsx_line),
            f"xlsx labels: {len(sheet.labels)} here, {len(source.labels)} in the source: translate each label once",
        )
    if bool(sheet.total_label) != bool(source.total_label):
        where = line("total_label", xlsx_line)
        if source.total_label:
            log.add(where, "xlsx total_label: the source has one: translate it here")
        else:
            log.add(where, "xlsx total_label: the source has no total row")
    if "formulas" in sheet.written and sheet.formulas != source.formulas:
        log.add(line("formulas"), "xlsx formulas: must be the same as in the source (or leave them out here)")
    if "totals" in sheet.written and sheet.totals != source.totals:
        log.add(line("totals"), "xlsx totals: must be the same as in the source (or leave them out here)")
