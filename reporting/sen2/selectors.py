"""Who is in a SEN2 return, read in batches with every row a person's items need.

Who (sen2.md "Who is in the file"; the same population as the validation's rules): the census
day C and the calendar year of activity before it. A plan is in the return when it was in force
on C or ceased in that calendar year (a plan ceased between 1 January and C is in next year's
return). A request is when it had a step in the calendar year (received, decided, decided
whether to issue, final plan, withdrawn, transferred out), was still open on C, or led to a plan
in the return. A person is when one of their requests or plans is. What each item says is judged
as at C (items.py), so a January decision made by C is reported with its date.

Reads are batched: children in chunks, each chunk with its requests, plans, settings,
placements, versions and reviews prefetched and the mediation and tribunal flags for the chunk
in three queries, so the number of queries grows with the number of chunks, not of people.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from cases.models import (
    AssessmentRequest,
    Child,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
    TimescaleException,
)
from reporting.metrics.casework import TWENTY_WEEK_RULES, request_open_on
from reporting.models import Sen2Export
from reporting.sen2.items import Census, Node, Rows, person_node
from reviews.models import AnnualReview
from tribunals.selectors import sen2_flags_for_requests

CHUNK_SIZE = 1000
REQUEST_STEPS = (
    "received_on",
    "decided_on",
    "issue_decided_on",
    "final_issued_on",
    "withdrawn_on",
    "transferred_out_on",
)


def _in_year(field: str, census: Census) -> Q:
    return Q(**{f"{field}__gte": census.start, f"{field}__lte": census.end})


def plans_in_return(census: Census) -> Q:
    """Plans in force on the census day, or ceased in the calendar year reported."""
    in_force = Q(issued_on__lte=census.on) & (
        Q(ceased_on__isnull=True) | Q(ceased_on__gt=census.on)
    )
    return in_force | _in_year("ceased_on", census)


def requests_in_return(census: Census) -> Q:
    """Requests with a step in the calendar year, open on the census day, or the source of a plan
    in the return."""
    stepped = Q()
    for field in REQUEST_STEPS:
        stepped |= _in_year(field, census)
    led_to_plan = Exists(Plan.objects.filter(plans_in_return(census), request=OuterRef("pk")))
    return Q(received_on__lte=census.on) & (stepped | request_open_on(census.on) | Q(led_to_plan))


def persons_in_return(census: Census) -> QuerySet[Child]:
    """The children the return reports on, in LA reference order."""
    requests = AssessmentRequest.objects.filter(requests_in_return(census), child=OuterRef("pk"))
    plans = Plan.objects.filter(plans_in_return(census), child=OuterRef("pk"))
    return Child.objects.filter(Exists(requests) | Exists(plans)).order_by("reference")


#: The columns the return reads (timestamps and notes are never loaded).
CHILD_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "upn",
    "uln",
    "upn_unknown",
    "postcode",
)
REQUEST_FIELDS = (
    "child_id",
    "received_on",
    "source",
    "relevant_youth_accommodation",
    "decision",
    "decided_on",
    "issue_decision",
    "issue_decided_on",
    "final_issued_on",
    "withdrawn_on",
    "transferred_out_on",
    "transferred_to_la",
)
PLAN_FIELDS = (
    "child_id",
    "request_id",
    "issued_on",
    "primary_need",
    "secondary_need",
    "transferred_in_from_la",
    "personal_budget",
    "organised_arrangements",
    "direct_payments",
    "residential",
    "work_based",
    "ceased_on",
    "cease_reason",
)
SETTING_FIELDS = (
    "plan_id",
    "establishment_id",
    "rank",
    "sen_setting",
    "sen_setting_other",
    "sen_unit",
    "resourced_provision",
    "establishment__urn",
    "establishment__ukprn",
    "establishment__kind",
    "establishment__name",
)
PLACEMENT_FIELDS = (*SETTING_FIELDS, "starts_on", "ends_on", "residential", "work_based")
REVIEW_FIELDS = (
    "plan_id",
    "sequence",
    "meeting_on",
    "decision",
    "decision_issued_on",
    "amendments_issued_on",
    "phase_transfer",
    "phase_transfer_kind",
    "phase_transfer_on",
)


def _grouped(rows: Iterable[Any], key: str) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def chunk_rows(child_ids: list[Any], census: Census) -> Rows:
    """Every row the people of one chunk need: one query per table for the whole chunk, as named
    tuples of the columns the return reads (no model instances, no queryset per object)."""
    excused = TimescaleException.objects.filter(request=OuterRef("pk"), rule__in=TWENTY_WEEK_RULES)
    # Week20 from an imported SEN2 file is history no exception recorded here holds.
    week20 = Case(
        When(Q(Exists(excused)) | Q(sen2_history__flags__Week20=1), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    requests = list(
        AssessmentRequest.objects.filter(requests_in_return(census), child_id__in=child_ids)
        .annotate(week20=week20)
        .order_by("received_on", "created_at")
        .values_list("id", *REQUEST_FIELDS, "week20", named=True)
    )
    plans = list(
        Plan.objects.filter(plans_in_return(census), child_id__in=child_ids).values_list(
            "id", *PLAN_FIELDS, named=True
        )
    )
    plan_ids = [plan.id for plan in plans]
    placements_open = Q(starts_on__lte=census.on) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=census.start)
    )
    # The reviews app's phase-transfer definition reads model instances and the plan's versions.
    phase_reviews = (
        AnnualReview.objects.filter(
            plan_id__in=plan_ids, cycle_start_on__lte=census.on, phase_transfer=True
        )
        .only("plan_id", "phase_transfer", "phase_transfer_kind", "phase_transfer_on")
        .prefetch_related(
            Prefetch("plan", Plan.objects.only("id")),
            Prefetch("plan__versions", PlanVersion.objects.only("plan_id", "kind", "issued_on")),
        )
    )
    return Rows(
        requests=_grouped(requests, "child_id"),
        plans=_grouped(plans, "child_id"),
        named_settings=_grouped(
            NamedSetting.objects.filter(plan_id__in=plan_ids).values_list(
                *SETTING_FIELDS, named=True
            ),
            "plan_id",
        ),
        placements=_grouped(
            Placement.objects.filter(
                placements_open, plan_id__in=plan_ids, awaiting_placement=False
            ).values_list(*PLACEMENT_FIELDS, named=True),
            "plan_id",
        ),
        versions=_grouped(
            PlanVersion.objects.filter(plan_id__in=plan_ids).values_list(
                "plan_id", "kind", "issued_on", named=True
            ),
            "plan_id",
        ),
        reviews=_grouped(
            AnnualReview.objects.filter(
                plan_id__in=plan_ids, cycle_start_on__lte=census.on, meeting_on__isnull=False
            ).values_list(*REVIEW_FIELDS, named=True),
            "plan_id",
        ),
        phase_reviews=_grouped(phase_reviews, "plan_id"),
        flags=sen2_flags_for_requests(request.id for request in requests),
    )


@dataclass(frozen=True)
class ReturnContents:
    census: Census
    persons: int  # how many Person modules `batches` will yield, for a progress bar
    batches: Iterator[list[Node]]


def return_contents(*, year: int, chunk_size: int = CHUNK_SIZE) -> ReturnContents:
    """The return's Person modules, a chunk of children at a time."""
    census = Census.for_year(year)
    children = persons_in_return(census)
    return ReturnContents(
        census=census,
        persons=children.count(),
        batches=_batches(children, census, chunk_size),
    )


def _batches(children: QuerySet[Child], census: Census, chunk_size: int) -> Iterator[list[Node]]:
    rows = children.values_list("id", *CHILD_FIELDS, named=True).iterator(chunk_size=chunk_size)
    while batch := list(islice(rows, chunk_size)):
        related = chunk_rows([child.id for child in batch], census)
        yield [person_node(child, census=census, rows=related) for child in batch]


def sen2_exports(*, limit: int = 50) -> QuerySet[Sen2Export]:
    """The SEN2 files built, newest first, with who asked for each (managers see them all)."""
    return Sen2Export.objects.select_related("requested_by").order_by("-created_at")[:limit]
