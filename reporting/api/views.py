"""The reporting API (api.md "Reporting"): the metric registry, a metric's figure for a period
with its breakdown and the cases behind it, plans in force by month, and published scorecards.

Managers and administrators read the whole council; caseworkers may read, and their figures
cover their team's children (`scope_for`); panel members are refused. Every figure comes from
the same selectors as the dashboard and the PDF, so the three agree.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reporting.api import serializers as s
from reporting.api.messages import NO_BREAKDOWNS, NO_SUCH_BREAKDOWN, UNKNOWN_METRIC
from reporting.metrics import BY_ID, METRICS, Metric
from reporting.models import Scorecard
from reporting.periods import PERIOD_HELP
from reporting.selectors import metric_cases, metric_figure, open_plans_by_month, scope_for
from reporting.selectors.high_needs import high_needs_census
from reporting.selectors.trajectory import trajectory_run
from send_cms.accounts.roles import Role
from send_cms.audit.services import record

#: Who may read reports, and who may change anything reporting offers (nothing here yet).
REPORT_READ = frozenset({Role.CASEWORKER, Role.MANAGER, Role.ADMIN})
REPORT_WRITE = frozenset({Role.MANAGER, Role.ADMIN})
CASES_VIEWED = "report.cases.view"

_METRIC_ID = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=[m.id for m in METRICS],
    description="The metric's id (`GET /api/v1/reports/metrics/` lists them).",
)
_PERIOD = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    description=PERIOD_HELP,
)
_BREAKDOWN = OpenApiParameter(
    "breakdown",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=sorted({name for m in METRICS for name in m.breakdowns}),
    description="Split the figure by this; each metric's `breakdowns` says which it has.",
)
_NOT_FOUND = OpenApiResponse(description="No metric has this id.")


class MetricViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The metric registry, one metric's figure, and the cases behind it."""

    serializer_class = s.MetricSerializer
    read_roles = REPORT_READ
    write_roles = REPORT_WRITE
    lookup_field = "id"
    lookup_value_converter = "str"
    filter_backends: list[type] = []  # the registry is data in code, not a filterable queryset

    def _metric(self) -> Metric:
        metric_id = self.kwargs["id"]
        if metric_id not in BY_ID:
            raise NotFound(UNKNOWN_METRIC.format(id=metric_id))
        return BY_ID[metric_id]

    @extend_schema(summary="The metrics: what each counts, its unit, polarity and kind")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(METRICS)  # type: ignore[arg-type]
        if page is not None:
            return self.get_paginated_response(s.MetricSerializer(page, many=True).data)
        return Response(s.MetricSerializer(METRICS, many=True).data)  # pragma: no cover

    @extend_schema(
        summary="A metric's figure for a period, unrounded, optionally broken down",
        parameters=[_METRIC_ID, _PERIOD, _BREAKDOWN],
        responses={
            200: s.FigureSerializer,
            400: OpenApiResponse(
                description='A bad or missing period: {"period": ["..."]}; a breakdown the '
                'metric does not have: {"breakdown": ["..."]}.'
            ),
            404: _NOT_FOUND,
        },
    )
    def retrieve(self, request: Request, **kwargs: str) -> Response:
        metric = self._metric()
        query = s.FigureQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        breakdown: str = query.validated_data["breakdown"]
        if breakdown and breakdown not in metric.breakdowns:
            raise ValidationError({"breakdown": [_no_breakdown(metric, breakdown)]})
        scope = scope_for(request.user)
        figure = metric_figure(
            metric=metric,
            period=query.validated_data["period"],
            breakdown=breakdown or None,
            scope=scope,
        )
        context = {"metric": metric, "scope": scope}
        return Response(s.FigureSerializer(figure, context=context).data)

    @extend_schema(
        summary="The cases behind a metric's figure for a period (drill-down; audited)",
        parameters=[_METRIC_ID, _PERIOD],
        responses={
            200: s.CaseRowSerializer(many=True),
            400: OpenApiResponse(description='A bad or missing period: {"period": ["..."]}.'),
            404: _NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def cases(self, request: Request, **kwargs: str) -> Response:
        metric = self._metric()
        query = s.CasesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period"]
        rows = metric_cases(metric=metric, period=period, scope=scope_for(request.user))
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        shown = rows if page is None else page
        # Names and references of children: a read of their records, like opening a case.
        record(
            actor=request.user,
            action=CASES_VIEWED,
            changes={
                "metric": metric.id,
                "period": period.key,
                "rows": len(rows),
                "children": sorted({str(row.child_id) for row in shown}),
            },
        )
        data = s.CaseRowSerializer(shown, many=True).data
        if page is None:  # pragma: no cover - the project always paginates
            return Response(data)
        return self.get_paginated_response(data)


def _no_breakdown(metric: Metric, breakdown: str) -> str:
    if not metric.breakdowns:
        return NO_BREAKDOWNS.format(title=metric.title)
    return NO_SUCH_BREAKDOWN.format(
        title=metric.title, breakdown=breakdown, choices=", ".join(metric.breakdowns)
    )


class OpenPlansByMonthView(APIView):
    """Plans in force at each month's end (issued on or before it, not ceased on or before it)."""

    read_roles = REPORT_READ
    write_roles = REPORT_WRITE

    @extend_schema(
        summary="Plans in force at each month's last day, from one month to another",
        parameters=[
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                pattern=r"^\d{4}-\d{2}$",
                description=f"The {which} month, YYYY-MM.",
            )
            for name, which in (("from", "first"), ("to", "last"))
        ],
        responses={
            200: s.MonthCountSerializer(many=True),
            400: OpenApiResponse(
                description='A bad month, keyed by its field ({"from": ["..."]}); `to` before '
                f'`from` or more than {s.MAX_MONTHS} months: {{"to": ["..."]}}.'
            ),
        },
    )
    def get(self, request: Request) -> Response:
        query = s.OpenPlansQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        months = open_plans_by_month(
            first=query.validated_data["from"],
            last=query.validated_data["to"],
            scope=scope_for(request.user),
        )
        return Response(s.MonthCountSerializer(months, many=True).data)


class ScorecardListView(generics.ListAPIView):  # type: ignore[type-arg]
    """Published monthly scorecards, newest first, each with its PDF's address."""

    serializer_class = s.ScorecardSerializer
    read_roles = REPORT_READ
    write_roles = REPORT_WRITE
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Scorecard]:
        return published_scorecards()

    @extend_schema(summary="Published monthly scorecards, newest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def published_scorecards() -> QuerySet[Scorecard]:
    """Every published scorecard, newest first. Read here: reporting's selectors have none."""
    return Scorecard.objects.order_by("-period").only("period", "published_at", "pdf")


class HighNeedsView(APIView):
    """Plans in force on a date by DSG placement category and age band, with their annual cost
    (the same census as the high-needs page)."""

    read_roles = REPORT_READ
    write_roles = REPORT_WRITE

    @extend_schema(
        summary="Plans in force on a date by DSG placement category and age band, with cost",
        parameters=[
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=True,
                description="The census date, YYYY-MM-DD.",
            )
        ],
        responses={
            200: s.HighNeedsSerializer,
            400: OpenApiResponse(description='A missing or bad date: {"on": ["..."]}.'),
        },
    )
    def get(self, request: Request) -> Response:
        query = s.HighNeedsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        census = high_needs_census(on=query.validated_data["on"], scope=scope_for(request.user))
        return Response(s.HighNeedsSerializer(census).data)


class TrajectoryView(APIView):
    """Run a trajectory scenario against "do nothing" (api.md "Reporting"). A calculation: it
    changes nothing, so caseworkers may run it too. Council-wide for every reader."""

    read_roles = REPORT_READ
    write_roles = REPORT_READ

    @extend_schema(
        summary="A scenario's plans and cost year by year against do nothing, with cost avoided",
        request=s.TrajectoryQuery,
        responses={
            200: s.TrajectorySerializer,
            400: OpenApiResponse(
                description="Field-keyed messages: a bad value under its parameter "
                '(`{"years": ["..."]}`, `{"cessation_pct": {"under_5": ["..."]}}`), a rule '
                'failure under the parameter it concerns (`{"placement_mix_shift": ["..."]}`, '
                '`{"overflow.special": ["..."]}`).'
            ),
        },
    )
    def post(self, request: Request) -> Response:
        query = s.TrajectoryQuery(data=request.data)
        query.is_valid(raise_exception=True)
        try:
            trajectory = trajectory_run(
                start=query.validated_data["start"],
                years=query.validated_data["years"],
                parameters=query.parameters(),
                agreed=query.validated_data.get("agreed_trajectory", ()),
                today=timezone.localdate(),
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(s.TrajectorySerializer(s.trajectory_body(trajectory)).data)
