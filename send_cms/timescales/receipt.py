"""The legal received date of a request for an EHC needs assessment.

The statutory clock starts on the day the council receives the request, so the date must be
derived the same way every time from what was stored (the timestamp and the channel); a manager
may override it with a recorded reason, which is the caller's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from send_cms.timescales.calendar import WorkingCalendar
from send_cms.timescales.rules import format_date

LONDON = ZoneInfo("Europe/London")
#: Received at or before this local time on a working day counts as that day (the law's 5pm;
#: a council may set its own, `cut_off`).
CUT_OFF = time(17, 0)


class Channel(StrEnum):
    """How the request arrived."""

    email = "email"
    online = "online"
    hand = "hand"
    phone = "phone"
    post = "post"

    @property
    def label(self) -> str:
        """The caseworker's words for the channel."""
        return _LABELS[self]


_LABELS = {
    Channel.email: "Email",
    Channel.online: "Online form",
    Channel.hand: "By hand",
    Channel.phone: "Phone",
    Channel.post: "Post",
}


def format_time(moment: time) -> str:
    """A time of day in the GOV.UK style: "5pm", "9:30am", "12:15pm"."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


@dataclass(frozen=True)
class Receipt:
    """When a request arrived, the legal date it counts from, and why, in a caseworker's words."""

    arrived_at: datetime
    received_on: date
    reason: str


def _day(d: date) -> str:
    return f"{d:%A} {format_date(d)}"


def receipt(
    *,
    received_at: datetime,
    channel: Channel,
    calendar: WorkingCalendar,
    signed_for_on: date | None = None,
    cut_off: time = CUT_OFF,
) -> Receipt:
    """The legal received date of a request, with the reason (timescales.md section 1).

    Dates are calendar dates in Europe/London, so `received_at` (aware, any zone) is converted
    first: 16:30 UTC is 17:30 in summer time but 16:30 in winter.

    * Email, online form, by hand, phone: that day if it is a working day and the time is at or
      before the cut-off (17:00:00 London time unless the council sets another); otherwise the
      next working day (a Friday-evening email counts from Monday, one sent before a bank
      holiday from the day after it).
    * Post: `received_at` is the posting date, and the request counts as received the day after
      posting, or on `signed_for_on` when a signed-for delivery date is recorded. The doc gives
      no working-day roll for post, so none is applied.
    """
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("received_at: an aware datetime is required")
    channel = Channel(channel)
    if signed_for_on is not None and channel is not Channel.post:
        raise ValueError("signed_for_on: only a posted request has a signed-for date")
    local = received_at.astimezone(LONDON)
    day = local.date()
    if channel is Channel.post:
        if signed_for_on is not None:
            reason = (
                f"Posted {_day(day)} and signed for {_day(signed_for_on)}: "
                "it counts from the day it was signed for."
            )
            return Receipt(local, signed_for_on, reason)
        posted = day + timedelta(days=1)
        return Receipt(
            local, posted, f"Posted {_day(day)}: a posted request counts from the day after."
        )
    if not calendar.is_working_day(day):
        counts = calendar.next_working_day(day)
        reason = f"{_day(day)} is not a working day: it counts from the next working day."
        return Receipt(local, counts, reason)
    if local.time() > cut_off:
        counts = calendar.next_working_day(day)
        reason = (
            f"Arrived after the council's {format_time(cut_off)} cut-off: "
            "it counts from the next working day."
        )
        return Receipt(local, counts, reason)
    reason = (
        f"Arrived on a working day by the council's {format_time(cut_off)} cut-off: "
        "it counts from that day."
    )
    return Receipt(local, day, reason)


def legal_received_date(
    *,
    received_at: datetime,
    channel: Channel,
    calendar: WorkingCalendar,
    signed_for_on: date | None = None,
    cut_off: time = CUT_OFF,
) -> date:
    """The date the request counts as received: `receipt(...)` without the reason."""
    return receipt(
        received_at=received_at,
        channel=channel,
        calendar=calendar,
        signed_for_on=signed_for_on,
        cut_off=cut_off,
    ).received_on
