"""A scenario's parameters: checked against the fitted defaults, read from and written to JSON; the
saved scenarios.
"""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from reporting.models import Scenario
from reporting.selectors.trajectory.common import (
    DEFAULT_OVERFLOW,
    OVERFLOW_CIRCLE,
    OVERFLOW_NEEDED,
    OVERFLOW_SAME,
    SHIFT_BELOW_NOTHING,
    SHIFTS_NOT_ZERO,
    STEP_DOWN_OVER_100,
    STEP_DOWN_SAME,
    _pct,
    label,
)
from reporting.trajectory import Assumptions, Capacity, StepDown


# --- a scenario's parameters --------------------------------------------------------------------
def parameters_of(assumptions: Assumptions) -> dict[str, Any]:
    """Assumptions as JSON (the API's parameter names; a saved scenario keeps this)."""
    return {
        "requests_per_month": _pct(assumptions.requests_per_year / 12),
        "request_change_pct": assumptions.request_change_pct,
        "population_growth_pct": assumptions.population_growth_pct,
        "agree_to_assess_pct": assumptions.agree_to_assess_pct,
        "issue_pct": assumptions.issue_pct,
        "transfers_in_per_year": assumptions.transfers_in_per_year,
        "cessation_pct": dict(assumptions.cessation_pct),
        "new_plan_ages": dict(assumptions.new_plan_ages),
        "placement_mix_pct": dict(assumptions.placement_mix_pct),
        "placement_mix_shift": dict(assumptions.mix_shift_pts),
        "step_down": [
            {"from": s.source, "to": s.target, "pct": s.pct} for s in assumptions.step_downs
        ],
        "unit_cost": dict(assumptions.unit_cost),
        "unit_cost_change_pct": dict(assumptions.unit_cost_change_pct),
        "capacity": {c: cap.places for c, cap in assumptions.capacity.items()},
        "overflow": {c: cap.overflow_to for c, cap in assumptions.capacity.items()},
    }


def _floats(values: Mapping[str, Any] | None) -> dict[str, float]:
    return {str(k): float(v) for k, v in (values or {}).items() if v is not None}


def scenario_assumptions(*, base: Assumptions, parameters: Mapping[str, Any]) -> Assumptions:
    """`base` (the fitted defaults) with the scenario's `parameters` (api.md's names, shape
    already checked) laid over it. Raises ValidationError keyed by parameter for rule failures:
    `field` or `field.key` (`overflow.special`)."""
    errors: dict[str, list[str]] = defaultdict(list)
    p = parameters

    def number(name: str, default: float) -> float:
        value = p.get(name)
        return default if value is None else float(value)

    mix = {**base.placement_mix_pct, **_floats(p.get("placement_mix_pct"))}
    shifts = (
        _floats(p.get("placement_mix_shift"))
        if "placement_mix_shift" in p
        else dict(base.mix_shift_pts)
    )
    total = sum(shifts.values())
    if abs(total) > 0.05:
        errors["placement_mix_shift"].append(SHIFTS_NOT_ZERO.format(total=f"{total:+g}"))
    for category, shift in shifts.items():
        share = mix.get(category, 0.0)
        if share + shift < -0.05:
            errors[f"placement_mix_shift.{category}"].append(
                SHIFT_BELOW_NOTHING.format(category=label(category), share=f"{share:.1f}")
            )

    steps: list[StepDown] = []
    raw_steps = (
        p.get("step_down")
        if "step_down" in p
        else [{"from": s.source, "to": s.target, "pct": s.pct} for s in base.step_downs]
    )
    by_source: dict[str, float] = defaultdict(float)
    for item in raw_steps or []:
        if item["from"] == item["to"]:
            errors["step_down"].append(STEP_DOWN_SAME)
            continue
        steps.append(StepDown(item["from"], item["to"], float(item["pct"])))
        by_source[item["from"]] += float(item["pct"])
    for source, pct in by_source.items():
        if pct > 100:
            errors["step_down"].append(STEP_DOWN_OVER_100.format(category=label(source)))

    places = (
        _floats(p.get("capacity"))
        if "capacity" in p
        else {c: cap.places for c, cap in base.capacity.items()}
    )
    named = {str(k): str(v) for k, v in (p.get("overflow") or {}).items() if v}
    capacity: dict[str, Capacity] = {}
    for category, limit in places.items():
        onward = named.get(category) or DEFAULT_OVERFLOW.get(category, "")
        if not onward:
            errors[f"overflow.{category}"].append(OVERFLOW_NEEDED.format(category=label(category)))
        elif onward == category:
            errors[f"overflow.{category}"].append(OVERFLOW_SAME.format(category=label(category)))
        else:
            capacity[category] = Capacity(limit, onward)
    for category in capacity:
        chain, at = [category], capacity[category].overflow_to
        while at in capacity and at not in chain:
            chain.append(at)
            at = capacity[at].overflow_to
        if at == category:
            names = " to ".join(label(c) for c in [*chain, category])
            errors[f"overflow.{category}"].append(OVERFLOW_CIRCLE.format(chain=names))
    if errors:
        raise ValidationError(dict(errors))

    return Assumptions(
        requests_per_year=number("requests_per_month", base.requests_per_year / 12) * 12,
        agree_to_assess_pct=number("agree_to_assess_pct", base.agree_to_assess_pct),
        issue_pct=number("issue_pct", base.issue_pct),
        cessation_pct={**base.cessation_pct, **_floats(p.get("cessation_pct"))},
        new_plan_ages={**base.new_plan_ages, **_floats(p.get("new_plan_ages"))},
        placement_mix_pct=mix,
        unit_cost={**base.unit_cost, **_floats(p.get("unit_cost"))},
        transfers_in_per_year=number("transfers_in_per_year", base.transfers_in_per_year),
        request_change_pct=number("request_change_pct", base.request_change_pct),
        population_growth_pct=number("population_growth_pct", base.population_growth_pct),
        mix_shift_pts=shifts,
        step_downs=tuple(steps),
        unit_cost_change_pct={
            **base.unit_cost_change_pct,
            **_floats(p.get("unit_cost_change_pct")),
        },
        capacity=capacity,
    )


def assumptions_from_json(data: Mapping[str, Any]) -> Assumptions:
    """A saved scenario's stored parameters (parameters_of) back into Assumptions."""
    empty = Assumptions(
        requests_per_year=0.0,
        agree_to_assess_pct=0.0,
        issue_pct=0.0,
        cessation_pct={},
        new_plan_ages={},
        placement_mix_pct={},
        unit_cost={},
    )
    return scenario_assumptions(base=empty, parameters=data)


# --- saved scenarios ----------------------------------------------------------------------------
def saved_scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.select_related("created_by").order_by("-created_at")


def saved_scenario(*, scenario_id: Any) -> Scenario | None:
    return Scenario.objects.select_related("created_by").filter(pk=scenario_id).first()
