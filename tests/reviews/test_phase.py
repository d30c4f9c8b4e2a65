"""School years and phase transfers from the date of birth; deadlines from the engine."""

import datetime as dt

import pytest

from reviews import phase
from send_cms.timescales import compute

D = dt.date


@pytest.mark.parametrize(
    ("born", "reception"),
    [
        (D(2020, 8, 31), 2024),  # 4 on 31 Aug 2024: starts the next day
        (D(2020, 9, 1), 2025),  # 4 on 1 Sep 2024: the September *after* the birthday is 2025
        (D(2021, 1, 15), 2025),
        (D(2020, 2, 29), 2024),
    ],
)
def test_reception_starts_the_september_after_the_fourth_birthday(born, reception) -> None:
    assert phase.reception_year(born) == reception


@pytest.mark.parametrize(
    ("on", "group", "label"),
    [
        (D(2024, 8, 31), -1, "Early years"),
        (D(2024, 9, 1), 0, "Reception"),
        (D(2025, 7, 1), 0, "Reception"),
        (D(2030, 9, 1), 6, "Year 6"),
        (D(2037, 1, 1), 12, "Year 12"),
        (D(2038, 9, 1), 14, "Post-school"),
    ],
)
def test_year_group(on, group, label) -> None:
    born = D(2020, 8, 31)
    assert phase.year_group(born, on) == group
    assert phase.year_group_label(group) == label


def test_transfers_are_reception_year_7_and_year_12_and_year_3_only_from_an_infant_school() -> None:
    born = D(2015, 1, 10)  # reception Sep 2019
    plain = phase.transfers(born, infant_school=False)
    assert [(t.on, t.into_year, t.kind) for t in plain] == [
        (D(2019, 9, 1), 0, "school"),
        (D(2026, 9, 1), 7, "school"),
        (D(2031, 9, 1), 12, "post16"),
    ]
    infant = phase.transfers(born, infant_school=True)
    assert (D(2022, 9, 1), 3, "school") in [(t.on, t.into_year, t.kind) for t in infant]


def test_a_september_2026_transfer_to_secondary_is_due_by_14_february() -> None:
    born = D(2015, 1, 10)  # year 6 in 2025/26
    transfer = phase.next_transfer(born, after=D(2025, 9, 1), infant_school=False)
    assert transfer is not None
    assert transfer.on == D(2026, 9, 1)
    assert transfer.label == "Primary to secondary school (year 7)"
    due = compute(transfer.rule, transfer.on)
    assert due.due == D(2026, 2, 14)  # the last compliant day of "before 15 February"
    assert due.statutory_date == D(2026, 2, 15)
    assert due.practical_target == D(2026, 2, 13)  # 14 Feb 2026 is a Saturday


def test_a_september_2026_transfer_to_post16_is_due_by_30_march() -> None:
    born = D(2010, 5, 5)  # year 11 in 2025/26
    transfer = phase.transfer_in_september(born, 2026, infant_school=False)
    assert transfer is not None
    assert transfer.kind == "post16"
    assert compute(transfer.rule, transfer.on).due == D(2026, 3, 30)


def test_a_post16_transfer_at_another_time_is_due_5_months_before() -> None:
    assert compute(phase.RULE_FOR_KIND["post16_other"], D(2027, 7, 31)).due == D(2027, 2, 28)


def test_no_transfer_after_year_12() -> None:
    assert phase.next_transfer(D(2005, 1, 1), after=D(2022, 1, 1), infant_school=False) is None


def test_infant_settings_are_recognised_by_phase_or_name() -> None:
    assert phase.is_infant_setting("Infant", "Hill School")
    assert phase.is_infant_setting("Primary", "Brook Infant School")
    assert not phase.is_infant_setting("Primary", "Brook Primary School")
