"""The reporting benchmark's datasets (not a benchmark itself: run.py skips `_` files).

A council's six years of casework, made straight into the tables with PostgreSQL's COPY from
rows generated here with a seeded random, so every build is the same. Not through the services:
they audit, write the timeline and queue a deadline recompute per step, hours of work for a
council's history, and the figures only read the dated columns. Every row keeps to the tables'
CHECK and unique constraints (the database refuses it otherwise), and dates follow the law's
order: a decision after the request, the final plan at least 15 days after the draft, a review
decision after its meeting, an appeal's outcome after it was received.

Rows are buffered per table and written table by table in foreign-key order whenever a buffer
fills, so a row's parent is always in the database before it; memory stays small even for the
national dataset.
"""

import datetime as dt
import heapq
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models

from cases.codes import AdviceKind, CeaseReason, EstablishmentKind, RequestSource, SenSetting
from cases.models import (
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    Child,
    Establishment,
    IssueDecision,
    Placement,
    Plan,
    PlanStatus,
    RequestStatus,
    TimescaleException,
)
from reviews.models import AnnualReview, Decision, ReviewStatus
from reviews.phase import RULE_FOR_KIND, TransferKind
from send_cms.accounts.roles import Role
from send_cms.accounts.services import user_create_or_update
from send_cms.deadlines.models import Deadline
from send_cms.timescales import RULES, deadline_status
from send_cms.timescales.counting import add_months
from tribunals.codes import (
    ORDER_RULES,
    SECTION_APPEALS,
    AppealStatus,
    AppealType,
    CertificateKind,
    DecisionType,
    MediationOutcome,
    OrderKind,
    Outcome,
)
from tribunals.models import Appeal, ComplianceStep, Mediation, Order

#: Bump when the generator changes: a kept database built by another version is built again.
VERSION = 1
#: The data runs to the end of November 2026 (the last complete month when this was written):
#: six years of history from 1 December 2020. Fixed, so every build gives the same figures.
END = dt.date(2026, 11, 30)
START = dt.date(2020, 12, 1)
BUILT_AT = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
#: Rows buffered per table before the buffers are written.
FLUSH_ROWS = 20_000
MARKER_TABLE = "benchmark_dataset"


@dataclass(frozen=True)
class Scale:
    """What one dataset holds; `name` is its database's suffix."""

    name: str
    label: str
    #: Plans in force at END, exactly.
    in_force: int
    #: Requests for assessment received over the six years (about; the months grow).
    requests: int
    #: Plans ceased over the six years, as a share of the plans in force at END.
    ceased_ratio: float = 0.46
    #: The advice asked for in each assessment, with the share of assessments asking for it.
    advice: tuple[tuple[str, float], ...] = (
        (AdviceKind.EDUCATIONAL, 1.0),
        (AdviceKind.PSYCHOLOGICAL, 1.0),
        (AdviceKind.HEALTH, 0.93),
        (AdviceKind.SOCIAL_CARE, 0.72),
    )
    reviews: bool = True
    deadlines: bool = True
    caseworkers: int = 60
    seed: int = 2026

    def fingerprint(self) -> str:
        return json.dumps({"version": VERSION, **asdict(self)}, sort_keys=True, default=str)


COUNCIL = Scale(
    name="", label="council (Kent-sized)", in_force=21_000, requests=30_000, caseworkers=60
)
TENTH = Scale(
    name="_tenth", label="a tenth of the council", in_force=2_100, requests=3_000, caseworkers=6
)
#: England: 640,000 plans in force. Requests are thinner than England's (about 150,000 a year)
#: and only educational psychology advice is asked for; no annual reviews or stored deadlines.
NATIONAL = Scale(
    name="_national",
    label="national (England-sized plans)",
    in_force=640_000,
    requests=240_000,
    advice=((AdviceKind.PSYCHOLOGICAL, 1.0),),
    reviews=False,
    deadlines=False,
    caseworkers=60,
)


# --- writing rows ---------------------------------------------------------------------------------
def _text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, dt.date):  # dates and datetimes
        return value.isoformat()
    return str(value)  # int, Decimal, UUID


_MISSING = object()


class Table:
    """One table's buffered rows in COPY text format; columns not given take the field default."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not isinstance(f, models.AutoField | models.BigAutoField)
        ]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = BUILT_AT
            elif f.primary_key:
                self.defaults[f.attname] = _MISSING
            elif f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField):
                self.defaults[f.attname] = ""
            else:
                self.defaults[f.attname] = _MISSING
        self.lines: list[str] = []
        self.written = 0

    def add(self, **values: Any) -> None:
        unknown = set(values) - set(self.defaults)
        if unknown:
            raise KeyError(f"{self.model.__name__} has no column {', '.join(sorted(unknown))}")
        row = []
        for name, default in self.defaults.items():
            value = values.get(name, default)
            if value is _MISSING:
                raise KeyError(f"{self.model.__name__}.{name} needs a value")
            row.append(_text(value))
        self.lines.append("\t".join(row))

    def flush(self) -> None:
        if not self.lines:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        sql = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write("\n".join(self.lines) + "\n")
        self.written += len(self.lines)
        self.lines = []


class Tables:
    """Every table the dataset fills, flushed together in foreign-key order."""

    ORDER: tuple[type[models.Model], ...] = (
        Child,
        AssessmentRequest,
        Plan,
        Placement,
        AdviceRequest,
        TimescaleException,
        AnnualReview,
        Mediation,
        Appeal,
        Order,
        ComplianceStep,
        Deadline,
    )

    def __init__(self, progress: Callable[[str], None]) -> None:
        self.tables = {model: Table(model) for model in self.ORDER}
        self.progress = progress
        self.began = time.perf_counter()
        self.reported = 0

    def add(self, model: type[models.Model], **values: Any) -> None:
        table = self.tables[model]
        table.add(**values)
        if len(table.lines) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for model in self.ORDER:
            self.tables[model].flush()
        written = sum(table.written for table in self.tables.values())
        if written - self.reported >= 500_000:
            self.reported = written
            seconds = time.perf_counter() - self.began
            self.progress(f"  {written:,} rows in {seconds:.0f} s")

    def counts(self) -> dict[str, int]:
        return {model._meta.label: table.written for model, table in self.tables.items()}


# --- the simulation ---------------------------------------------------------------------------
def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


SOURCES = (
    (RequestSource.PARENT_OR_YOUNG_PERSON, 45),
    (RequestSource.SCHOOL, 40),
    (RequestSource.HEALTH, 8),
    (RequestSource.SOCIAL_CARE, 4),
    (RequestSource.OTHER, 3),
)
NEEDS = (
    ("ASD", 31),
    ("SLCN", 20),
    ("SEMH", 17),
    ("MLD", 8),
    ("SPLD", 4),
    ("SLD", 4),
    ("PD", 3),
    ("OTH", 3),
    ("HI", 2),
    ("VI", 1),
    ("PMLD", 1),
    ("DS", 1),
    ("MSI", 0.2),
)
CEASE_REASONS = (
    (CeaseReason.MAXIMUM_AGE, 20),
    (CeaseReason.NEEDS_MET, 14),
    (CeaseReason.HIGHER_EDUCATION, 6),
    (CeaseReason.PAID_EMPLOYMENT, 6),
    (CeaseReason.MOVED_LA_ENGLAND, 22),
    (CeaseReason.NO_LONGER_ENGAGES, 10),
    (CeaseReason.MOVED_OUTSIDE_ENGLAND, 3),
    (CeaseReason.DECEASED, 1),
    (CeaseReason.OTHER, 18),
)
#: Where children with plans are educated (DSG categories), and the settings' own mix.
PLACEMENT_KINDS = (
    (EstablishmentKind.MAINSTREAM, 44),
    (EstablishmentKind.SPECIAL, 25),
    (EstablishmentKind.INDEPENDENT_SPECIAL, 8),
    (EstablishmentKind.RESOURCED_PROVISION, 6),
    (EstablishmentKind.FURTHER_EDUCATION, 10),
    (EstablishmentKind.ALTERNATIVE_PROVISION, 2),
    (EstablishmentKind.EARLY_YEARS, 5),
)
ESTABLISHMENTS = (
    (EstablishmentKind.MAINSTREAM, 480),
    (EstablishmentKind.SPECIAL, 30),
    (EstablishmentKind.INDEPENDENT_SPECIAL, 40),
    (EstablishmentKind.RESOURCED_PROVISION, 30),
    (EstablishmentKind.FURTHER_EDUCATION, 20),
    (EstablishmentKind.ALTERNATIVE_PROVISION, 10),
    (EstablishmentKind.EARLY_YEARS, 40),
)
ANNUAL_COST = {
    EstablishmentKind.MAINSTREAM: 6_000,
    EstablishmentKind.SPECIAL: 24_000,
    EstablishmentKind.INDEPENDENT_SPECIAL: 60_000,
    EstablishmentKind.RESOURCED_PROVISION: 14_000,
    EstablishmentKind.FURTHER_EDUCATION: 9_000,
    EstablishmentKind.ALTERNATIVE_PROVISION: 18_000,
    EstablishmentKind.EARLY_YEARS: 5_000,
}
#: Mean days from request for advice to advice received, by kind (educational psychology is
#: the slowest, as councils report).
ADVICE_DAYS: dict[str, tuple[int, int]] = {
    AdviceKind.EDUCATIONAL: (30, 8),
    AdviceKind.PSYCHOLOGICAL: (44, 13),
    AdviceKind.HEALTH: (36, 10),
    AdviceKind.SOCIAL_CARE: (40, 14),
    AdviceKind.OTHER: (35, 10),
}
#: Days from an order to each of its steps (regulation 44, rounded to whole weeks).
ORDER_DAYS = {
    "order_cease": 35,
    "order_assess_notify": 28,
    "order_assess_no_plan": 70,
    "order_assess_final": 98,
    "order_make_plan_draft": 35,
    "order_make_plan_final": 77,
    "order_amend": 35,
    "order_name_school": 35,
    "order_continue": 35,
}
ORDER_FOR_APPEAL: dict[str, str] = {
    AppealType.REFUSAL_TO_ASSESS: OrderKind.ASSESS,
    AppealType.REFUSAL_TO_ISSUE: OrderKind.MAKE_PLAN,
    AppealType.CONTENTS: OrderKind.AMEND,
    AppealType.REFUSAL_TO_AMEND: OrderKind.AMEND,
    AppealType.CEASE: OrderKind.CONTINUE,
}
MEDIATION_TYPE: dict[str, str] = {
    AppealType.REFUSAL_TO_ASSESS: DecisionType.REFUSAL_TO_ASSESS,
    AppealType.REFUSAL_TO_ISSUE: DecisionType.REFUSAL_TO_ISSUE,
    AppealType.CONTENTS: DecisionType.PLAN_CONTENTS,
    AppealType.REFUSAL_TO_AMEND: DecisionType.PLAN_CONTENTS,
    AppealType.CEASE: DecisionType.CEASE,
}


@dataclass
class Request:
    """One simulated request: its columns, and what the rest of the build needs of it."""

    columns: dict[str, Any]
    child: uuid.UUID
    caseworker: int


@dataclass
class PlanSeed:
    """A plan before its cease is chosen: issued on `issued`, from request `request` (or None)."""

    issued: dt.date
    request: Request | None = None
    transferred_from: str = ""
    ceased: dt.date | None = field(default=None)


class Builder:
    """Generates one dataset's rows (seeded: the same scale gives the same rows)."""

    def __init__(
        self,
        scale: Scale,
        *,
        caseworkers: list[int],
        settings: dict[str, list[Any]],
        progress: Callable[[str], None],
    ):
        self.scale = scale
        self.rng = random.Random(scale.seed)
        self.caseworkers = caseworkers
        self.settings = settings
        self.tables = Tables(progress)
        self.children = 0
        self.span = (END - START).days

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def trend(self, day: dt.date) -> float:
        """0 at the start of the six years, 1 at their end (practice improves over time)."""
        return min(max((day - START).days / self.span, 0.0), 1.0)

    # --- children ---
    def child(self, *, born: dt.date) -> tuple[uuid.UUID, int]:
        n = self.children
        self.children += 1
        child_id = self.new_id()
        caseworker = self.rng.choice(self.caseworkers)
        self.tables.add(
            Child,
            id=child_id,
            reference=f"BR{n:07d}",
            first_name=f"Child{n}",
            last_name=f"Family{n % 997}",
            date_of_birth=born,
            sex="MF"[n % 2],
            upn_unknown="UN5",
            caseworker_id=caseworker,
        )
        return child_id, caseworker

    def birth_date(self, *, on: dt.date) -> dt.date:
        age = _weighted(self.rng, ((2, 12), (4, 14), (7, 25), (10, 20), (13, 17), (16, 9), (19, 3)))
        return _days(on, -int((age + self.rng.random() * 3) * 365.25))

    # --- requests ---
    def received_days(self) -> Iterable[dt.date]:
        """The requests' received dates: monthly numbers growing by 80% over the six years."""
        months = [add_months(START, k) for k in range(72)]
        weights = [1 + 0.8 * k / 71 for k in range(72)]
        total = sum(weights)
        for first, weight in zip(months, weights, strict=True):
            count = round(self.scale.requests * weight / total)
            length = (add_months(first, 1) - first).days
            for _ in range(count):
                yield _days(first, self.rng.randrange(length))

    def request(self, received: dt.date) -> Request:
        rng, t = self.rng, self.trend(received)
        child, caseworker = self.child(born=self.birth_date(on=received))
        c: dict[str, Any] = {
            "id": self.new_id(),
            "child_id": child,
            "status": RequestStatus.RECEIVED,
            "received_at": dt.datetime.combine(received, dt.time(10), tzinfo=dt.UTC),
            "received_on": received,
            "channel": "email",
            "source": _weighted(rng, SOURCES),
        }
        request = Request(c, child, caseworker)
        if rng.random() < 0.03:  # withdrawn before the decision
            withdrawn = _days(received, rng.randint(3, 35))
            if withdrawn <= END:
                c.update(status=RequestStatus.WITHDRAWN, withdrawn_on=withdrawn)
            return request
        decided = _days(received, max(7, int(rng.gauss(38 - 8 * t, 8))))
        if decided > END:
            return request
        if rng.random() < 0.24:
            c.update(
                status=RequestStatus.NOT_ASSESSING,
                decision=AssessmentDecision.NOT_ASSESS,
                decided_on=decided,
            )
            return request
        c.update(
            status=RequestStatus.ASSESSING, decision=AssessmentDecision.ASSESS, decided_on=decided
        )
        ended = rng.random()
        if ended < 0.03:  # withdrawn or moved away during the assessment
            day = _days(decided, rng.randint(10, 80))
            if day <= END and ended < 0.02:
                c.update(status=RequestStatus.WITHDRAWN, withdrawn_on=day)
            elif day <= END:
                c.update(
                    status=RequestStatus.TRANSFERRED_OUT,
                    transferred_out_on=day,
                    transferred_to_la="886",
                )
            return request
        issue_decided = _days(decided, max(14, int(rng.gauss(98 - (decided - received).days, 10))))
        if issue_decided > END:
            return request
        if rng.random() < 0.07:
            c.update(
                status=RequestStatus.NOT_ISSUING,
                issue_decision=IssueDecision.NOT_ISSUE,
                issue_decided_on=issue_decided,
            )
            return request
        c.update(
            status=RequestStatus.ISSUING,
            issue_decision=IssueDecision.ISSUE,
            issue_decided_on=issue_decided,
        )
        draft = _days(issue_decided, rng.randint(0, 7))
        if draft > END:
            return request
        c.update(status=RequestStatus.DRAFT_ISSUED, draft_issued_on=draft)
        final = _days(draft, 15 + int(rng.expovariate(1 / (55 - 35 * t))))
        if final <= END:
            c.update(status=RequestStatus.FINAL_ISSUED, final_issued_on=final)
        return request

    def request_rows(self, request: Request) -> None:
        """The request and what hangs off it: advice, exceptions, deadlines, appeals."""
        rng, c = self.rng, request.columns
        self.tables.add(AssessmentRequest, **c)
        decided: dt.date = c.get("decided_on") or c["received_on"]
        if c.get("final_issued_on") is not None and rng.random() < 0.06:
            starts = _days(decided, 20)
            self.tables.add(
                TimescaleException,
                id=self.new_id(),
                request_id=c["id"],
                kind=_weighted(
                    rng,
                    (
                        ("personal_circumstances", 5),
                        ("school_closure", 3),
                        ("absence_from_area", 2),
                    ),
                ),
                rule="final_plan",
                starts_on=starts,
                ends_on=_days(starts, rng.randint(10, 40)),
            )
        if c.get("decision") == AssessmentDecision.ASSESS:
            self.advice(request)
        if self.scale.deadlines:
            self.request_deadlines(request)
        if c.get("decision") == AssessmentDecision.NOT_ASSESS and rng.random() < 0.07:
            self.dispute(
                AppealType.REFUSAL_TO_ASSESS,
                notice=_days(decided, rng.randint(1, 5)),
                child=request.child,
                request=c["id"],
            )
        if c.get("issue_decision") == IssueDecision.NOT_ISSUE and rng.random() < 0.2:
            self.dispute(
                AppealType.REFUSAL_TO_ISSUE,
                notice=_days(c["issue_decided_on"], rng.randint(1, 5)),
                child=request.child,
                request=c["id"],
            )

    def advice(self, request: Request) -> None:
        rng, c = self.rng, request.columns
        requested = _days(c["decided_on"], rng.randint(0, 3))
        if requested > END:
            return
        for kind, share in self.scale.advice:
            if rng.random() >= share:
                continue
            mean, spread = ADVICE_DAYS[kind]
            if kind == AdviceKind.PSYCHOLOGICAL:
                mean -= int(10 * self.trend(requested))
            received: dt.date | None = _days(requested, max(3, int(rng.gauss(mean, spread))))
            returned = re_received = None
            if received is not None and received > END:
                received = None
            if received is not None and rng.random() < 0.03:
                returned = _days(received, rng.randint(1, 7))
                re_received = _days(returned, rng.randint(3, 14))
                returned = returned if returned <= END else None
                re_received = re_received if returned and re_received <= END else None
            advice_id = self.new_id()
            self.tables.add(
                AdviceRequest,
                id=advice_id,
                request_id=c["id"],
                kind=kind,
                requested_on=requested,
                received_on=received,
                returned_for_quality_on=returned,
                re_received_on=re_received,
            )
            if self.scale.deadlines:
                self.deadline(
                    request.child,
                    "cases.advicerequest",
                    advice_id,
                    "advice",
                    trigger=requested,
                    due=_days(requested, 42),
                    met=received,
                    owner=request.caseworker,
                    case_open=c["status"] in (RequestStatus.ASSESSING, RequestStatus.ISSUING),
                )

    def request_deadlines(self, request: Request) -> None:
        c = request.columns
        open_ = c["status"] in (
            RequestStatus.RECEIVED,
            RequestStatus.ASSESSING,
            RequestStatus.ISSUING,
            RequestStatus.DRAFT_ISSUED,
        )
        received = c["received_on"]
        steps: list[tuple[str, int, dt.date | None, bool]] = [
            ("decision_to_assess", 42, c.get("decided_on"), True)
        ]
        if c.get("decision") == AssessmentDecision.ASSESS:
            not_issue = c.get("issue_decision") == IssueDecision.NOT_ISSUE
            steps.append(("decision_not_to_issue", 112, c.get("issue_decided_on"), not_issue))
            steps.append(("final_plan", 140, c.get("final_issued_on"), not not_issue))
        for rule, days, met, applicable in steps:
            self.deadline(
                request.child,
                "cases.assessmentrequest",
                c["id"],
                rule,
                trigger=received,
                due=_days(received, days),
                met=met if applicable else None,
                owner=request.caseworker,
                case_open=open_,
                applicable=applicable,
            )

    def deadline(
        self,
        child: uuid.UUID,
        subject_type: str,
        subject: uuid.UUID,
        rule: str,
        *,
        trigger: dt.date,
        due: dt.date,
        met: dt.date | None,
        owner: int,
        case_open: bool,
        applicable: bool = True,
    ) -> None:
        meta = RULES[rule]
        status = deadline_status(due=due, met_on=met, today=END, applicable=applicable)
        self.tables.add(
            Deadline,
            child_id=child,
            subject_type=subject_type,
            subject_id=subject,
            rule=rule,
            title=meta.title,
            regulation=meta.regulation,
            trigger_on=trigger,
            due_on=due,
            practical_target_on=due,
            met_on=met,
            status=status.value,
            explanation="Benchmark data.",
            case_open=case_open,
            owner_id=owner,
        )

    # --- plans ---
    def plan_seeds(self, requests: list[Request]) -> list[PlanSeed]:
        """Every plan: from this council's requests, transferred in, and issued before the six
        years; then the plans to cease, so that exactly `in_force` are in force at END."""
        rng, scale = self.rng, self.scale
        seeds = [
            PlanSeed(r.columns["final_issued_on"], request=r)
            for r in requests
            if r.columns.get("final_issued_on") is not None
        ]
        for _ in range(round(0.02 * len(seeds))):
            seeds.append(PlanSeed(_days(START, rng.randrange(self.span)), transferred_from="887"))
        total = round(scale.in_force * (1 + scale.ceased_ratio))
        earliest = dt.date(2009, 9, 1)
        for _ in range(max(total - len(seeds), 0)):
            # Older plans are fewer: a triangular spread leaning to the start of the six years.
            day = rng.triangular(0, (START - earliest).days, (START - earliest).days)
            seeds.append(PlanSeed(_days(earliest, int(day))))
        # Older plans are likelier to have ceased (weighted sampling without replacement).
        latest = _days(END, -90)
        eligible = [i for i, seed in enumerate(seeds) if seed.issued <= latest]
        keys = {i: rng.random() ** (365.25 / (END - seeds[i].issued).days) for i in eligible}
        to_cease = min(len(seeds) - scale.in_force, len(eligible))
        for index in heapq.nlargest(to_cease, eligible, key=keys.__getitem__):
            seed = seeds[index]
            first = max(START, _days(seed.issued, 90))
            seed.ceased = _days(first, rng.randrange((END - first).days + 1))
        return seeds

    def plan_rows(self, seed: PlanSeed) -> None:
        rng = self.rng
        if seed.request is not None:
            child, caseworker = seed.request.child, seed.request.caseworker
        else:
            child, caseworker = self.child(born=self.birth_date(on=seed.issued))
        plan_id = self.new_id()
        need = _weighted(rng, NEEDS)
        ceased = seed.ceased
        reason = _weighted(rng, CEASE_REASONS) if ceased else None
        secondary = _weighted(rng, NEEDS) if rng.random() < 0.3 else ""
        self.tables.add(
            Plan,
            id=plan_id,
            child_id=child,
            request_id=seed.request.columns["id"] if seed.request else None,
            status=PlanStatus.CEASED if ceased else PlanStatus.ACTIVE,
            issued_on=seed.issued,
            primary_need=need,
            secondary_need="" if secondary == need else secondary,
            transferred_in_from_la=seed.transferred_from,
            cease_decided_on=_days(ceased, -rng.randint(14, 60)) if ceased else None,
            ceased_on=ceased,
            cease_reason=reason,
        )
        self.placements(plan_id, seed)
        amended: list[dt.date] = []
        if self.scale.reviews:
            amended = self.reviews(plan_id, seed, child=child, caseworker=caseworker)
        if seed.request is not None and rng.random() < 0.08:
            self.dispute(
                AppealType.CONTENTS,
                notice=seed.issued,
                child=child,
                plan=plan_id,
            )
        for day in amended:
            if rng.random() < 0.02:
                self.dispute(AppealType.REFUSAL_TO_AMEND, notice=day, child=child, plan=plan_id)
        needs_met = reason in (CeaseReason.NEEDS_MET, CeaseReason.NO_LONGER_ENGAGES)
        if ceased and needs_met and rng.random() < 0.08:
            self.dispute(AppealType.CEASE, notice=_days(ceased, -40), child=child, plan=plan_id)

    def placements(self, plan_id: uuid.UUID, seed: PlanSeed) -> None:
        """Rank-1 placements over the plan's life: awaiting one, a move, or none on a roll."""
        rng = self.rng
        stop = seed.ceased
        start = seed.issued
        if rng.random() < 0.03:  # awaiting a placement first
            placed = _days(start, rng.randint(20, 150))
            waited_until = placed if placed <= END and (stop is None or placed <= stop) else None
            self.tables.add(
                Placement,
                id=self.new_id(),
                plan_id=plan_id,
                awaiting_placement=True,
                starts_on=start,
                ends_on=_days(waited_until, -1) if waited_until else stop,
            )
            if waited_until is None:
                return
            start = waited_until
        may_move = rng.random() < 0.25
        while True:
            ends = stop
            if may_move:
                may_move = False
                moved = _days(start, rng.randint(120, 1200))
                if moved < END and (stop is None or moved < stop):
                    ends = moved
            columns: dict[str, Any] = {}
            if rng.random() < 0.04:  # on no school's roll: home education, out of education...
                columns["sen_setting"] = _weighted(
                    rng,
                    (
                        (SenSetting.EHE, 3),
                        (SenSetting.OLA, 2),
                        (SenSetting.NIEO, 2),
                        (SenSetting.OTH, 1),
                    ),
                )
            else:
                kind = _weighted(rng, PLACEMENT_KINDS)
                columns.update(
                    establishment_id=rng.choice(self.settings[kind]),
                    annual_cost=Decimal(ANNUAL_COST[kind]),
                    band=f"{kind[:3].upper()}{rng.randint(1, 5)}",
                )
            self.tables.add(
                Placement,
                id=self.new_id(),
                plan_id=plan_id,
                starts_on=start,
                ends_on=ends,
                **columns,
            )
            if ends is None or ends == stop:
                return
            start = _days(ends, 1)

    def reviews(
        self, plan_id: uuid.UUID, seed: PlanSeed, *, child: uuid.UUID, caseworker: int
    ) -> list[dt.date]:
        """Each review cycle from the plan's issue; those of the six years are stored. Returns
        the days amended plans were issued (refusals to amend are appealed from those)."""
        rng = self.rng
        cycle_start, sequence = seed.issued, 1
        amended: list[dt.date] = []
        stop = seed.ceased
        while True:
            due = add_months(cycle_start, 12)
            if stop is not None and due > stop:
                break
            late = rng.expovariate(1 / 120) if rng.random() < 0.18 else 0
            meeting = max(_days(due, int(rng.gauss(-12, 15) + late)), _days(cycle_start, 60))
            decided = _days(meeting, max(1, int(rng.gauss(22, 12))))
            keep = due >= _days(START, -365)
            if meeting > END or decided > END or (stop is not None and decided > stop):
                if keep and (stop is None or meeting <= stop):
                    self.open_review(
                        plan_id, cycle_start, due, meeting, sequence, child, caseworker
                    )
                break
            if keep:
                self.decided_review(
                    plan_id,
                    cycle_start,
                    due,
                    meeting,
                    decided,
                    sequence,
                    child,
                    caseworker,
                    amended,
                )
            cycle_start, sequence = decided, sequence + 1
        return amended

    def open_review(
        self,
        plan_id: uuid.UUID,
        cycle_start: dt.date,
        due: dt.date,
        meeting: dt.date,
        sequence: int,
        child: uuid.UUID,
        caseworker: int,
    ) -> None:
        columns: dict[str, Any] = {"status": ReviewStatus.AWAITING_MEETING}
        invited = _days(meeting, -14)
        if meeting <= END:
            columns.update(
                status=ReviewStatus.MEETING_HELD,
                invitations_sent_on=invited,
                meeting_planned_on=meeting,
                meeting_on=meeting,
            )
            if _days(meeting, 5) <= END:
                columns.update(
                    status=ReviewStatus.REPORT_RECEIVED, report_received_on=_days(meeting, 5)
                )
        elif invited <= END:
            columns.update(
                status=ReviewStatus.INVITED, invitations_sent_on=invited, meeting_planned_on=meeting
            )
        review_id = self.new_id()
        self.tables.add(
            AnnualReview,
            id=review_id,
            plan_id=plan_id,
            sequence=sequence,
            cycle_start_on=cycle_start,
            due_on=due,
            **columns,
        )
        if self.scale.deadlines:
            self.review_deadlines(review_id, columns, cycle_start, due, child, caseworker)

    def decided_review(
        self,
        plan_id: uuid.UUID,
        cycle_start: dt.date,
        due: dt.date,
        meeting: dt.date,
        decided: dt.date,
        sequence: int,
        child: uuid.UUID,
        caseworker: int,
        amended: list[dt.date],
    ) -> None:
        rng = self.rng
        decision = _weighted(
            rng, ((Decision.MAINTAIN, 35), (Decision.AMEND, 62), (Decision.CEASE, 3))
        )
        columns: dict[str, Any] = {
            "invitations_sent_on": _days(meeting, -14),
            "meeting_planned_on": meeting,
            "meeting_on": meeting,
            "report_received_on": min(_days(meeting, 5), decided),
            "decision": decision,
            "decision_issued_on": decided,
            "status": {
                Decision.MAINTAIN: ReviewStatus.MAINTAINED,
                Decision.AMEND: ReviewStatus.AMENDMENTS_DUE,
                Decision.CEASE: ReviewStatus.CEASE_PROPOSED,
            }[decision],
        }
        if decision == Decision.AMEND:
            sent = _days(decided, rng.randint(0, 10))
            if sent <= END:
                columns.update(status=ReviewStatus.AMENDMENTS_SENT, amendments_issued_on=sent)
                final = _days(sent, 15 + int(rng.expovariate(1 / 30)))
                if final <= END:
                    columns.update(status=ReviewStatus.AMENDED, final_amended_issued_on=final)
                    amended.append(final)
        if due.month in (9, 10, 11, 12, 1) and rng.random() < 0.25:
            kind = TransferKind.SCHOOL if rng.random() < 0.8 else TransferKind.POST16
            year = due.year + 1 if due.month >= 9 else due.year
            columns.update(
                phase_transfer=True,
                phase_transfer_kind=kind,
                phase_transfer_on=dt.date(year, 9, 1),
                phase_transfer_label="Phase transfer",
            )
        review_id = self.new_id()
        self.tables.add(
            AnnualReview,
            id=review_id,
            plan_id=plan_id,
            sequence=sequence,
            cycle_start_on=cycle_start,
            due_on=due,
            **columns,
        )
        if self.scale.deadlines:
            self.review_deadlines(review_id, columns, cycle_start, due, child, caseworker)

    def review_deadlines(
        self,
        review_id: uuid.UUID,
        c: dict[str, Any],
        cycle_start: dt.date,
        due: dt.date,
        child: uuid.UUID,
        caseworker: int,
    ) -> None:
        meeting = c.get("meeting_on") or c.get("meeting_planned_on")
        sent, final = c.get("amendments_issued_on"), c.get("final_amended_issued_on")
        steps: list[tuple[str, dt.date | None, int, dt.date | None]] = [
            ("annual_review", cycle_start, (due - cycle_start).days, c.get("decision_issued_on")),
            ("review_notice", meeting, -14, c.get("invitations_sent_on")),
            ("review_report", c.get("meeting_on"), 14, c.get("report_received_on")),
            ("review_decision", c.get("meeting_on"), 28, c.get("decision_issued_on")),
            ("review_representations", sent, 15, sent),
            ("review_final_amended_plan", sent, 56, final),
            ("review_longstop", c.get("meeting_on"), 84, final),
        ]
        if c.get("phase_transfer"):
            transfer = c["phase_transfer_on"]
            deadline = dt.date(transfer.year, 2, 15)
            if c["phase_transfer_kind"] == TransferKind.POST16:
                deadline = dt.date(transfer.year, 3, 31)
            met = final if final is not None and final <= transfer else None
            steps.append(
                (RULE_FOR_KIND[c["phase_transfer_kind"]], transfer, (deadline - transfer).days, met)
            )
        for rule, trigger, days, met in steps:
            if trigger is None:
                continue
            self.deadline(
                child,
                "reviews.annualreview",
                review_id,
                rule,
                trigger=trigger,
                due=_days(trigger, days),
                met=met,
                owner=caseworker,
                case_open=True,
            )

    # --- mediation and appeals ---
    def dispute(
        self,
        appeal_type: str,
        *,
        notice: dt.date,
        child: uuid.UUID,
        request: uuid.UUID | None = None,
        plan: uuid.UUID | None = None,
    ) -> None:
        """A disagreement with a decision: mediation (certificate, perhaps a meeting), then
        perhaps an appeal to the tribunal, its outcome and, if upheld, the order's steps."""
        rng = self.rng
        mediation_id, certificate = None, None
        if rng.random() < 0.75:
            mediation_id, certificate, agreed = self.mediation(
                appeal_type, notice=notice, child=child, request=request, plan=plan
            )
            if certificate is None or agreed:
                return
        lodged = _days(certificate or notice, rng.randint(7, 45))
        received = _days(lodged, rng.randint(2, 14))
        if received > END:
            return
        columns: dict[str, Any] = {
            "id": self.new_id(),
            "child_id": child,
            "request_id": request,
            "plan_id": plan,
            "mediation_id": mediation_id,
            "appeal_type": appeal_type,
            "decision_notice_on": notice,
            "certificate_issued_on": certificate,
            "lodged_on": lodged,
            "received_by_la_on": received,
            "response_due_on": _days(received, 30),
        }
        if appeal_type in SECTION_APPEALS:
            b, f, i = rng.random() < 0.4, rng.random() < 0.7, rng.random() < 0.6
            columns.update(section_b=b, section_f=f or not (b or i), section_i=i)
        responded = _days(received, rng.randint(25, 40))
        hearing = _days(received, rng.randint(140, 220))
        u = rng.random()
        if u < 0.28:
            outcome, ended = Outcome.WITHDRAWN, _days(received, rng.randint(20, 200))
        elif u < 0.52:
            outcome, ended = Outcome.CONCEDED, _days(received, rng.randint(10, 200))
        elif u < 0.54:
            outcome, ended = Outcome.STRUCK_OUT, _days(received, rng.randint(60, 200))
        else:
            outcome = _weighted(
                rng, ((Outcome.UPHELD, 80), (Outcome.UPHELD_IN_PART, 12), (Outcome.DISMISSED, 8))
            )
            ended = _days(hearing, rng.randint(5, 20))
        if ended > END:
            columns["status"] = AppealStatus.REGISTERED
            if responded <= END:
                columns.update(
                    status=AppealStatus.RESPONSE_SUBMITTED, response_submitted_on=responded
                )
                if _days(received, 60) <= END:
                    columns.update(status=AppealStatus.HEARING_LISTED, hearing_on=hearing)
            self.tables.add(Appeal, **columns)
            return
        status = {
            Outcome.WITHDRAWN: AppealStatus.WITHDRAWN,
            Outcome.CONCEDED: AppealStatus.CONCEDED,
            Outcome.STRUCK_OUT: AppealStatus.STRUCK_OUT,
        }.get(outcome, AppealStatus.DECIDED)
        columns.update(status=status, outcome=outcome, decided_on=ended)
        if responded <= ended:
            columns["response_submitted_on"] = responded
        elif outcome == Outcome.CONCEDED:
            columns["unopposed"] = True
        if status == AppealStatus.DECIDED:
            columns.update(hearing_on=hearing, legal_costs=Decimal(rng.randint(800, 6000)))
        self.tables.add(Appeal, **columns)
        if outcome in (Outcome.UPHELD, Outcome.UPHELD_IN_PART):
            self.order(columns["id"], ORDER_FOR_APPEAL[appeal_type], made=ended)

    def mediation(
        self,
        appeal_type: str,
        *,
        notice: dt.date,
        child: uuid.UUID,
        request: uuid.UUID | None,
        plan: uuid.UUID | None,
    ) -> tuple[uuid.UUID | None, dt.date | None, bool]:
        """(mediation id, certificate date, agreement reached) as far as END has got."""
        rng = self.rng
        contacted = _days(notice, rng.randint(5, 50))
        if contacted > END:
            return None, None, False
        columns: dict[str, Any] = {
            "id": self.new_id(),
            "child_id": child,
            "request_id": request,
            "plan_id": plan,
            "decision_type": MEDIATION_TYPE[appeal_type],
            "decision_notice_on": notice,
            "family_contacted_on": contacted,
            "mediator": "Benchmark Mediation Service",
        }
        certificate, agreed = None, False
        if rng.random() < 0.35:  # the family wants mediation
            informed = _days(contacted, rng.randint(1, 5))
            held = _days(informed, rng.randint(14, 30))
            columns.update(mediation_wanted=True, la_informed_on=min(informed, END))
            if held <= END:
                agreed = rng.random() < 0.4
                columns.update(
                    held_on=held,
                    outcome=MediationOutcome.AGREEMENT if agreed else MediationOutcome.NO_AGREEMENT,
                )
                issued = _days(held, rng.randint(0, 3))
                if not agreed and issued <= END:
                    certificate = issued
                    columns.update(
                        certificate_issued_on=issued,
                        certificate_kind=CertificateKind.AFTER_MEDIATION,
                    )
        else:
            issued = _days(contacted, rng.randint(0, 3))
            columns.update(mediation_wanted=False, outcome=MediationOutcome.DECLINED)
            if issued <= END:
                certificate = issued
                columns.update(
                    certificate_issued_on=issued, certificate_kind=CertificateKind.DECLINED
                )
        self.tables.add(Mediation, **columns)
        return columns["id"], certificate, agreed

    def order(self, appeal_id: uuid.UUID, kind: str, *, made: dt.date) -> None:
        rng = self.rng
        sent = _days(made, rng.randint(0, 2))
        order_id = self.new_id()
        self.tables.add(
            Order,
            id=order_id,
            appeal_id=appeal_id,
            kind=kind,
            made_on=made,
            sent_on=sent,
            runs_from=sent,
        )
        for position, rule in enumerate(ORDER_RULES[kind], start=1):
            due = _days(sent, ORDER_DAYS[rule])
            complied: dt.date | None = None
            u = rng.random()
            if u < 0.85:
                complied = max(sent, _days(due, -rng.randint(0, 14)))
            elif u < 0.95:
                complied = _days(due, rng.randint(1, 60))
            self.tables.add(
                ComplianceStep,
                id=self.new_id(),
                order_id=order_id,
                rule=rule,
                position=position,
                due_on=due,
                complied_on=complied if complied is not None and complied <= END else None,
                applicable=rule != "order_assess_no_plan",
            )

    def build(self) -> dict[str, int]:
        requests = [self.request(day) for day in self.received_days()]
        for request in requests:
            self.request_rows(request)
        for seed in self.plan_seeds(requests):
            self.plan_rows(seed)
        self.tables.flush()
        return self.tables.counts()


# --- the kept database's marker -------------------------------------------------------------------
def built_fingerprint() -> str | None:
    """The fingerprint of the dataset in this database, or None when none was finished."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE])
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(f"SELECT fingerprint FROM {MARKER_TABLE}")  # noqa: S608 - our constant
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def built_summary() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seconds, counts FROM {MARKER_TABLE}")  # noqa: S608 - our constant
        seconds, counts = cursor.fetchone()
    return {
        "seconds": seconds,
        "counts": counts if isinstance(counts, dict) else json.loads(counts),
    }


def build(scale: Scale, *, progress: Callable[[str], None]) -> dict[str, Any]:
    """Fill this (empty, migrated) database with `scale`'s dataset, then mark it built."""
    began = time.perf_counter()
    caseworkers = [
        user_create_or_update(
            username=f"report-cw{n}",
            password="benchmark-password-0000",  # noqa: S106 - a throwaway benchmark database
            roles=[Role.CASEWORKER],
            first_name=f"Worker{n}",
            last_name="Bench",
            team=f"Team {n % 6}",
        ).pk
        for n in range(scale.caseworkers)
    ]
    user_create_or_update(
        username="report-manager",
        password="benchmark-password-0000",  # noqa: S106 - a throwaway benchmark database
        roles=[Role.MANAGER],
        first_name="Manager",
        last_name="Bench",
    )
    settings: dict[str, list[Any]] = {}
    number = 0
    for kind, count in ESTABLISHMENTS:
        made = Establishment.objects.bulk_create(
            Establishment(urn=f"{300000 + number + n}", name=f"Bench {kind} {n}", kind=kind)
            for n in range(count)
        )
        number += count
        settings[kind] = [e.pk for e in made]
    progress(f"building the dataset: {scale.label} (COPY, seeded)...")
    counts = Builder(scale, caseworkers=caseworkers, settings=settings, progress=progress).build()
    copied = time.perf_counter() - began
    progress(f"  rows written in {copied:.0f} s; VACUUM ANALYZE...")
    with connection.cursor() as cursor:
        for model in Tables.ORDER:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        cursor.execute("ANALYZE")
        seconds = time.perf_counter() - began
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (fingerprint text, seconds float, counts jsonb, "
            "built_at timestamptz DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (fingerprint, seconds, counts) VALUES (%s, %s, %s)",  # noqa: S608
            [scale.fingerprint(), seconds, json.dumps(counts)],
        )
    return {"seconds": seconds, "counts": counts}


def describe(summary: dict[str, Any]) -> str:
    counts = summary["counts"]
    short = {
        "cases.Child": "children",
        "cases.AssessmentRequest": "requests",
        "cases.Plan": "plans",
        "cases.Placement": "placements",
        "cases.AdviceRequest": "advice",
        "reviews.AnnualReview": "reviews",
        "tribunals.Mediation": "mediations",
        "tribunals.Appeal": "appeals",
        "deadlines.Deadline": "deadlines",
    }
    return ", ".join(f"{counts.get(k, 0):,} {v}" for k, v in short.items() if counts.get(k))


__all__ = [
    "COUNCIL",
    "END",
    "NATIONAL",
    "START",
    "TENTH",
    "Scale",
    "build",
    "built_fingerprint",
    "built_summary",
    "describe",
]
