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

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

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
from reporting.sen2.items import Census, Node, person_node
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


def _with_items(children: QuerySet[Child], census: Census) -> QuerySet[Child]:
    excused = TimescaleException.objects.filter(request=OuterRef("pk"), rule__in=TWENTY_WEEK_RULES)
    requests = (
        AssessmentRequest.objects.filter(requests_in_return(census))
        .annotate(sen2_week20=Exists(excused))
        .order_by("received_on", "created_at")
    )
    placements = (
        Placement.objects.filter(
            Q(starts_on__lte=census.on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=census.start)),
            awaiting_placement=False,
        )
        .select_related("establishment")
        .order_by("rank", "starts_on")
    )
    plans = Plan.objects.filter(plans_in_return(census)).prefetch_related(
        Prefetch("named_settings", NamedSetting.objects.select_related("establishment")),
        Prefetch("placements", placements),
        Prefetch("versions", PlanVersion.objects.filter(issued_on__lte=census.on)),
        Prefetch("annual_reviews", AnnualReview.objects.filter(cycle_start_on__lte=census.on)),
    )
    return children.prefetch_related(Prefetch("requests", requests), Prefetch("plans", plans))


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
        batches=_batches(_with_items(children, census), census, chunk_size),
    )


def _batches(children: QuerySet[Child], census: Census, chunk_size: int) -> Iterator[list[Node]]:
    # .iterator() prefetches per chunk of chunk_size; islice takes exactly one chunk at a time,
    # so the flags are fetched for the same children the prefetches just read.
    rows = children.iterator(chunk_size=chunk_size)
    while batch := list(islice(rows, chunk_size)):
        flags = sen2_flags_for_requests(
            request.pk for child in batch for request in child.requests.all()
        )
        yield [person_node(child, census=census, flags=flags) for child in batch]


def sen2_exports(*, limit: int = 50) -> QuerySet[Sen2Export]:
    """The SEN2 files built, newest first, with who asked for each (managers see them all)."""
    return Sen2Export.objects.select_related("requested_by").order_by("-created_at")[:limit]
