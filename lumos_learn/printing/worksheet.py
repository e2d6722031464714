"""A job aid's worksheet as an XLSX file: a title, a header row, and empty rows with borders to fill in."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..content.job_aids import Worksheet

_THIN = Side(style="thin", color="8A9099")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _text(cell, value: str):
    """Course text is text: a heading such as "=Total" must never become a formula the spreadsheet runs."""
    cell.value = value
    cell.data_type = "s"
    return cell


def worksheet_xlsx(worksheet: Worksheet, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = worksheet.sheet
    _text(sheet["A1"], title)
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = 3
    for column, heading in enumerate(worksheet.columns, start=1):
        cell = _text(sheet.cell(row=header_row, column=column), heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EDF3")
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(heading) + 4)
        for row in range(header_row + 1, header_row + 1 + worksheet.rows):
            sheet.cell(row=row, column=column).border = _BOX
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if len(worksheet.columns) > 5 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    output = BytesIO()
    book.save(output)
    return output.getvalue()
