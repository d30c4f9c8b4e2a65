"""The demo's settings, and where each child is educated over time.

A child starts in a setting that suits their school year and need, then moves on at each phase
transfer (reception, year 7, year 12) that has happened: from the nursery into school, from a
primary to the local secondary, from school to the college. Special schools keep their pupils.
"""

import datetime as dt
import random

from django.conf import settings

from cases import services
from cases.codes import EstablishmentKind as K
from cases.codes import SenSetting, SenType
from cases.demo import data
from cases.models import Establishment
from send_cms.accounts.actor import Actor

Setting = Establishment | str  # an establishment, or a SEN2 SENsetting code
#: (date the setting began, setting): the first row is where the child was when first known.
Path = list[tuple[dt.date, Setting]]
SEPTEMBER = 9
#: The school years that start a phase, and the rule giving the plan's amendment deadline.
TRANSFERS = (
    (0, "phase_transfer_school"),
    (7, "phase_transfer_school"),
    (12, "phase_transfer_post16"),
)


def reception_year(born: dt.date) -> int:
    """The calendar year the child starts reception (the September after turning 4)."""
    return born.year + (5 if born.month >= SEPTEMBER else 4)


def year_group(born: dt.date, on: dt.date) -> int:
    """The school year on a date: 0 reception, negative before school, 12 and 13 post-16."""
    return (on.year if on.month >= SEPTEMBER else on.year - 1) - reception_year(born)


def transfers(born: dt.date) -> list[tuple[dt.date, int, str]]:
    """Each phase transfer: the 1 September it happens, the year it starts, its rule."""
    start = reception_year(born)
    return [(dt.date(start + year, SEPTEMBER, 1), year, rule) for year, rule in TRANSFERS]


def in_north(postcode: str) -> bool:
    """Postcode districts DB1-DB4 are the north team's patch."""
    return int(postcode.split()[0][2:]) in data.NORTH_DISTRICTS


def setting_on(path: Path, day: dt.date) -> Setting:
    """Where the child was on `day` (their first setting for any day before it)."""
    found = path[0][1]
    for since, setting in path:
        if since <= day:
            found = setting
    return found


class Schools:
    """The demo's establishments (made once, found again on a second run)."""

    def __init__(self, actor: Actor | None) -> None:
        self.all = [self._establishment(actor, *row) for row in data.ESTABLISHMENTS]
        self.by_kind: dict[str, list[Establishment]] = {}
        for establishment in self.all:
            self.by_kind.setdefault(establishment.kind, []).append(establishment)

    @staticmethod
    def _establishment(
        actor: Actor | None, name: str, kind: str, phase: str, urn: str, ukprn: str, postcode: str
    ) -> Establishment:
        found = Establishment.objects.filter(urn=urn) if urn else None
        existing = found if found is not None else Establishment.objects.filter(ukprn=ukprn)
        return existing.first() or services.establishment_create(
            actor=actor,
            name=name,
            kind=kind,
            phase=phase,
            urn=urn,
            ukprn=ukprn,
            la_code=settings.LA_CODE,
            postcode=postcode,
        )

    def one(self, kind: str) -> Establishment:
        return self.by_kind[kind][0]

    def local_secondary(self, postcode: str) -> Establishment:
        """The mainstream secondary school of the child's half of the borough."""
        return next(
            e
            for e in self.by_kind[K.MAINSTREAM]
            if e.phase == "Secondary" and in_north(e.postcode) == in_north(postcode)
        )

    def like(self, setting: Establishment, rng: random.Random) -> Establishment:
        """Another setting of the same kind, to consult alongside the family's preference."""
        alike = [e for e in self.all if e.kind == setting.kind and e != setting]
        return rng.choice(alike or self.by_kind[K.SPECIAL])

    def first_setting(self, rng: random.Random, group: int, need: str, postcode: str) -> Setting:
        """Where a child in this school year, with this need, is educated."""
        roll = rng.random()
        if group < 0:
            return self.one(K.EARLY_YEARS)
        if group >= 12:
            special = need in data.SPECIAL_NEEDS or roll < 0.2
            return self.one(K.SPECIAL) if special else self.one(K.FURTHER_EDUCATION)
        primary = group < 7
        complex_needs = need in (SenType.ASD, SenType.SEMH)
        if need in data.SPECIAL_NEEDS or (complex_needs and roll < 0.18):
            return self.one(K.SPECIAL) if primary else rng.choice(self.by_kind[K.SPECIAL])
        if complex_needs and roll < 0.24:
            return self.one(K.INDEPENDENT_SPECIAL)
        if need == SenType.SEMH and not primary and roll < 0.32:
            return SenSetting.OLA if roll < 0.28 else self.one(K.ALTERNATIVE_PROVISION)
        if need in (SenType.ASD, SenType.SLCN) and primary and roll < 0.32:
            return self.one(K.RESOURCED_PROVISION)
        if not primary:
            return self.local_secondary(postcode)
        return rng.choice([e for e in self.by_kind[K.MAINSTREAM] if e.phase == "Primary"])

    def moving_on(
        self, rng: random.Random, setting: Setting, group: int, need: str, postcode: str
    ) -> Setting:
        """The setting after the move into `group` (the same one if it keeps the child on)."""
        kind = setting.kind if isinstance(setting, Establishment) else ""
        if group == 0 and kind == K.EARLY_YEARS:
            return self.first_setting(rng, 0, need, postcode)
        if group == 7 and isinstance(setting, Establishment) and setting.phase == "Primary":
            return self.local_secondary(postcode)
        if group == 12 and (kind in (K.MAINSTREAM, K.ALTERNATIVE_PROVISION) or kind == ""):
            return self.one(K.FURTHER_EDUCATION)
        return setting

    def path(
        self,
        rng: random.Random,
        *,
        born: dt.date,
        since: dt.date,
        until: dt.date,
        need: str,
        postcode: str,
    ) -> Path:
        """The child's settings from `since`, with the moves planned up to `until`."""
        setting = self.first_setting(rng, year_group(born, since), need, postcode)
        path: Path = [(since, setting)]
        for moves_on, group, _rule in transfers(born):
            if since < moves_on <= until:
                setting = self.moving_on(rng, setting, group, need, postcode)
                path.append((moves_on, setting))
        return path
