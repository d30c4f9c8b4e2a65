"""What a chart is made of and how its figures read: units, colours, series, ticks and values."""

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString, mark_safe

COUNT = "count"
PERCENT = "percent"
WEEKS = "weeks"
UNITS = (COUNT, PERCENT, WEEKS)

# GOV.UK Design System colours, in the order series take them.
BLUE = "#1d70b8"
ORANGE = "#f47738"
GREEN = "#00703c"
RED = "#d4351c"
GREY = "#505a5f"
SERIES_COLOURS = (BLUE, ORANGE, GREEN, RED, GREY)
_TEXT = "#0b0c0c"
_GRID = "#b1b4b6"

_FONT_FAMILY = "Arial, Helvetica, sans-serif"
_FONT_SIZE = 12
_CHAR_WIDTH = 0.65 * _FONT_SIZE  # generous for Arial and the PDF's fallback fonts: never overlap
_LINE_HEIGHT = 14
_LEGEND_ROW = 20
NO_DATA = "No data"


@dataclass(frozen=True)
class Series:
    """One line or one set of bars; None is a point with no data (a gap, never a zero)."""

    name: str
    values: tuple[float | None, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))  # accept a list, stay hashable


@dataclass(frozen=True)
class Chart:
    """An inline SVG and the same figures as a table (first column the label)."""

    svg: SafeString
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __html__(self) -> str:
        return str(self.svg)


def format_value(value: float | None, *, unit: str = COUNT) -> str:
    """A figure for display: 1,383 (count), 93.2% (percent), 18.4 (weeks); rounded half up."""
    _check_unit(unit)
    if value is None or not math.isfinite(value):
        return NO_DATA
    number = Decimal(repr(float(value)))  # the shortest decimal, so 2.65 rounds to 2.7
    if unit == PERCENT:
        return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    if unit == WEEKS:
        return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def nice_ticks(low: float, high: float, *, unit: str = COUNT) -> tuple[float, ...]:
    """Round axis ticks covering low..high and 0: 0..187 gives 0, 50, 100, 150, 200.

    A percent axis is 0-100 in steps of 20 unless a value falls outside it; counts step by
    whole numbers.
    """
    _check_unit(unit)
    low, high = min(low, 0.0), max(high, 0.0)
    if unit == PERCENT and low >= 0 and high <= 100:
        return (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
    if high <= low:
        high = low + 1
    raw_step = (high - low) / 4
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step * (1 - 1e-9))
    if unit == COUNT:
        step = max(step, 1.0)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return tuple(_tidy(i * step) for i in range(first, last + 1))


# --- small helpers -----------------------------------------------------------------------------


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}: use one of {', '.join(UNITS)}.")


def _finite(values: Sequence[float | None]) -> list[float | None]:
    """NaN and infinity are no data, like None: they cannot be drawn or divided."""
    return [None if v is None or not math.isfinite(v) else float(v) for v in values]


def _runs(points: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Unbroken stretches of known points: a line is drawn within each, never across a gap."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(points):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        runs.append(current)
    return runs


def _path(points: Iterable[tuple[float, float]]) -> str:
    coords = [f"{_num(x)},{_num(y)}" for x, y in points]
    return "M" + " L".join(coords)


def _point_title(name: str, label: str, value: float, unit: str) -> str:
    return f"{name}, {label}: {format_value(value, unit=unit)}"


def _tick_label(tick: float, ticks: Sequence[float], unit: str) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = f"{tick:,.{decimals}f}"
    return f"{text}%" if unit == PERCENT else text


def _tidy(value: float) -> float:
    """0.30000000000000004 -> 0.3, and -0.0 -> 0.0."""
    return round(value, 10) + 0.0


def _num(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros."""
    text = f"{value + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _join(parts: Sequence[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every part was escaped by format_html


def _chart_id(
    kind: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    target: float | None,
) -> str:
    """A stable id for aria-labelledby, different for each chart on a page."""
    key = repr((kind, title, tuple(labels), tuple(series), unit, target)).encode()
    return "chart-" + hashlib.blake2s(key, digest_size=5).hexdigest()
