"""The trajectory body: the start, each year's lines, the scenario against "do nothing", the
actuals.
"""

from typing import Any

from rest_framework import serializers

from reporting.selectors.trajectory import Trajectory, parameters_of
from reporting.trajectory import BAND_KEYS, Year


class Amount(serializers.FloatField):
    """A model figure as a JSON number: plans to 1 decimal place, pounds to the penny."""


class TrajectoryCategorySerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    plans = Amount(help_text="Plans in force at the year's end (expected, 1 decimal).")
    annual_cost = Amount(help_text="Plans x unit cost (GBP).")
    unit_cost = Amount()
    new_plans = Amount(help_text="New plans placed in the category in the year.")
    turned_away = Amount(help_text="New plans sent to its overflow: no place left.")
    by_age_band = serializers.DictField(child=Amount())


class TrajectoryYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="1 is the start month and the 11 after it.")
    first_month = serializers.CharField()
    last_month = serializers.CharField()
    open_plans = Amount(help_text="Plans in force at the end of the year's last month.")
    annual_cost = Amount(help_text="Their annual cost at the year's unit costs (GBP).")
    requests = Amount()
    new_plans = Amount()
    ceased_plans = Amount(help_text="Including those ageing out at 25.")
    by_category = TrajectoryCategorySerializer(many=True)


class TrajectoryScenarioYearSerializer(TrajectoryYearSerializer):
    do_nothing_open_plans = Amount()
    do_nothing_annual_cost = Amount()
    cost_avoided = Amount(help_text="Do nothing's annual cost less the scenario's.")


class TrajectoryStartSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="The census day: the day before the start month.")
    open_plans = Amount()
    annual_cost = Amount()
    by_category = TrajectoryCategorySerializer(many=True)


class TrajectoryActualSerializer(serializers.Serializer[Any]):
    month = serializers.CharField()
    open_plans = serializers.IntegerField(help_text="Plans in force at the month's end.")
    agreed = Amount(allow_null=True, help_text="The agreed trajectory, month by month.")
    projected = Amount(help_text="The scenario, month by month.")


class TrajectorySerializer(serializers.Serializer[Any]):
    """A scenario year by year against "do nothing" (the fitted defaults), with cost avoided."""

    start = serializers.CharField()
    start_position = TrajectoryStartSerializer()
    years = TrajectoryScenarioYearSerializer(many=True)
    do_nothing = TrajectoryYearSerializer(many=True)
    cost_avoided = Amount(help_text="Over all the years (GBP).")
    parameters = serializers.DictField(help_text="Every parameter as run.")
    defaults = serializers.DictField(help_text="The fitted do-nothing parameters.")
    basis = serializers.DictField(
        child=serializers.CharField(), help_text="What each default was fitted from."
    )
    actuals = TrajectoryActualSerializer(many=True)


def _one(value: float) -> float:
    return round(value, 1)


def _pence(value: float) -> float:
    return round(value, 2)


def _lines(year: Year) -> list[dict[str, Any]]:
    return [
        {
            "category": line.category,
            "plans": _one(line.plans),
            "annual_cost": _pence(line.annual_cost),
            "unit_cost": _pence(line.unit_cost),
            "new_plans": _one(line.new_plans),
            "turned_away": _one(line.turned_away),
            "by_age_band": {
                key: _one(plans) for key, plans in zip(BAND_KEYS, line.by_age_band, strict=True)
            },
        }
        for line in year.categories
        if line.plans or line.new_plans or line.turned_away
    ]


def _year(trajectory: Trajectory, year: Year) -> dict[str, Any]:
    first, last = trajectory.year_span(year.year)
    return {
        "year": year.year,
        "first_month": first.key,
        "last_month": last.key,
        "open_plans": _one(year.open_plans),
        "annual_cost": _pence(year.annual_cost),
        "requests": _one(year.requests),
        "new_plans": _one(year.new_plans),
        "ceased_plans": _one(year.ceased),
        "by_category": _lines(year),
    }


def trajectory_body(trajectory: Trajectory) -> dict[str, Any]:
    """The API's body for a scenario run (TrajectorySerializer's shape)."""
    comparison = trajectory.comparison
    start = comparison.scenario.start
    years = []
    for scenario, nothing, avoided in zip(
        comparison.scenario.years,
        comparison.do_nothing.years,
        comparison.cost_avoided_by_year,
        strict=True,
    ):
        years.append(
            {
                **_year(trajectory, scenario),
                "do_nothing_open_plans": _one(nothing.open_plans),
                "do_nothing_annual_cost": _pence(nothing.annual_cost),
                "cost_avoided": _pence(avoided),
            }
        )
    return {
        "start": trajectory.start.key,
        "start_position": {
            "on": trajectory.fitted.on,
            "open_plans": _one(start.open_plans),
            "annual_cost": _pence(start.annual_cost),
            "by_category": _lines(start),
        },
        "years": years,
        "do_nothing": [_year(trajectory, y) for y in comparison.do_nothing.years],
        "cost_avoided": _pence(comparison.cost_avoided),
        "parameters": parameters_of(trajectory.scenario),
        "defaults": parameters_of(trajectory.do_nothing),
        "basis": trajectory.fitted.basis,
        "actuals": [
            {
                "month": row.month.key,
                "open_plans": row.actual,
                "agreed": None if row.agreed is None else _one(row.agreed),
                "projected": _one(row.projected),
            }
            for row in trajectory.actuals
        ],
    }
