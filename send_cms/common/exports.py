"""Download any table as CSV or Excel, safe to open in a spreadsheet.

A page's table and its download should be the same rows, so both helpers take plain headers and
rows of Python values: numbers stay numbers and dates stay dates, so a manager can sum and sort
them, and text can never run as a formula on the machine that opens the file.
"""

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from send_cms.common.downloads import content_disposition

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet treats text starting with these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    """One worksheet of an Excel download: a title, a header row and the data rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]


def csv_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A CSV attachment Excel opens correctly: UTF-8 with a BOM, CRLF lines, no live formulas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # without it Excel reads UTF-8 as Windows-1252 and mangles names
    writer = csv.writer(buffer)  # the csv module's default dialect ends lines with CRLF
    writer.writerow([csv_cell(header) for header in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(filename, ".csv")
    return response


def csv_cell(value: object) -> str:
    """One value as CSV text; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None or _is_missing_number(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return str(value)  # a negative number is a number, not a formula
    if isinstance(value, dt.datetime):
        return _naive_local(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def xlsx_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An Excel attachment written row by row (openpyxl's write-only mode: constant memory)."""
    if not sheets:
        raise ValueError("An Excel download needs at least one sheet.")
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        title = sheet_title(sheet.title, used=used)
        used.add(title.casefold())
        worksheet = workbook.create_sheet(title=title)
        header_cells = []
        for header in sheet.headers:
            cell = _xlsx_cell(worksheet, header)
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(filename, ".xlsx")
    return response


def sheet_title(title: str, *, used: set[str] | frozenset[str] = frozenset()) -> str:
    """A title Excel accepts: no []:*?/\\, at most 31 characters, not blank, not already used.

    `used` holds the casefolded titles already in the workbook (Excel compares them ignoring case).
    """
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title))
    cleaned = " ".join(cleaned.split()).strip("'")  # Excel refuses a leading or trailing '
    if not cleaned:
        cleaned = "Sheet"
    elif cleaned.casefold() == "history":  # reserved by Excel for its change history
        cleaned += " sheet"
    candidate = cleaned[:SHEET_TITLE_MAX].rstrip()
    number = 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = cleaned[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
    return candidate


def _xlsx_cell(worksheet: WriteOnlyWorksheet, value: object) -> Cell:
    """A typed cell: numbers as numbers, dates with a date format, text never as a formula."""
    if _is_missing_number(value):
        value = None
    elif isinstance(value, dt.datetime):
        value = _naive_local(value)
    elif value is not None and not isinstance(
        value, bool | int | float | Decimal | dt.date | dt.time | dt.timedelta
    ):
        value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(worksheet, value=value)  # type: ignore[arg-type]
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store "=..." as a live formula and "#N/A" as an error
    elif isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _naive_local(value: dt.datetime) -> dt.datetime:
    """Excel has no time zones: an aware time is shown as the council's local time."""
    if timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _is_missing_number(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Decimal):
        return not value.is_finite()
    return False


def _attachment(filename: str, suffix: str) -> str:
    """Content-Disposition for a download, its name made safe (`content_disposition`)."""
    if not filename.lower().endswith(suffix):
        filename += suffix
    return content_disposition(filename)
