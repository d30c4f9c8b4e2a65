"""The pack as a spreadsheet laid out like the DSG management plan template: a summary, one
sheet per placement category (plans by age band and by need, and cost; the actuals, then the
forecast), the period's entered figures, and the safety-valve conditions with pressures and
mitigations. Every figure is a number cell, so finance can sum and chart it; text is never a
formula. Totals are the rows' sums as numbers, not formulas, so any reader sees them.
"""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reporting.high_needs.pack import (
    FORECAST_NEEDS_NOTE,
    NO_UPDATE,
    NOT_KNOWN,
    SHEET_NAMES,
    Number,
    Pack,
    long_date,
)
from reporting.metrics.engine import AGE_BAND_LABELS, NONE_CATEGORY
from reporting.selectors.high_needs import AGE_BAND_KEYS, CATEGORIES, CATEGORY_LABELS, NEED_LABELS
from send_cms.common.exports import sheet_title

PLANS_FORMAT = "#,##0"
MONEY_FORMAT = '"£"#,##0.00'
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


class _Writer:
    """Rows down a worksheet: typed cells (numbers stay numbers, text is never a formula)."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1

    def line(self, *values: object, bold: bool = False, formats: Sequence[str] = ()) -> None:
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # "=..." stays text, never a live formula
            elif isinstance(value, Decimal | int | float) or value is None:
                cell.value = value
                if value is not None and column - 2 < len(formats) and column >= 2:
                    cell.number_format = formats[column - 2]
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "dd/mm/yyyy"
            if bold:
                cell.font = BOLD
        self.row += 1

    def title(self, text: str, *notes: str) -> None:
        cell = self.sheet.cell(row=self.row, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", text))
        cell.font = TITLE
        self.row += 1
        for note in notes:
            self.line(note)
        self.row += 1

    def table(
        self,
        heading: str,
        headers: Sequence[str],
        rows: Iterable[tuple[str, Sequence[Number | None]]],
        *,
        number_format: str,
        total: str | None = None,
    ) -> None:
        """A captioned table: a label column then one number per column; an optional total
        row (the sum of the rows, as a number)."""
        self.line(heading, bold=True)
        self.line(*headers, bold=True)
        formats = [number_format] * (len(headers) - 1)
        sums: list[Number] = [0] * (len(headers) - 1)
        for label, values in rows:
            self.line(label, *values, formats=formats)
            sums = [_plus(s, v) for s, v in zip(sums, values, strict=True)]
        if total is not None:
            self.line(total, *sums, bold=True, formats=formats)
        self.row += 1


def _plus(total: Number, value: Number | None) -> Number:
    """A column's running total: pounds and pence stay exact; a forecast's are floats."""
    if value is None:
        return total
    if isinstance(total, float) or isinstance(value, float):
        return float(total) + float(value)
    if isinstance(total, Decimal) or isinstance(value, Decimal):
        return Decimal(total) + Decimal(value)
    return total + value


def _money(value: Number | None) -> float | Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else float(value)


def pack_xlsx(pack: Pack) -> bytes:
    """The DSG management plan template's layout: a summary, then one sheet per placement
    category (plans by age band and by need, cost; history then forecast), then the period's
    entered figures. Every figure is a number cell."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    used: set[str] = set()

    def sheet(name: str) -> _Writer:
        title = sheet_title(name, used=used)
        used.add(title.casefold())
        ws = workbook.create_sheet(title=title)
        ws.column_dimensions["A"].width = 44
        for n in range(2, len(pack.columns) + 3):
            ws.column_dimensions[get_column_letter(n)].width = 18
        return _Writer(ws)

    columns = pack.columns
    headers = [s.heading for s in columns]
    basis = pack.forecast.basis if pack.forecast else pack.forecast_note
    notes = (
        f"{pack.council}: EHC plans in force by placement category. Actuals on 31 March of each "
        f"financial year and on {long_date(pack.on)}, then the forecast.",
        f"Forecast: {basis}" if basis else "",
        f"Produced {timezone.localtime(pack.produced_at):%d/%m/%Y %H:%M} from the data as it "
        "stood then.",
    )

    summary = sheet("Summary")
    summary.title(f"High needs and DSG management plan, {long_date(pack.on)}", *notes)
    summary.table(
        "EHC plans in force by placement category",
        ["Placement category", *headers],
        [(CATEGORY_LABELS[c], [s.category_plans(c) for s in columns]) for c in CATEGORIES],
        number_format=PLANS_FORMAT,
        total="Total",
    )
    summary.table(
        "Annual cost of placements (£)",
        ["Placement category", *headers],
        [(CATEGORY_LABELS[c], [_money(s.category_cost(c)) for s in columns]) for c in CATEGORIES],
        number_format=MONEY_FORMAT,
        total="Total",
    )
    summary.table(
        "Average annual cost per plan (£)",
        ["Placement category", *headers],
        [
            (CATEGORY_LABELS[c], [s.average_cost(c) for s in columns])
            for c in CATEGORIES
            if c != NONE_CATEGORY
        ],
        number_format=MONEY_FORMAT,
    )

    present = {need for s in columns for (_, need) in s.needs}
    order = {need: n for n, need in enumerate(NEED_LABELS)}
    needs = sorted(present, key=lambda need: (order.get(need, len(order)), str(need)))
    for category in CATEGORIES:
        ws = sheet(SHEET_NAMES.get(category, CATEGORY_LABELS[category]))
        ws.title(CATEGORY_LABELS[category], *notes)
        ws.table(
            "Plans in force by age band",
            ["Age band (age on 31 August)", *headers],
            [
                (AGE_BAND_LABELS[band], [s.band_plans(category, band) for s in columns])
                for band in AGE_BAND_KEYS
            ],
            number_format=PLANS_FORMAT,
            total="Total",
        )
        ws.table(
            "Plans in force by primary need",
            ["Primary need", *headers],
            [
                (NEED_LABELS.get(need, NOT_KNOWN), [s.need_plans(category, need) for s in columns])
                for need in needs
            ],
            number_format=PLANS_FORMAT,
            total="Total",
        )
        ws.table(
            "Cost",
            ["", *headers],
            [
                (
                    "Annual cost of placements (£)",
                    [_money(s.category_cost(category)) for s in columns],
                ),
                ("Average annual cost per plan (£)", [s.average_cost(category) for s in columns]),
            ],
            number_format=MONEY_FORMAT,
        )
        if pack.forecast:
            ws.line(FORECAST_NEEDS_NOTE.format(on=long_date(pack.on)))

    figures = sheet("DSG figures")
    figures.title(f"Entered figures, {pack.period.key}", pack.period.label)
    figures.line("Figure", "Amount (£)", "Entered by", "Entered on", "Note", bold=True)
    for _, label, figure in pack.entries.figure_rows():
        if figure is None:
            figures.line(label, None, "Not entered")
            continue
        figures.line(
            label,
            figure.amount,
            figure.author.get_full_name() or figure.author.get_username(),
            timezone.localtime(figure.created_at).date(),
            figure.note,
            formats=[MONEY_FORMAT],
        )
    figures.row += 1
    figures.line("Against the agreed profile (£)", bold=True)
    figures.line(
        "In-year balance less the agreed profile",
        pack.entries.in_year_variance,
        formats=[MONEY_FORMAT],
    )
    figures.line(
        "Cumulative balance less the agreed profile",
        pack.entries.cumulative_variance,
        formats=[MONEY_FORMAT],
    )
    figures.row += 1
    figures.line(f"Placement spend, financial year to {long_date(pack.on)} (£)", bold=True)
    figures.line("Type of setting", "To date", "To the year's end", bold=True)
    for line in pack.spend.lines:
        figures.line(line.label, line.to_date, line.to_year_end, formats=[MONEY_FORMAT] * 2)
    figures.line(
        "Total", pack.spend.to_date, pack.spend.to_year_end, bold=True, formats=[MONEY_FORMAT] * 2
    )
    figures.sheet.column_dimensions["E"].width = 60

    valve = sheet("Safety valve")
    valve.title(f"Safety-valve conditions, pressures and mitigations, {pack.period.key}")
    valve.line("Number", "Condition", "RAG", "Narrative", "Evidence", "Updated by", bold=True)
    for condition_line in pack.entries.conditions:
        update = condition_line.update
        condition = condition_line.condition
        if update is None:
            valve.line(condition.number, condition.title, NO_UPDATE)
            continue
        valve.line(
            condition.number,
            condition.title,
            update.get_rag_display(),
            update.narrative,
            update.evidence,
            f"{update.author.get_full_name() or update.author.get_username()}, "
            f"{timezone.localtime(update.created_at):%d/%m/%Y}",
        )
    valve.row += 1
    valve.line("Pressures and mitigations", bold=True)
    valve.line("Kind", "Title", "In-year effect (£)", "Narrative", bold=True)
    for kind, entries, total in (
        ("Pressure", pack.entries.pressures, pack.entries.pressures_total),
        ("Mitigation", pack.entries.mitigations, pack.entries.mitigations_total),
    ):
        for entry in entries:
            valve.line(kind, entry.title, entry.amount, entry.narrative, formats=["", MONEY_FORMAT])
        valve.line(f"{kind}s: total", "", total, bold=True, formats=["", MONEY_FORMAT])
    for worksheet in (figures.sheet, valve.sheet):
        for column in ("B", "D", "E"):
            wide = column != "B" or worksheet is valve.sheet
            worksheet.column_dimensions[column].width = 50 if wide else 18
        for row in worksheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and len(cell.value) > 40:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
