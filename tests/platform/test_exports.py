"""Table downloads open in Excel with the right types, and text never runs as a formula."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from send_cms.common.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    csv_response,
    sheet_title,
    xlsx_response,
)

HEADERS = ("Child", "Requests", "Decided in 6 weeks", "Net flow", "Received", "Notes")


def _read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_keeps_numbers_and_text_and_uses_crlf() -> None:
    rows = [
        ("Zoë O'Brien", 1383, Decimal("93.2"), -12, dt.date(2026, 1, 5), 'Said "no", then yes'),
        ("Sam Smith", 0, 100.0, 4, None, None),
    ]
    response = csv_response(filename="requests-2026-01", headers=HEADERS, rows=rows)

    assert response.status_code == 200
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="requests-2026-01.csv"'
    assert response.content.count(b"\r\n") == 3
    assert _read_csv(response.content) == [
        list(HEADERS),
        ["Zoë O'Brien", "1383", "93.2", "-12", "2026-01-05", 'Said "no", then yes'],
        ["Sam Smith", "0", "100.0", "4", "", ""],
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            '=HYPERLINK("http://evil.example","Click")',
            '\'=HYPERLINK("http://evil.example","Click")',
        ),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plan = issued", "Plan = issued"),
    ],
)
def test_csv_text_that_would_run_as_a_formula_is_quoted(text: str, written: str) -> None:
    response = csv_response(filename="x.csv", headers=["Notes", "Change"], rows=[(text, -5)])

    assert _read_csv(response.content)[1] == [written, "-5"]


def test_csv_header_cells_are_protected_too() -> None:
    response = csv_response(filename="x.csv", headers=["=cmd"], rows=[])

    assert _read_csv(response.content) == [["'=cmd"]]


def test_csv_with_no_rows_is_just_the_header() -> None:
    response = csv_response(filename="empty.csv", headers=HEADERS, rows=iter(()))

    assert response.content == "\ufeff".encode() + ",".join(HEADERS).encode() + b"\r\n"


def test_a_non_ascii_filename_is_encoded_for_the_browser() -> None:
    response = csv_response(filename="Zoë report.csv", headers=["A"], rows=[])

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Zo%C3%AB%20report.csv"


def _load(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def test_xlsx_keeps_numbers_dates_and_blanks() -> None:
    rows = [
        ("Zoë O'Brien", 1383, Decimal("93.25"), -12, dt.date(2026, 1, 5), "=1+1"),
        ("Sam Smith", 0, 100.0, 4, None, "#N/A"),
    ]
    response = xlsx_response(
        filename="scorecard", sheets=[Sheet(title="Requests", headers=HEADERS, rows=rows)]
    )

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="scorecard.xlsx"'
    sheet = _load(response.content)["Requests"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        list(HEADERS),
        ["Zoë O'Brien", 1383, 93.25, -12, dt.datetime(2026, 1, 5), "=1+1"],
        ["Sam Smith", 0, 100, 4, None, "#N/A"],
    ]
    assert [cell.font.bold for cell in sheet[1]] == [True] * len(HEADERS)
    assert sheet["A2"].font.bold is False
    assert sheet["B2"].data_type == "n"
    assert sheet["C2"].data_type == "n"
    assert sheet["E2"].is_date
    assert sheet["E2"].number_format == "dd/mm/yyyy"
    assert sheet["F2"].data_type == "s"  # text, never a live formula
    assert sheet["F3"].data_type == "s"  # text, not Excel's #N/A error


def test_xlsx_shows_an_aware_time_as_london_time() -> None:
    summer_noon_utc = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    response = xlsx_response(
        filename="log.xlsx", sheets=[Sheet(title="Log", headers=["At"], rows=[(summer_noon_utc,)])]
    )

    cell = _load(response.content)["Log"]["A2"]
    assert cell.value == dt.datetime(2026, 7, 1, 13, 0)
    assert cell.number_format == "dd/mm/yyyy hh:mm"


def test_xlsx_with_no_rows_has_just_the_header_on_each_sheet() -> None:
    response = xlsx_response(
        filename="empty.xlsx",
        sheets=[
            Sheet(title="Plans", headers=["Need", "Plans"], rows=[]),
            Sheet(title="Ceased", headers=["Reason", "Plans"], rows=iter(())),
        ],
    )

    workbook = _load(response.content)
    assert workbook.sheetnames == ["Plans", "Ceased"]
    assert [[c.value for c in row] for row in workbook["Ceased"].iter_rows()] == [
        ["Reason", "Plans"]
    ]
    assert workbook["Plans"].max_row == 1


def test_xlsx_sheet_titles_are_made_valid_and_unique() -> None:
    long_title = "Open plans by placement category and age band"
    response = xlsx_response(
        filename="pack.xlsx",
        sheets=[
            Sheet(title="Plans [by] need: 2025/26 *?", headers=["A"], rows=[]),
            Sheet(title=long_title, headers=["A"], rows=[]),
            Sheet(title=long_title, headers=["A"], rows=[]),
            Sheet(title="", headers=["A"], rows=[]),
        ],
    )

    assert _load(response.content).sheetnames == [
        "Plans by need 2025 26",
        "Open plans by placement categor",
        "Open plans by placement cat (2)",
        "Sheet",
    ]


@pytest.mark.parametrize(
    ("title", "used", "expected"),
    [
        ("Requests", set(), "Requests"),
        ("a" * 40, set(), "a" * 31),
        ("'Quoted'", set(), "Quoted"),
        ("History", set(), "History sheet"),
        ("requests", {"requests"}, "requests (2)"),
        ("Requests", {"requests", "requests (2)"}, "Requests (3)"),
        ("\\/", set(), "Sheet"),
    ],
)
def test_sheet_title(title: str, used: set[str], expected: str) -> None:
    assert sheet_title(title, used=used) == expected


def test_an_xlsx_needs_a_sheet() -> None:
    with pytest.raises(ValueError, match="at least one sheet"):
        xlsx_response(filename="none.xlsx", sheets=[])
