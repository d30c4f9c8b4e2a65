"""Display values for the busy review pages: tag colours, step lists and the iCalendar text."""

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils import timezone

from reviews.models import AnnualReview, ReviewStatus
from send_cms.deadlines.display import DeadlineRow
from send_cms.timescales import format_date

_STATUS_TAG: dict[str, str] = {
    ReviewStatus.AWAITING_MEETING: "govuk-tag--grey",
    ReviewStatus.INVITED: "",  # the plain tag is blue
    ReviewStatus.MEETING_HELD: "govuk-tag--teal",
    ReviewStatus.REPORT_RECEIVED: "govuk-tag--teal",
    ReviewStatus.MAINTAINED: "govuk-tag--green",
    ReviewStatus.AMENDMENTS_DUE: "govuk-tag--yellow",
    ReviewStatus.AMENDMENTS_SENT: "govuk-tag--yellow",
    ReviewStatus.AMENDED: "govuk-tag--green",
    ReviewStatus.CEASE_PROPOSED: "govuk-tag--purple",
}


def status_tag(status: str) -> str:
    return _STATUS_TAG.get(status, "govuk-tag--grey")


def deadline_rows(deadlines: list[DeadlineRow], *, today: dt.date) -> list[DeadlineRow]:
    """The family's comment window reads as open or closed, not as the council's deadline."""
    rows = []
    for row in deadlines:
        if row.rule == "review_representations" and row.due is not None:
            if today <= row.due:
                row = replace(row, badge=("Window open", ""))  # the plain tag is blue
            else:
                row = replace(row, badge=("Window closed", "govuk-tag--grey"))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class StepRow:
    label: str
    on: dt.date | None
    detail: str = ""


def step_rows(review: AnnualReview) -> list[StepRow]:
    """The review's steps in the order they happen, dated where done."""
    rows = [
        StepRow("Plan issued or last reviewed (the 12 months start)", review.cycle_start_on),
        StepRow(
            "Invitations sent",
            review.invitations_sent_on,
            f"Meeting planned for {format_date(review.meeting_planned_on)}"
            if review.meeting_planned_on
            else "",
        ),
        StepRow("Advice gathered", review.advice_gathered_on, review.advice_note),
        StepRow("Meeting held", review.meeting_on, review.attendees),
        StepRow("Report received", review.report_received_on),
        StepRow(
            "Decision letter sent",
            review.decision_issued_on,
            review.get_decision_display() if review.decision else "",
        ),
    ]
    if review.decision in ("", "amend"):
        rows += [
            StepRow(
                "Proposed amendments sent", review.amendments_issued_on, review.proposed_changes
            ),
            StepRow("Final amended plan issued", review.final_amended_issued_on),
        ]
    return rows


# --- iCalendar (RFC 5545) ---------------------------------------------------------------------
CRLF = "\r\n"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not out else 74
        if len(current) + len(encoded) > limit:
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return (CRLF + " ").join(out)


def meeting_ics(review: AnnualReview, *, host: str) -> str:
    """A calendar invite for the review meeting: an all-day event on the meeting date."""
    meeting = review.meeting_date
    if meeting is None:
        raise ValueError("The review has no meeting date.")
    child = review.plan.child
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    setting = child.current_setting
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_escape(settings.COUNCIL_NAME)}//{_escape(settings.SERVICE_NAME)}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:annual-review-{review.pk}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{meeting:%Y%m%d}",
        f"DTEND;VALUE=DATE:{meeting + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(f'Annual review meeting: {child.full_name} ({child.reference})')}",
        "DESCRIPTION:"
        + _escape(
            f"Annual review of the EHC plan of {child.full_name} ({child.reference}). "
            f"The review is due by {format_date(review.due_on)}."
        ),
    ]
    if setting is not None:
        lines.append(f"LOCATION:{_escape(setting.name)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"]
    return CRLF.join(_fold(line) for line in lines) + CRLF
