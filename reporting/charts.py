"""Server-rendered SVG charts: one drawing serves the HTML page and the WeasyPrint PDF.

No JavaScript and no files: each chart is inline SVG, so a page works without scripts and the PDF
renders exactly what the page shows. The picture is for the eye; each `Chart` carries the same
figures as a table (`headers`, `rows`) to print beside it for screen readers and exact values.
Pure Python: the caller passes figures, nothing here reads the database.
"""

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html
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


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = COUNT,
    target: float | None = None,
    width: int = 640,
    height: int = 240,
    label_heading: str = "Period",
) -> Chart:
    """A line per series over the labels (usually months); None leaves a gap in the line."""
    return _chart("line", title, labels, series, unit, target, width, height, label_heading)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = COUNT,
    target: float | None = None,
    width: int = 640,
    height: int = 240,
    label_heading: str = "Category",
) -> Chart:
    """Vertical bars per label (a category or a month), grouped side by side for several series."""
    return _chart("bar", title, labels, series, unit, target, width, height, label_heading)


def sparkline(
    *, values: Sequence[float | None], width: int = 120, height: int = 28, label: str
) -> SafeString:
    """A tiny trend line scaled to its own range, the latest point marked; `label` is read out."""
    pad = 3.0
    points = _finite(values)
    known = [v for v in points if v is not None]
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="app-sparkline" viewBox="0 0 {} {}"'
            ' width="{}" height="{}" role="img" aria-label="{}">',
            width,
            height,
            width,
            height,
            label,
        )
    ]
    if known:
        low, high = min(known), max(known)
        inner_w, inner_h = max(width - 2 * pad, 1.0), max(height - 2 * pad, 1.0)
        count = len(points)

        def x(i: int) -> float:
            return pad + inner_w if count == 1 else pad + i * inner_w / (count - 1)

        def y(v: float) -> float:
            if high == low:
                return pad + inner_h / 2
            return pad + (high - v) * inner_h / (high - low)

        for run in _runs(points):
            if len(run) > 1:
                parts.append(
                    format_html(
                        '<path class="app-sparkline__line" d="{}" fill="none" stroke="{}"'
                        ' stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>',
                        _path((x(i), y(v)) for i, v in run),
                        BLUE,
                    )
                )
        last, last_value = _runs(points)[-1][-1]
        parts.append(
            format_html(
                '<circle class="app-sparkline__last" cx="{}" cy="{}" r="2.5" fill="{}"/>',
                _num(x(last)),
                _num(y(last_value)),
                BLUE,
            )
        )
    parts.append(mark_safe("</svg>"))
    return _join(parts)


# --- drawing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    left: float
    top: float
    plot_w: float
    plot_h: float
    ticks: tuple[float, ...]

    @property
    def bottom(self) -> float:
        return self.top + self.plot_h

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + (high - value) * self.plot_h / (high - low)


def _chart(
    kind: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    target: float | None,
    width: int,
    height: int,
    label_heading: str,
) -> Chart:
    _check_unit(unit)
    labels = [str(label) for label in labels]
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(
                f"Series {one.name!r} has {len(one.values)} values for {len(labels)} labels."
            )
    values = [_finite(one.values) for one in series]
    if target is not None and not math.isfinite(target):
        target = None
    known = [v for vs in values for v in vs if v is not None]
    extent = [*known, *([target] if target is not None else [])]
    ticks = nice_ticks(min(extent, default=0.0), max(extent, default=0.0), unit=unit)
    tick_labels = [_tick_label(t, ticks, unit) for t in ticks]

    count = len(labels)
    keys = [
        _Key(name=one.name, colour=SERIES_COLOURS[n % len(SERIES_COLOURS)], swatch=kind)
        for n, one in enumerate(series)
        if len(series) > 1
    ]
    if target is not None:
        keys.append(
            _Key(name=f"Target {format_value(target, unit=unit)}", colour=_TEXT, swatch="target")
        )
    legend_rows = _legend_layout(keys, width) if keys else []
    top = 8.0 + len(legend_rows) * _LEGEND_ROW + 10 if legend_rows else 10.0
    left = 10.0 + max(len(t) for t in tick_labels) * _CHAR_WIDTH
    right = 12.0
    if kind == "line" and count:  # the first and last labels are centred on the plot's edges
        edge = min(max(len(labels[0]), len(labels[-1])), 10) * _CHAR_WIDTH / 2
        left, right = max(left, edge), max(right, edge)
    plot_w = max(width - left - right, 1.0)

    xs, spacing = _x_positions(kind, count, left, plot_w)
    shown, lines = _x_labels(labels, spacing)
    bottom_margin = 10.0 + max((len(lines[i]) for i in shown), default=1) * _LINE_HEIGHT
    plot_h = max(height - top - bottom_margin, 1.0)
    frame = _Frame(left=left, top=top, plot_w=plot_w, plot_h=plot_h, ticks=ticks)

    chart_id = _chart_id(kind, title, labels, series, unit, target)
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart app-chart--{}"'
            ' viewBox="0 0 {} {}" width="{}" height="{}" role="img"'
            ' aria-labelledby="{}-title {}-desc" font-family="{}" font-size="{}" fill="{}">',
            kind,
            width,
            height,
            width,
            height,
            chart_id,
            chart_id,
            _FONT_FAMILY,
            _FONT_SIZE,
            _TEXT,
        ),
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html(
            '<desc id="{}-desc">{}</desc>',
            chart_id,
            _describe(kind, labels, series, values, unit, target),
        ),
        _axes(frame, tick_labels),
        _x_axis(frame, xs, shown, lines),
    ]
    if not known:
        parts.append(
            format_html(
                '<text class="app-chart__empty" x="{}" y="{}" text-anchor="middle">{}</text>',
                _num(left + plot_w / 2),
                _num(top + plot_h / 2),
                NO_DATA,
            )
        )
    draw = _draw_lines if kind == "line" else _draw_bars
    parts.append(draw(frame, labels, series, values, unit, xs, spacing))
    if target is not None:
        parts.append(_target_line(frame, target))
    if legend_rows:
        parts.append(_legend(legend_rows))
    parts.append(mark_safe("</svg>"))

    headers = (label_heading, *(s.name for s in series))
    rows = tuple(
        (label, *(format_value(points[i], unit=unit) for points in values))
        for i, label in enumerate(labels)
    )
    return Chart(svg=_join(parts), title=title, headers=headers, rows=rows)


def _x_positions(kind: str, count: int, left: float, plot_w: float) -> tuple[list[float], float]:
    """The centre of each label and the distance between neighbours."""
    if count == 0:
        return [], plot_w
    if kind == "bar":
        band = plot_w / count
        return [left + band * (i + 0.5) for i in range(count)], band
    if count == 1:
        return [left + plot_w / 2], plot_w
    spacing = plot_w / (count - 1)
    return [left + spacing * i for i in range(count)], spacing


def _x_labels(labels: Sequence[str], spacing: float) -> tuple[list[int], list[list[str]]]:
    """Which labels to print (every k-th, counted back from the latest) and their lines.

    A label wraps onto up to three lines; k grows until a word of up to 8 letters fits, so 70
    months print about every sixth month rather than a smudge, while long category names stay
    (shortened with an ellipsis if need be; the table has them in full).
    """
    count = len(labels)
    if count == 0:
        return [], []
    longest_word = max((len(w) for label in labels for w in label.split()), default=1)
    step = 1
    while step < count and spacing * step - 6 < min(longest_word, 8) * _CHAR_WIDTH:
        step += 1
    max_chars = max(int((spacing * step - 6) // _CHAR_WIDTH), 1)
    shown = [i for i in range(count) if (count - 1 - i) % step == 0]
    lines = [_wrap(label, max_chars) for label in labels]
    return shown, lines


def _wrap(text: str, max_chars: int, max_lines: int = 3) -> list[str]:
    """Greedy word wrap; what does not fit ends with an ellipsis (the table has it in full)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= max_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max_chars - 1] + "…"
    return [line if len(line) <= max_chars else line[: max_chars - 1] + "…" for line in lines]


def _axes(frame: _Frame, tick_labels: Sequence[str]) -> SafeString:
    parts = [mark_safe('<g class="app-chart__y-axis">')]
    for tick, text in zip(frame.ticks, tick_labels, strict=True):
        y = frame.y(tick)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                _num(frame.left),
                _num(y),
                _num(frame.left + frame.plot_w),
                _num(y),
                _TEXT if tick == 0 else _GRID,
                _num(frame.left - 6),
                _num(y + 4),
                text,
            )
        )
    parts.append(mark_safe("</g>"))
    return _join(parts)


def _x_axis(
    frame: _Frame, xs: Sequence[float], shown: Sequence[int], lines: Sequence[Sequence[str]]
) -> SafeString:
    parts = [mark_safe('<g class="app-chart__x-axis" text-anchor="middle">')]
    for i in shown:
        tspans = _join(
            [
                format_html(
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    _num(xs[i]),
                    0 if n == 0 else _LINE_HEIGHT,
                    t,
                )
                for n, t in enumerate(lines[i])
            ]
        )
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/><text y="{}">{}</text>',
                _num(xs[i]),
                _num(frame.bottom),
                _num(xs[i]),
                _num(frame.bottom + 4),
                _TEXT,
                _num(frame.bottom + 4 + _LINE_HEIGHT),
                tspans,
            )
        )
    parts.append(mark_safe("</g>"))
    return _join(parts)


def _draw_lines(
    frame: _Frame,
    labels: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float | None]],
    unit: str,
    xs: Sequence[float],
    spacing: float,
) -> SafeString:
    radius = 3 if spacing >= 12 else 2  # smaller dots when many months crowd the axis
    parts = []
    for n, (one, points) in enumerate(zip(series, values, strict=True)):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        group = [format_html('<g class="app-chart__series" data-series="{}">', n + 1)]
        for run in _runs(points):
            if len(run) > 1:
                group.append(
                    format_html(
                        '<path class="app-chart__line" d="{}" fill="none" stroke="{}"'
                        ' stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>',
                        _path((xs[i], frame.y(v)) for i, v in run),
                        colour,
                    )
                )
        for i, v in enumerate(points):
            if v is not None:
                group.append(
                    format_html(
                        '<circle class="app-chart__point" cx="{}" cy="{}" r="{}" fill="{}">'
                        "<title>{}</title></circle>",
                        _num(xs[i]),
                        _num(frame.y(v)),
                        radius,
                        colour,
                        _point_title(one.name, labels[i], v, unit),
                    )
                )
        group.append(mark_safe("</g>"))
        parts.append(_join(group))
    return _join(parts)


def _draw_bars(
    frame: _Frame,
    labels: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float | None]],
    unit: str,
    xs: Sequence[float],
    spacing: float,
) -> SafeString:
    if not series:
        return SafeString()
    bar_w = spacing * 0.8 / len(series)
    zero = frame.y(0)
    parts = []
    for n, (one, points) in enumerate(zip(series, values, strict=True)):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        offset = -spacing * 0.4 + n * bar_w
        group = [format_html('<g class="app-chart__series" data-series="{}">', n + 1)]
        for i, v in enumerate(points):
            if v is None:
                continue
            top = min(zero, frame.y(v))
            group.append(
                format_html(
                    '<rect class="app-chart__bar" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}</title></rect>",
                    _num(xs[i] + offset),
                    _num(top),
                    _num(max(bar_w - 1, 0.5)),
                    _num(abs(frame.y(v) - zero)),
                    colour,
                    _point_title(one.name, labels[i], v, unit),
                )
            )
        group.append(mark_safe("</g>"))
        parts.append(_join(group))
    return _join(parts)


def _target_line(frame: _Frame, target: float) -> SafeString:
    """A dashed line; its value is named in the legend, where it cannot cover a data point."""
    y = frame.y(target)
    return format_html(
        '<line class="app-chart__target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"'
        ' stroke-width="2" stroke-dasharray="6 4"/>',
        _num(frame.left),
        _num(y),
        _num(frame.left + frame.plot_w),
        _num(y),
        _TEXT,
    )


@dataclass(frozen=True)
class _Key:
    """One legend entry: a series (line or bar swatch) or the target (dashed line)."""

    name: str
    colour: str
    swatch: str


def _legend_layout(keys: Sequence[_Key], width: int) -> list[list[tuple[float, _Key]]]:
    """Rows of (x, entry), wrapping when the next name would pass the right edge."""
    rows: list[list[tuple[float, _Key]]] = [[]]
    x = 8.0
    for key in keys:
        item_w = 22 + len(key.name) * _CHAR_WIDTH + 16
        if rows[-1] and x + item_w > width:
            rows.append([])
            x = 8.0
        rows[-1].append((x, key))
        x += item_w
    return rows


def _legend(rows: Sequence[Sequence[tuple[float, _Key]]]) -> SafeString:
    parts = [mark_safe('<g class="app-chart__legend">')]
    for r, row in enumerate(rows):
        y = 8 + r * _LEGEND_ROW + _LEGEND_ROW / 2
        for x, key in row:
            if key.swatch == "bar":
                swatch = format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>',
                    _num(x + 2),
                    _num(y - 6),
                    key.colour,
                )
            else:
                swatch = format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}/>',
                    _num(x),
                    _num(y),
                    _num(x + 16),
                    _num(y),
                    key.colour,
                    2 if key.swatch == "target" else 3,
                    mark_safe(' stroke-dasharray="6 4"') if key.swatch == "target" else "",
                )
            parts.append(
                format_html(
                    '{}<text x="{}" y="{}">{}</text>', swatch, _num(x + 22), _num(y + 4), key.name
                )
            )
    parts.append(mark_safe("</g>"))
    return _join(parts)


def _describe(
    kind: str,
    labels: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float | None]],
    unit: str,
    target: float | None,
) -> str:
    """What a screen reader hears: the span, and each series' latest, highest and lowest."""
    noun = "Line chart" if kind == "line" else "Bar chart"
    if not labels:
        return f"{noun}. {NO_DATA}."
    span = labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}"
    sentences = [f"{noun}, {span}."]
    for one, points in zip(series, values, strict=True):
        known = [(i, v) for i, v in enumerate(points) if v is not None]
        if not known:
            sentences.append(f"{one.name}: {NO_DATA.lower()}.")
            continue
        last_i, last_v = known[-1]
        high_i, high_v = max(known, key=lambda p: p[1])
        low_i, low_v = min(known, key=lambda p: p[1])
        sentences.append(
            f"{one.name}: latest {format_value(last_v, unit=unit)} ({labels[last_i]}),"
            f" highest {format_value(high_v, unit=unit)} ({labels[high_i]}),"
            f" lowest {format_value(low_v, unit=unit)} ({labels[low_i]})."
        )
    if target is not None:
        sentences.append(f"Target {format_value(target, unit=unit)}.")
    return " ".join(sentences)


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
