"""A job aid's worksheet as an XLSX file: a title, a header row, rows with borders to fill in, and, when the course
file asks, labels in column A, a formula on every row of some columns and a bold total row."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter

from ..content.job_aids import Worksheet

_THIN = Side(style="thin", color="8A9099")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
NUMBER_FORMAT = "#,##0"
HEADER_ROW = 3


def _text(cell, value: str):
    """Course text is text: a heading such as "=Total" must never become a formula the spreadsheet runs."""
    cell.value = value
    cell.data_type = "s"
    return cell


def _formula(cell, value: str):
    """A formula the loader checked (content/job_aids.py: same-row cells, numbers, + - * /, SUM ROUND MIN MAX)."""
    cell.value = value
    cell.number_format = NUMBER_FORMAT
    return cell


def worksheet_xlsx(worksheet: Worksheet, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = worksheet.sheet
    _text(sheet["A1"], title)
    sheet["A1"].font = Font(bold=True, size=14)
    first, last = HEADER_ROW + 1, HEADER_ROW + worksheet.rows
    formulas = dict(worksheet.formulas)
    for column, heading in enumerate(worksheet.columns, start=1):
        cell = _text(sheet.cell(row=HEADER_ROW, column=column), heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EDF3")
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(heading) + 4)
        for row in range(first, last + 1):
            sheet.cell(row=row, column=column).border = _BOX
    for row, label in enumerate(worksheet.labels, start=first):
        _text(sheet.cell(row=row, column=1), label)
    if worksheet.labels:
        widest = max(len(label) for label in (*worksheet.labels, worksheet.total_label))
        sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width, widest + 2)
    for letter, template in formulas.items():
        column = column_index_from_string(letter)
        for row in range(first, last + 1):
            _formula(sheet.cell(row=row, column=column), template.replace("{row}", str(row)))
    if worksheet.totals:
        total_row = last + 1
        label = _text(sheet.cell(row=total_row, column=1), worksheet.total_label)
        label.font = Font(bold=True)
        label.border = _BOX
        for letter in worksheet.totals:
            cell = _formula(sheet[f"{letter}{total_row}"], f"=SUM({letter}{first}:{letter}{last})")
            cell.font = Font(bold=True)
            cell.border = _BOX
        for letter in {*worksheet.totals} - set(formulas):  # typed-in amounts that are summed: numbers too
            for row in range(first, last + 1):
                sheet[f"{letter}{row}"].number_format = NUMBER_FORMAT
    sheet.freeze_panes = sheet.cell(row=first, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if len(worksheet.columns) > 5 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    output = BytesIO()
    book.save(output)
    return output.getvalue()
