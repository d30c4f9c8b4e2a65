"""School years and phase transfers in England, from a child's date of birth.

A child starts reception in the September after their 4th birthday (the first 1 September
strictly after it), so a child born 1 September to 31 August of the next year shares a school
year. Year N starts N Septembers after reception. Plans must be amended for a transfer between
phases: into reception, from an infant to a junior school (year 3, only when the child is at an
infant school), from primary to secondary (year 7) and from secondary school to post-16 (year 12).

The deadline itself always comes from the timescales engine (`phase_transfer_school`,
`phase_transfer_post16`, `phase_transfer_post16_other`); this module only says when a child
transfers.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models

from send_cms.timescales import add_months

SEPTEMBER = 9


class TransferKind(models.TextChoices):
    SCHOOL = "school", "Between school phases (before 15 February)"
    POST16 = "post16", "Secondary school to post-16 (before 31 March)"
    POST16_OTHER = "post16_other", "Post-16 transfer at another time (5 months before)"


#: The timescales rule that gives each kind of transfer its deadline.
RULE_FOR_KIND: dict[str, str] = {
    TransferKind.SCHOOL: "phase_transfer_school",
    TransferKind.POST16: "phase_transfer_post16",
    TransferKind.POST16_OTHER: "phase_transfer_post16_other",
}

#: School years that begin a new phase: (year group, kind, label). Year 0 is reception.
TRANSFER_YEARS: tuple[tuple[int, str, str], ...] = (
    (0, TransferKind.SCHOOL, "Starting school (reception)"),
    (3, TransferKind.SCHOOL, "Infant to junior school (year 3)"),
    (7, TransferKind.SCHOOL, "Primary to secondary school (year 7)"),
    (12, TransferKind.POST16, "Secondary school to post-16 (year 12)"),
)
INFANT_TO_JUNIOR_YEAR = 3
LAST_SCHOOL_YEAR = 13


@dataclass(frozen=True)
class Transfer:
    kind: str
    on: dt.date
    into_year: int | None
    label: str

    @property
    def rule(self) -> str:
        return RULE_FOR_KIND[self.kind]


def reception_year(date_of_birth: dt.date) -> int:
    """The calendar year in which the child starts reception."""
    return date_of_birth.year + (5 if date_of_birth.month >= SEPTEMBER else 4)


def academic_year_start(on: dt.date) -> dt.date:
    """1 September of the school year containing `on`."""
    year = on.year if on.month >= SEPTEMBER else on.year - 1
    return dt.date(year, SEPTEMBER, 1)


def year_group(date_of_birth: dt.date, on: dt.date) -> int:
    """The school year on a date: 0 reception, 1 to 13, negative before school."""
    return academic_year_start(on).year - reception_year(date_of_birth)


def year_group_label(group: int) -> str:
    if group < 0:
        return "Early years"
    if group == 0:
        return "Reception"
    if group <= LAST_SCHOOL_YEAR:
        return f"Year {group}"
    return "Post-school"


def transfers(date_of_birth: dt.date, *, infant_school: bool) -> list[Transfer]:
    """Every phase transfer of a child, in date order."""
    start = reception_year(date_of_birth)
    found = []
    for year, kind, label in TRANSFER_YEARS:
        if year == INFANT_TO_JUNIOR_YEAR and not infant_school:
            continue
        found.append(Transfer(kind, dt.date(start + year, SEPTEMBER, 1), year, label))
    return found


def next_transfer(
    date_of_birth: dt.date, *, after: dt.date, infant_school: bool
) -> Transfer | None:
    """The first transfer strictly after `after`, or None when the child has made them all."""
    for transfer in transfers(date_of_birth, infant_school=infant_school):
        if transfer.on > after:
            return transfer
    return None


def transfer_in_september(
    date_of_birth: dt.date, year: int, *, infant_school: bool
) -> Transfer | None:
    """The child's transfer on 1 September of `year`, if they make one then."""
    for transfer in transfers(date_of_birth, infant_school=infant_school):
        if transfer.on.year == year:
            return transfer
    return None


def amendment_window_start(transfer_on: dt.date) -> dt.date:
    """An amended plan counts for a transfer if issued in the 12 months before it."""
    return add_months(transfer_on, -12)


def is_infant_setting(setting_phase: str, setting_name: str) -> bool:
    """An infant school (reception to year 2), judged from the setting's phase or name."""
    return "infant" in f"{setting_phase} {setting_name}".lower()
