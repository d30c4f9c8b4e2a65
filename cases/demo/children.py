"""The demo's children: who they are, where they live and learn, and who holds their case.

Made through the casework services (`child_create`, `contact_add`, `child_reallocate`), so the
duplicate checks, the allocation history, the audit trail and the timeline are the real ones.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from cases import services
from cases.codes import Channel, RequestSource, UpnUnknown
from cases.demo import data
from cases.demo.schools import Path, Schools, in_north, setting_on
from cases.demo.stories import Story
from cases.models import Child, Establishment
from cases.validators import uln_check_digit, upn_check_letter

LONDON = ZoneInfo("Europe/London")
DAY = dt.timedelta(days=1)


def pick(rng: random.Random, weighted: Any) -> Any:
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights)[0]


@dataclass
class Case:
    """A child just made, and what their journey needs to know about them."""

    child: Child
    caseworker: Any
    received: dt.date
    need: str
    path: Path


class Caseload:
    """What every demo child shares: the users, today, the calendar, the settings, the counts."""

    def __init__(self, *, users: dict[str, Any], today: dt.date) -> None:
        self.users, self.today = users, today
        self.manager = users["manager"]
        self.calendar = services.working_calendar()
        self.schools = Schools(users["admin"])
        self.counts: Counter[str] = Counter()

    def working_day_on_or_before(self, day: dt.date) -> dt.date:
        while not self.calendar.is_working_day(day):
            day -= DAY
        return day

    def child(self, story: Story, rng: random.Random) -> Case:
        """One child and their contacts; an earlier refused request for some."""
        received = self.working_day_on_or_before(self.today - DAY * story.today)
        earlier = None
        if story.journey in ("received", "assessing") and rng.random() < 0.15:
            earlier = self.working_day_on_or_before(received - DAY * rng.randint(240, 540))
        known_since = earlier or received
        sex = rng.choice("MF")
        need = pick(rng, data.NEEDS)
        low, high = pick(rng, data.AGE_BANDS)
        age = max(rng.randint(low, high), (self.today - known_since).days // 365 + 2)
        born = self.today - DAY * (365 * age + rng.randint(0, 364))
        letters = "".join(rng.choices(data.POSTCODE_LETTERS, k=2))
        postcode = f"DB{rng.randint(1, 8)} {rng.randint(1, 9)}{letters}"
        path = self.schools.path(
            rng,
            born=born,
            since=known_since,
            until=self.today + dt.timedelta(days=365),  # next September's move is planned
            need=need,
            postcode=postcode,
        )
        north = in_north(postcode)
        local = self.users["caseworker" if north else "caseworker2"]
        other = self.users["caseworker2" if north else "caseworker"]
        moved = rng.random() < 0.04  # opened by the other team, then moved to the local one
        first, last = rng.choice(data.FIRST_NAMES[sex]), rng.choice(data.LAST_NAMES)
        for _ in range(5):  # two demo children may share a name: then born on another day
            if not services.find_possible_duplicates(
                first_name=first, last_name=last, date_of_birth=born
            ):
                break
            born -= DAY
        ids = identifiers(story.n, rng, age)
        current = setting_on(path, self.today)
        child = services.child_create(
            actor=other if moved else local,
            reference=f"{settings.LA_CODE}-{known_since.year}-{story.n:05d}",
            first_name=first,
            last_name=last,
            date_of_birth=born,
            sex=sex,
            ethnicity=pick(rng, data.ETHNICITIES),
            upn=ids["upn"],
            uln=ids["uln"],
            upn_unknown=ids["upn_unknown"],
            postcode=postcode,
            current_setting=current if isinstance(current, Establishment) else None,
            caseworker=other if moved else local,
            opened_on=known_since,  # the case opened with its first request, as its reference says
        )
        self._contacts(child, rng)
        if moved:
            services.child_reallocate(
                actor=self.manager, child=child, caseworker=local, reason=data.REALLOCATION
            )
        if earlier is not None:
            self._refused_before(child, earlier, rng, local, setting_on(path, earlier))
        self.counts["children"] += 1
        return Case(child=child, caseworker=local, received=received, need=need, path=path)

    def _contacts(self, child: Child, rng: random.Random) -> None:
        for i in range(2 if rng.random() < 0.4 else 1):
            relationship = "Father" if i else pick(rng, data.RELATIONSHIPS)
            first = rng.choice(data.FIRST_NAMES["M" if relationship == "Father" else "F"])
            family = relationship in ("Mother", "Father")
            last = child.last_name if family else rng.choice(data.LAST_NAMES)
            services.contact_add(
                actor=child.caseworker,
                child=child,
                name=f"{first} {last}",
                relationship=relationship,
                email=f"{first}.{last}{child.reference[-3:]}@example.invalid".lower(),
                phone=f"07700 900{rng.randint(0, 999):03d}",
                address=f"{rng.randint(1, 180)} {rng.choice(data.STREETS)}, Demo Borough, "
                f"{child.postcode}",
                preferred_contact=pick(rng, data.PREFERENCES),
            )

    def _refused_before(
        self, child: Child, received: dt.date, rng: random.Random, actor: Any, setting: Any
    ) -> None:
        """An earlier request the council decided not to assess: the family has asked again."""
        school = setting.name if isinstance(setting, Establishment) else "the setting"
        request = services.assessment_request_create(
            actor=actor,
            child=child,
            received_at=dt.datetime.combine(received, dt.time(10, 15), tzinfo=LONDON),
            channel=Channel.EMAIL,
            source=RequestSource.SCHOOL,
            requester_name=f"SENCO, {school}",
        )
        decided = request.received_on + DAY * rng.randint(25, data.DECISION_DAYS)
        services.assessment_request_decide(
            actor=actor,
            request=request,
            decision="not_assess",
            decided_on=decided,
            reasons=data.ASSESS_REASONS["not_assess"],
            letter_sent_on=decided + DAY,
        )
        self.counts["earlier requests refused"] += 1


def identifiers(n: int, rng: random.Random, age: int) -> dict[str, str]:
    """A valid UPN (with its check letter) unique to n, a ULN from 14, UN1 for most under 5s."""
    found = {"upn": "", "uln": "", "upn_unknown": ""}
    if age < 5 and rng.random() < 0.7:
        return found | {"upn_unknown": UpnUnknown.UN1}
    la = str(settings.LA_CODE) if str(settings.LA_CODE).isdigit() else "999"
    body = f"{la[:3]:0>3}{(n * 7919) % 10**9:09d}"  # 7919 is prime to 10**9: one UPN per n
    found["upn"] = upn_check_letter(body) + body
    if age >= 14:
        stem = 100_000_000 + (n * 104_729) % 800_000_000
        while (check := uln_check_digit(f"{stem:09d}")) is None:
            stem += 1
        found["uln"] = f"{stem:09d}{check}"
    return found
