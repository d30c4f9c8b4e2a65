"""The legal received date of a request for an EHC needs assessment.

The statutory clock starts on the day the council receives the request, so the date must be
derived the same way every time from what was stored (the timestamp and the channel); a manager
may override it with a recorded reason, which is the caller's business.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from send_cms.timescales.calendar import WorkingCalendar

LONDON = ZoneInfo("Europe/London")
#: Received at or before this local time on a working day counts as that day.
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


def legal_received_date(
    *,
    received_at: datetime,
    channel: Channel,
    calendar: WorkingCalendar,
    signed_for_on: date | None = None,
) -> date:
    """The date the request counts as received (timescales.md section 1, last bullet).

    Dates are calendar dates in Europe/London, so `received_at` (aware, any zone) is converted
    first: 16:30 UTC is 17:30 in summer time but 16:30 in winter.

    * Email, online form, by hand, phone: that day if it is a working day and the time is at or
      before 17:00:00 London time; otherwise the next working day (a Friday-evening email counts
      from Monday, one sent before a bank holiday from the day after it).
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
    if channel is Channel.post:
        if signed_for_on is not None:
            return signed_for_on
        return local.date() + timedelta(days=1)
    day = local.date()
    if calendar.is_working_day(day) and local.time() <= CUT_OFF:
        return day
    return calendar.next_working_day(day)
