"""Display values for the busy casework pages: tag colours, ages, sub-navigation and pagination.

Nothing here reads the database: views hand in what selectors returned.
"""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page
from django.urls import reverse

from cases.codes import Channel
from cases.models import AssessmentRequest, Child, RequestStatus
from cases.selectors import CaseloadKey, CaseloadPage
from send_cms.deadlines import display
from send_cms.timescales import Channel as ReceiptChannel
from send_cms.timescales import (
    default_calendar,
    format_date,
    format_time,
    receipt,
)

_REQUEST_TAG: Mapping[str, str] = {
    RequestStatus.RECEIVED: "",  # the plain tag is blue
    RequestStatus.ASSESSING: "govuk-tag--teal",
    RequestStatus.ISSUING: "govuk-tag--purple",
    RequestStatus.DRAFT_ISSUED: "govuk-tag--yellow",
    RequestStatus.FINAL_ISSUED: "govuk-tag--green",
    RequestStatus.NOT_ASSESSING: "govuk-tag--grey",
    RequestStatus.NOT_ISSUING: "govuk-tag--grey",
    RequestStatus.WITHDRAWN: "govuk-tag--grey",
    RequestStatus.TRANSFERRED_OUT: "govuk-tag--grey",
}


#: The deadline badge's colour and words, the same on every page.
deadline_tag = display.status_tag
deadline_label = display.status_label


def request_tag(status: str) -> str:
    return _REQUEST_TAG.get(status, "govuk-tag--grey")


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    """Age in whole years (a birthday on 29 February falls on 1 March in other years)."""
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


# --- the case page's sub-navigation ------------------------------------------------------------
@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    url_name: str


CASE_TABS: tuple[Tab, ...] = (
    Tab("overview", "Overview", "cases:child-detail"),
    Tab("timeline", "Timeline", "cases:child-timeline"),
    Tab("deadlines", "Deadlines", "cases:child-deadlines"),
    Tab("advice", "Advice", "cases:child-advice"),
    Tab("plan", "Plan", "cases:child-plan"),
    Tab("placements", "Placements", "cases:child-placements"),
    Tab("documents", "Documents and letters", "cases:child-documents"),
)


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    active: bool


def case_tabs(child: Child, active: str) -> list[NavLink]:
    return [
        NavLink(tab.label, reverse(tab.url_name, args=[child.pk]), tab.slug == active)
        for tab in CASE_TABS
    ]


# --- pagination (the GOV.UK pagination component) ----------------------------------------------
@dataclass(frozen=True)
class PageLink:
    number: int | None  # None is an ellipsis
    href: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    previous: str
    next: str
    items: list[PageLink]
    first_row: int
    last_row: int
    total: int


def caseload_key(token: str | None) -> CaseloadKey | None:
    """The key a caseload page link carries (`keyset_pagination`), or None if it is not one."""
    if not token:
        return None
    try:
        due, last, first, reference, row = json.loads(base64.urlsafe_b64decode(token.encode()))
        return CaseloadKey(
            dt.date.fromisoformat(due) if due else None,
            str(last),
            str(first),
            str(reference),
            max(1, int(row)),
        )
    except (ValueError, TypeError, binascii.Error):
        return None


def _token(key: CaseloadKey) -> str:
    due = key.due_on.isoformat() if key.due_on else None
    values = [due, key.last_name, key.first_name, key.reference, key.row]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def keyset_pagination(page: CaseloadPage, *, total: int) -> Pagination:
    """Previous and next links carrying the keys of the rows either side: no page numbers,
    which would need an offset."""
    first_row = page.first_row if page.rows else 0
    return Pagination(
        previous="?" + urlencode({"before": _token(page.previous)}) if page.previous else "",
        next="?" + urlencode({"after": _token(page.next)}) if page.next else "",
        items=[],
        first_row=first_row,
        last_row=first_row + len(page.rows) - 1 if page.rows else 0,
        total=total,
    )


def _page_numbers(current: int, last: int) -> list[int | None]:
    """1 ... 4 5 [6] 7 8 ... 20: the first, the last, two either side of the current page."""
    shown = {1, last, *range(current - 2, current + 3)}
    numbers: list[int | None] = []
    for n in sorted(n for n in shown if 1 <= n <= last):
        if numbers and numbers[-1] is not None and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def pagination(page: Page, query: Mapping[str, str]) -> Pagination:  # type: ignore[type-arg]
    """Links that keep the filters (`query`) and change only the page number."""
    paginator = page.paginator
    total = paginator.count
    first_row = page.start_index() if total else 0
    last_row = page.end_index() if total else 0
    if paginator.num_pages <= 1:
        return Pagination("", "", [], first_row, last_row, total)

    def href(number: int) -> str:
        return "?" + urlencode({**query, "page": str(number)})

    items = [
        PageLink(n, href(n) if n else "", n == page.number)
        for n in _page_numbers(page.number, paginator.num_pages)
    ]
    return Pagination(
        previous=href(page.previous_page_number()) if page.has_previous() else "",
        next=href(page.next_page_number()) if page.has_next() else "",
        items=items,
        first_row=first_row,
        last_row=last_row,
        total=total,
    )


# --- filter tags (the MOJ filter's "selected filters") -----------------------------------------
@dataclass(frozen=True)
class FilterTag:
    heading: str
    label: str
    remove_href: str


def selected_filters(
    query: Mapping[str, str], labels: Iterable[tuple[str, str, str]]
) -> list[FilterTag]:
    """One removable tag per chosen filter: (field name, heading, value's label)."""
    tags = []
    for name, heading, label in labels:
        rest = {k: v for k, v in query.items() if k != name and v}
        tags.append(FilterTag(heading, label, "?" + urlencode(rest) if rest else "?"))
    return tags


# --- a request's receipt -----------------------------------------------------------------------
#: Why the date stands when no time was recorded (the API and imports give only the date).
NO_TIME_RECORDED = "The time it arrived was not recorded: it counts from the day it arrived."
RECEIVED_ON_OVERRIDDEN = "Set by a manager instead of {derived}: {reason}"


@dataclass(frozen=True)
class ReceiptLine:
    """When a request arrived, the legal date it counts from, and why (the case's "Received")."""

    arrived: str
    received_on: dt.date
    reason: str


def receipt_line(request: AssessmentRequest) -> ReceiptLine:
    """The request's arrival and its legal received date, with the rule that joins them, read
    with the cut-off the council had when the date was derived (none: the time is unknown)."""
    time_known = request.received_cut_off is not None
    found = receipt(
        received_at=request.received_at,
        channel=ReceiptChannel(request.channel),
        calendar=default_calendar(),
        signed_for_on=request.signed_for_on,
        cut_off=request.received_cut_off or dt.time.max,
    )
    arrived_on = found.arrived_at.date()
    arrived = f"{found.arrived_at:%A} {format_date(arrived_on)}"
    if request.channel == Channel.POST:
        arrived = f"Posted {arrived}"
    elif time_known:
        arrived += f" at {format_time(found.arrived_at.time())}"
    reason = found.reason
    if request.received_on_override_reason:
        reason = RECEIVED_ON_OVERRIDDEN.format(
            derived=format_date(found.received_on), reason=request.received_on_override_reason
        )
    elif not time_known and request.channel != Channel.POST and found.received_on == arrived_on:
        reason = NO_TIME_RECORDED
    return ReceiptLine(arrived, request.received_on, reason)
