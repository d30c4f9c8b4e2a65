"""The timescale calculator API: the rules, and one rule computed from a start date."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from send_cms.accounts.roles import ALL_ROLES
from send_cms.deadlines.api.serializers import CalculationQuery, DueSerializer, RuleSerializer
from send_cms.deadlines.calculator import PARAMETERS, calculate, rules
from send_cms.deadlines.messages import UNKNOWN_RULE
from send_cms.timescales import RULE_IDS

_QUERY_PARAMETERS = [
    OpenApiParameter(
        "rule",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        enum=list(RULE_IDS),
        description="The rule id (timescales table).",
    ),
    OpenApiParameter(
        "start",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        required=True,
        description="The trigger date, YYYY-MM-DD.",
    ),
    *(
        OpenApiParameter(
            info.name,
            OpenApiTypes.DATE,
            OpenApiParameter.QUERY,
            required=False,
            description=f"{info.label} (YYYY-MM-DD). Only for: {', '.join(info.rule_ids)}.",
        )
        for info in PARAMETERS.values()
    ),
]
_ERRORS = {
    400: OpenApiResponse(
        description="A missing, malformed or impossible date, keyed by its field: "
        '{"start": ["..."]}'
    ),
    404: OpenApiResponse(description="No rule has this id."),
}


class TimescaleViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Statutory timescales: anyone with a role may use the calculator."""

    serializer_class = RuleSerializer
    read_roles = ALL_ROLES
    lookup_field = "rule"
    lookup_value_converter = "str"
    filter_backends: list[type] = []  # the rules are a fixed table, not a filterable queryset

    @extend_schema(summary="The statutory time limits the calculator knows")
    def list(self, request: Request) -> Response:
        items = rules()
        page = self.paginate_queryset(items)  # type: ignore[arg-type]
        if page is not None:
            return self.get_paginated_response(RuleSerializer(page, many=True).data)
        return Response(RuleSerializer(items, many=True).data)

    @extend_schema(
        summary="The due date of one rule for a start date, with its explanation",
        parameters=_QUERY_PARAMETERS,
        responses={200: DueSerializer, **_ERRORS},
    )
    def retrieve(self, request: Request, rule: str) -> Response:
        if rule not in RULE_IDS:
            raise NotFound(UNKNOWN_RULE.format(rule=rule))
        query = CalculationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(query.validated_data)
        start = data.pop("start")
        due = calculate(rule_id=rule, start=start, params=data)
        return Response(DueSerializer(due).data)
