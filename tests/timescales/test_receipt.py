"""The legal received date of a request: 5pm cut-off, working days, Europe/London, post."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from send_cms.timescales import Channel, WorkingCalendar, legal_received_date

ELECTRONIC = [Channel.email, Channel.online, Channel.hand, Channel.phone]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc, arg-type]


@pytest.fixture
def cal():
    return WorkingCalendar()


@pytest.mark.parametrize("channel", ELECTRONIC)
@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        # Summer time (BST = UTC+1): 16:00 UTC is 17:00 in London.
        (utc(2025, 9, 8, 16, 0), date(2025, 9, 8)),  # 17:00 exactly: that day
        (utc(2025, 9, 8, 16, 1), date(2025, 9, 9)),  # 17:01: next working day
        (utc(2025, 9, 8, 16, 0, 30), date(2025, 9, 9)),  # 17:00:30 is after 5pm
        (utc(2025, 9, 8, 16, 30), date(2025, 9, 9)),  # 17:30 BST
        (utc(2025, 9, 8, 8, 0), date(2025, 9, 8)),
        (utc(2025, 9, 8, 23, 30), date(2025, 9, 9)),  # 00:30 BST on Tuesday, before 5pm
        # Winter (GMT = UTC): 16:30 UTC is 16:30 in London.
        (utc(2025, 12, 1, 16, 30), date(2025, 12, 1)),
        (utc(2025, 12, 1, 17, 0), date(2025, 12, 1)),
        (utc(2025, 12, 1, 17, 1), date(2025, 12, 2)),
        # Friday evening -> Monday; weekend -> Monday.
        (utc(2025, 9, 12, 17, 0), date(2025, 9, 15)),
        (utc(2025, 9, 13, 9, 0), date(2025, 9, 15)),
        # Thursday evening before Easter 2026 -> Tuesday; on Easter Monday morning -> Tuesday.
        (utc(2026, 4, 2, 17, 0), date(2026, 4, 7)),
        (utc(2026, 4, 6, 9, 0), date(2026, 4, 7)),
        # Christmas Eve afternoon 2025 -> Monday 29 December (no Christmas relief).
        (utc(2025, 12, 24, 18, 0), date(2025, 12, 29)),
    ],
)
def test_electronic_hand_and_phone(cal, channel, received_at, expected):
    assert legal_received_date(received_at=received_at, channel=channel, calendar=cal) == expected


def test_other_time_zones_are_converted_to_london(cal):
    new_york = timezone(timedelta(hours=-4))
    received_at = datetime(2025, 9, 8, 12, 0, tzinfo=new_york)  # 17:00 BST

    assert legal_received_date(
        received_at=received_at, channel=Channel.email, calendar=cal
    ) == date(2025, 9, 8)


def test_a_council_closure_day_is_still_a_working_day():
    cal = WorkingCalendar(closures=[date(2025, 12, 29)])

    received = legal_received_date(
        received_at=utc(2025, 12, 29, 10, 0), channel=Channel.email, calendar=cal
    )

    assert received == date(2025, 12, 29)


@pytest.mark.parametrize(
    ("posted_at", "signed_for_on", "expected"),
    [
        (utc(2025, 9, 8, 10, 0), None, date(2025, 9, 9)),  # the day after posting
        (utc(2025, 9, 8, 23, 30), None, date(2025, 9, 10)),  # posted 9 Sep in London
        (utc(2025, 9, 12, 10, 0), None, date(2025, 9, 13)),  # no working-day roll for post
        (utc(2025, 9, 8, 10, 0), date(2025, 9, 11), date(2025, 9, 11)),  # signed for
    ],
)
def test_post(cal, posted_at, signed_for_on, expected):
    received = legal_received_date(
        received_at=posted_at, channel=Channel.post, calendar=cal, signed_for_on=signed_for_on
    )

    assert received == expected


def test_naive_timestamps_are_refused(cal):
    with pytest.raises(ValueError, match=r"^received_at: "):
        legal_received_date(
            received_at=datetime(2025, 9, 8, 10, 0), channel=Channel.email, calendar=cal
        )


def test_signed_for_date_only_for_post(cal):
    with pytest.raises(ValueError, match=r"^signed_for_on: "):
        legal_received_date(
            received_at=utc(2025, 9, 8, 10, 0),
            channel=Channel.email,
            calendar=cal,
            signed_for_on=date(2025, 9, 9),
        )


def test_channel_labels():
    assert Channel.online.label == "Online form"
    assert [c.value for c in Channel] == ["email", "online", "hand", "phone", "post"]
