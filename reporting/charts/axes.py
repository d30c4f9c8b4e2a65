"""The plot's frame and its axes: where the points go along x and how the labels wrap."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reporting.charts.figures import _CHAR_WIDTH, _GRID, _LINE_HEIGHT, _TEXT, _join, _num

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
