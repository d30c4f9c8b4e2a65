"""The charts callers draw: a line chart, a bar chart and a sparkline, each inline SVG."""

import math
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reporting.charts.axes import _axes, _Frame, _x_axis, _x_labels, _x_positions
from reporting.charts.figures import (
    _CHAR_WIDTH,
    _FONT_FAMILY,
    _FONT_SIZE,
    _LEGEND_ROW,
    _LINE_HEIGHT,
    _TEXT,
    BLUE,
    COUNT,
    NO_DATA,
    SERIES_COLOURS,
    Chart,
    Series,
    _chart_id,
    _check_unit,
    _finite,
    _join,
    _num,
    _path,
    _runs,
    _tick_label,
    format_value,
    nice_ticks,
)
from reporting.charts.marks import (
    _describe,
    _draw_bars,
    _draw_lines,
    _Key,
    _legend,
    _legend_layout,
    _target_line,
)


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
