"""Why a request counts from its legal received date, and the council's own cut-off time."""

from datetime import UTC, date, datetime, time

import pytest

from send_cms.timescales import Channel, WorkingCalendar, format_time, receipt


def london(*args: int) -> datetime:
    """A London wall-clock time in winter (GMT = UTC), so the figures read as they are."""
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc, arg-type]


CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("received_at", "channel", "signed_for_on", "cut_off", "received_on", "reason"),
    [
        (
            london(2025, 12, 5, 17, 42),  # Friday evening
            Channel.email,
            None,
            time(17, 0),
            date(2025, 12, 8),
            "Arrived after the council's 5pm cut-off: it counts from the next working day.",
        ),
        (
            london(2025, 12, 5, 16, 30),
            Channel.online,
            None,
            time(16, 0),  # a council that closes its inbox at 4pm
            date(2025, 12, 8),
            "Arrived after the council's 4pm cut-off: it counts from the next working day.",
        ),
        (
            london(2025, 12, 5, 16, 0),
            Channel.hand,
            None,
            time(16, 0),
            date(2025, 12, 5),
            "Arrived on a working day by the council's 4pm cut-off: it counts from that day.",
        ),
        (
            london(2025, 12, 6, 10, 0),
            Channel.phone,
            None,
            time(17, 0),
            date(2025, 12, 8),
            "Saturday 6 Dec 2025 is not a working day: it counts from the next working day.",
        ),
        (
            london(2025, 12, 25, 9, 0),
            Channel.email,
            None,
            time(17, 0),
            date(2025, 12, 29),
            "Thursday 25 Dec 2025 is not a working day: it counts from the next working day.",
        ),
        (
            london(2025, 12, 5, 9, 0),
            Channel.post,
            None,
            time(17, 0),
            date(2025, 12, 6),
            "Posted Friday 5 Dec 2025: a posted request counts from the day after.",
        ),
        (
            london(2025, 12, 5, 9, 0),
            Channel.post,
            date(2025, 12, 9),
            time(17, 0),
            date(2025, 12, 9),
            "Posted Friday 5 Dec 2025 and signed for Tuesday 9 Dec 2025: it counts from the day "
            "it was signed for.",
        ),
    ],
)
def test_the_received_date_comes_with_its_reason(
    received_at, channel, signed_for_on, cut_off, received_on, reason
) -> None:
    found = receipt(
        received_at=received_at,
        channel=channel,
        calendar=CAL,
        signed_for_on=signed_for_on,
        cut_off=cut_off,
    )

    assert (found.received_on, found.reason) == (received_on, reason)
    assert found.arrived_at.tzinfo is not None
    assert found.arrived_at.hour == received_at.hour  # London time: GMT in December


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (time(17, 0), "5pm"),
        (time(9, 30), "9:30am"),
        (time(12, 15), "12:15pm"),
        (time(0, 5), "12:05am"),
    ],
)
def test_times_read_the_gov_uk_way(moment: time, text: str) -> None:
    assert format_time(moment) == text
