"""CSV and XLSX downloads of the grid and the impact report, headed in the trainer's language.

Spreadsheets run a cell that starts with = + - @ (or tab / carriage return, which some strip first)
as a formula: a learner named "=HYPERLINK(...)" could otherwise act in the trainer's spreadsheet.
Such text cells get a leading apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import pgettext

from ..content import Course
from .grid import Grid
from .impact import DIMENSIONS, ImpactReport

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIMETYPE = "text/csv"  # Werkzeug adds "; charset=utf-8" to every text/* type: naming it here doubled it
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)  # spreadsheets have no time zones: UTC, said in the header
    return neutralise(value)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens Cyrillic and Czech names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def to_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    # Imported here: openpyxl costs every worker ~5 MB of memory for a page few people open.
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Sheet")
    widths = [len(str(h)) for h in headers]
    buffered = []
    for row in rows:
        values = [_plain(v) for v in row]
        buffered.append(values)
        widths = [max(w, min(len(str(v)) if v is not None else 0, 60)) for w, v in zip(widths, values, strict=False)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.append([neutralise(h) for h in headers])
    for values in buffered:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def grid_table(grid: Grid, course: Course, lang: str) -> tuple[list[str], list[list[object]]]:
    """The grid as a table: one row per learner, three columns per module."""
    headers = [
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Content language"),
        _("Course percent"),
        _("Enrolled (UTC)"),
        _("Last activity (UTC)"),
        _("Completed (UTC)"),
        _("Certificate"),
    ]
    for module in grid.modules:
        title = module.text(lang).title
        headers += [
            _("%(module)s: read", module=title),
            _("%(module)s: quiz score", module=title),
            _("%(module)s: completed", module=title),
        ]
    yes, no = _("yes"), _("no")
    rows = []
    for row in grid.rows:
        values: list[object] = [
            row.name,
            row.email,
            row.organisation,
            row.content_language,
            row.progress.percent,
            row.enrolled_at,
            row.last_activity_at,
            row.completed_at,
            row.certificate_code or "",
        ]
        for module in grid.modules:
            status = row.progress.modules[module.slug]
            score = status.counting_percent
            values += [
                yes if status.read else no,
                round(score, 1) if score is not None else None,
                yes if module_done(status) else no,
            ]
        rows.append(values)
    return headers, rows


def module_done(status) -> bool:
    """Read, passed where the module is graded, and its assignment passed where the course counts it: what the
    completion rule asks of a module."""
    return status.read and status.passed is not False and status.assignment_passed is not False


def report_table(report: ImpactReport, group_name) -> tuple[list[str], list[list[object]]]:
    """Every breakdown in one table: dimension, group, then the figures."""
    dimension_names = dimension_labels()
    headers = [
        _("Breakdown"),
        _("Group"),
        _("People"),
        pgettext("number of learners", "Completed"),
        _("Completion rate (%)"),
        _("Average final score (%)"),
        _("Median days to complete"),
        _("Certificates issued"),
    ]
    rows = [[_("Total"), "", *_figures(report.total)]]
    for dimension in DIMENSIONS:
        for figures in report.breakdowns[dimension]:
            rows.append([dimension_names[dimension], group_name(dimension, figures.key), *_figures(figures)])
    return headers, rows


def dimension_labels() -> dict[str, str]:
    return {"course": _("Course"), "country": _("Country"), "organisation": _("Organisation"), "role": _("Role")}


def _figures(f) -> list[object]:
    def pct(value):
        return None if value is None else round(value * 100, 1)

    return [
        f.people,
        f.completed,
        pct(f.completion_rate),
        None if f.average_final_score is None else round(f.average_final_score, 1),
        None if f.median_days is None else round(f.median_days, 1),
        f.certificates,
    ]
