"""Server-rendered SVG charts: one drawing serves the HTML page and the WeasyPrint PDF.

No JavaScript and no files: each chart is inline SVG, so a page works without scripts and the PDF
renders exactly what the page shows. The picture is for the eye; each `Chart` carries the same
figures as a table (`headers`, `rows`) to print beside it for screen readers and exact values.
Pure Python: the caller passes figures, nothing here reads the database.
"""

from reporting.charts.drawing import bar_chart, line_chart, sparkline
from reporting.charts.figures import (
    COUNT,
    GREEN,
    NO_DATA,
    PERCENT,
    RED,
    UNITS,
    WEEKS,
    Chart,
    Series,
    format_value,
    nice_ticks,
)

__all__ = [
    "COUNT",
    "GREEN",
    "NO_DATA",
    "PERCENT",
    "RED",
    "UNITS",
    "WEEKS",
    "Chart",
    "Series",
    "bar_chart",
    "format_value",
    "line_chart",
    "nice_ticks",
    "sparkline",
]
