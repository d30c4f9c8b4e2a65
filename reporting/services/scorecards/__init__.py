"""The monthly scorecard as a published product: its PDF, the snapshot of every metric, the email
to managers, and every download recorded.

A month is published once (the period is unique; a second publication returns the first) and a
published scorecard never changes: its PDF is stored and served byte for byte, so the board sees
later exactly what it read. A month not yet published is rendered on demand and says "draft".
Every figure comes from `scorecard_rows`, the builder the dashboard and the API use.
"""

from reporting.services.scorecards.document import (
    display,
    scorecard_document,
    scorecard_pdf,
    scorecard_pdf_rows,
)
from reporting.services.scorecards.publication import scorecard_download, scorecard_publish
from reporting.services.scorecards.reads import (
    CHART_MONTHS,
    MONTH_NOT_OVER,
    NO_COMMENTARY,
    month_is_over,
    published_scorecards,
    unpublished_months,
)

__all__ = [
    "CHART_MONTHS",
    "MONTH_NOT_OVER",
    "NO_COMMENTARY",
    "display",
    "month_is_over",
    "published_scorecards",
    "scorecard_document",
    "scorecard_download",
    "scorecard_pdf",
    "scorecard_pdf_rows",
    "scorecard_publish",
    "unpublished_months",
]
