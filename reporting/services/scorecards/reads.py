"""What the scorecard pages and the PDF read: the wording, published scorecards,
months to publish.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from reporting.metrics import Unit
from reporting.models import Commentary, Scorecard
from reporting.periods import Period, PeriodKind, last_complete_month, last_months
from reporting.rag import Rag
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role

logger = logging.getLogger(__name__)

TEMPLATE = "reporting/scorecard_pdf.html"
#: Monthly columns in the headline table, and months in each chart.
TABLE_MONTHS = 6
CHART_MONTHS = 12
#: Low enough for three rows of two charts on a landscape page.
CHART_HEIGHT = 200
#: The key metrics charted over 12 months, one chart per entry (a pair shares a chart). Ids not
#: in the registry are skipped, so the list can name metrics that are still being added.
KEY_CHARTS: tuple[tuple[str, ...], ...] = (
    ("requests_received",),
    ("decision_6wk_pct",),
    ("final_20wk_inc_exc_pct", "final_20wk_exc_exc_pct"),
    ("waiting_over_30wk",),
    ("open_plans",),
    ("ar_in_timescale_pct",),
    ("ar_backlog",),
)
NO_COMMENTARY = "No commentary entered"
NOT_RATED = "Not rated"
MONTH_NOT_OVER = (
    "{month} has not ended yet: a month's scorecard can be published or downloaded once the "
    "month is over."
)
NOT_A_MONTH = "A scorecard covers one calendar month."
EMAIL_SUBJECT = "{council}: SEND scorecard for {month} published"
EMAIL_BODY = """Hello {name},

The SEND performance scorecard for {month} has been published.

Download it here: {link}

This is the published version: it will not change. Later corrections to the data show on the
dashboard and in the commentary, not in this PDF.

{service}, {council}
"""
RAG_WORDS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
UNIT_WORDS = {
    Unit.COUNT: "Count",
    Unit.PERCENT: "Percentage",
    Unit.WEEKS: "Weeks",
    Unit.MONEY: "Pounds",
}
_SIX_PLACES = Decimal("0.000001")


# --- reads ---------------------------------------------------------------------------------------


def published_scorecards() -> QuerySet[Scorecard]:
    """Every published scorecard, newest month first, with who published it."""
    return Scorecard.objects.select_related("published_by").order_by("-period")


def commentary_for(*, period: Period) -> dict[str, Commentary]:
    """The managers' commentary for the month, by metric id (the exceptions pages)."""
    rows = Commentary.objects.filter(period=period.key).select_related("author")
    return {c.metric_id: c for c in rows}


def unpublished_months(*, today: dt.date, count: int = 12) -> list[Period]:
    """The last `count` complete months with no published scorecard, newest first."""
    months = last_months(ending=last_complete_month(today), count=count)
    published = set(
        Scorecard.objects.filter(period__in=[m.key for m in months]).values_list(
            "period", flat=True
        )
    )
    return [m for m in reversed(months) if m.key not in published]


def month_is_over(*, period: Period, today: dt.date) -> bool:
    return period.kind == PeriodKind.MONTH and period.end < today


def manager_recipients() -> list[User]:
    """Active managers with an email address: who hears that a scorecard is published."""
    return list(
        User.objects.filter(groups__name=Role.MANAGER, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def scorecard_link(*, scorecard: Scorecard) -> str:
    """The PDF's address: absolute when SITE_URL is set (emails), else the site-relative path."""
    path = reverse("reporting:scorecard-pdf", kwargs={"period": scorecard.period})
    return f"{settings.SITE_URL.rstrip('/')}{path}" if settings.SITE_URL else path
