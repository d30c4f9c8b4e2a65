"""What is drawn in the frame: lines, bars, the target, the legend and the description read out."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reporting.charts.axes import _Frame
from reporting.charts.figures import (
    _CHAR_WIDTH,
    _LEGEND_ROW,
    _TEXT,
    NO_DATA,
    SERIES_COLOURS,
    Series,
    _join,
    _num,
    _path,
    _point_title,
    _runs,
    format_value,
)


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
