"""The trajectory page: a scenario's parameters (prefilled with the defaults fitted from the
council's last three years, each with its basis), its plans and cost year by year against "do
nothing" with the cost avoided, saved scenarios, and each saved scenario's actuals against the
trajectory the council agreed.

Managers and administrators run and save scenarios; caseworkers may run them and read the saved
ones; panel members are refused. Running is a GET (a scenario is a link); saving and deleting
are POSTs. Forms check shape; reporting.selectors.trajectory and reporting.services.trajectory
have the last word, and their field-keyed refusals land on these fields.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from reporting.charts import Chart, Series, line_chart
from reporting.forms import WidthInput, apply_errors
from reporting.models import Scenario
from reporting.periods import Period, PeriodError, parse_period
from reporting.selectors.trajectory import (
    DEFAULT_OVERFLOW,
    PLACED_CATEGORIES,
    Trajectory,
    default_start,
    label,
    month_span,
    parameters_of,
    saved_scenario,
    saved_scenarios,
    trajectory_defaults,
    trajectory_run,
)
from reporting.services.trajectory import scenario_delete, scenario_save
from reporting.trajectory import AGE_BANDS, MAX_YEARS, Projection, Year
from reporting.views.common import MANAGERS, ReportingPage, is_manager, tabs
from send_cms.common.forms import GovukForm

STEP_DOWNS = 3
DEFAULT_YEARS = 5
NUMBER_INVALID = "Enter {label} as a number, like 5 or -2.5"
NUMBER_RANGE = "{label} must be from {low:,} to {high:,}"
MONTH_INVALID = "Enter the first month like 2026-12"
YEARS_INVALID = f"Enter a number of years from 1 to {MAX_YEARS}"
TRAJECTORY_INVALID = "Enter the agreed plans in force as whole numbers separated by commas"
STEP_DOWN_INCOMPLETE = "Choose both categories and enter the percentage for a step-down"
SAVED = "Scenario saved: {name}"
DELETED = "Scenario deleted: {name}"


# --- forms --------------------------------------------------------------------------------------
class NumberField(forms.CharField):
    """A number as typed (`5`, `-2.5`, `£14,230`), from `low` to `high`; blank is None: the
    default stands."""

    def __init__(self, *, low: float, high: float, **kwargs: Any) -> None:
        self.low, self.high = low, high
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", WidthInput(5, attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> float | None:
        text = (super().clean(value) or "").replace(",", "").replace("£", "").replace("%", "")
        text = text.strip()
        if not text:
            return None
        name = str(self.label)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(NUMBER_INVALID.format(label=name.lower())) from None
        if not number.is_finite() or not self.low <= number <= self.high:
            raise ValidationError(NUMBER_RANGE.format(label=name, low=self.low, high=self.high))
        return float(number)


class StartForm(GovukForm):
    """The first month and the number of years (GET)."""

    start = forms.CharField(
        label="First month",
        help_text="For example 2026-12. The start is the position at the end of the month before.",
        widget=WidthInput(10),
        error_messages={"required": MONTH_INVALID},
    )
    years = forms.IntegerField(
        label="Number of years",
        min_value=1,
        max_value=MAX_YEARS,
        widget=WidthInput(2, attrs={"inputmode": "numeric"}),
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), YEARS_INVALID
        ),
    )

    def clean_start(self) -> Period:
        try:
            period = parse_period(self.cleaned_data["start"])
        except PeriodError:
            raise ValidationError(MONTH_INVALID) from None
        if period.kind != "month":
            raise ValidationError(MONTH_INVALID)
        return period


#: The scenario's single numbers: (API name, label, low, high, width, hint).
NUMBERS: tuple[tuple[str, str, float, float, int, str], ...] = (
    ("request_change_pct", "Change in requests each year (%)", -100, 1000, 4, "Compounding."),
    (
        "population_growth_pct",
        "Population growth each year (%)",
        -100,
        1000,
        4,
        "Compounding, on top of the change in requests.",
    ),
    ("requests_per_month", "Requests for assessment a month", 0, 100_000, 5, ""),
    ("agree_to_assess_pct", "Agree-to-assess rate (%)", 0, 100, 4, ""),
    ("issue_pct", "Issue rate after assessment (%)", 0, 100, 4, ""),
    ("transfers_in_per_year", "Plans transferred in a year", 0, 100_000, 5, ""),
)
#: Per category: (API name, label, low, high).
PER_CATEGORY: tuple[tuple[str, str, float, float], ...] = (
    ("unit_cost", "Unit cost a year (£)", 0, 10_000_000),
    ("unit_cost_change_pct", "Unit cost change a year (%)", -100, 1000),
    ("placement_mix_shift", "Shift in share of new plans (points)", -100, 100),
    ("capacity", "Places (capacity)", 0, 10_000_000),
)
CATEGORY_CHOICES = [("", "Choose a category"), *((c, label(c)) for c in PLACED_CATEGORIES)]


def _field(name: str, key: str) -> str:
    return f"{name}__{key}"


class ScenarioForm(GovukForm):
    """Every parameter of a scenario (GET), with the start and length carried along. A blank
    box keeps the fitted default."""

    start = forms.CharField(widget=forms.HiddenInput, required=False)
    years = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, basis: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        basis = basis or {}
        for name, text, low, high, width, hint in NUMBERS:
            reason = basis.get(name, "")
            self.fields[name] = NumberField(
                label=text,
                low=low,
                high=high,
                widget=WidthInput(width, attrs={"inputmode": "decimal"}),
                help_text=" ".join(p for p in (hint, f"Default: {reason}." if reason else "") if p),
            )
        for band in AGE_BANDS:
            reason = basis.get(f"cessation_pct.{band.key}", "")
            self.fields[_field("cessation_pct", band.key)] = NumberField(
                label=f"Cessation rate, {band.label.lower()} (%)",
                low=0,
                high=100,
                help_text=f"Default: {reason}." if reason else "",
            )
        for category in PLACED_CATEGORIES:
            for name, text, low, high in PER_CATEGORY:
                self.fields[_field(name, category)] = NumberField(
                    label=f"{text}: {label(category)}",
                    low=low,
                    high=high,
                    widget=WidthInput(10 if name in ("unit_cost", "capacity") else 4),
                )
            self.fields[_field("overflow", category)] = forms.ChoiceField(
                label=f"When full, new plans go to: {label(category)}",
                choices=CATEGORY_CHOICES,
                required=False,
            )
        for n in range(1, STEP_DOWNS + 1):
            self.fields[f"step_down_from_{n}"] = forms.ChoiceField(
                label=f"Step-down {n}: from", choices=CATEGORY_CHOICES, required=False
            )
            self.fields[f"step_down_to_{n}"] = forms.ChoiceField(
                label=f"Step-down {n}: to", choices=CATEGORY_CHOICES, required=False
            )
            self.fields[f"step_down_pct_{n}"] = NumberField(
                label=f"Step-down {n}: percentage a year", low=0, high=100
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, STEP_DOWNS + 1):
            parts = [data.get(f"step_down_{p}_{n}") for p in ("from", "to", "pct")]
            if any(v not in (None, "") for v in parts) and any(v in (None, "") for v in parts):
                self.add_error(f"step_down_from_{n}", STEP_DOWN_INCOMPLETE)
        return data

    def parameters(self) -> dict[str, Any]:
        """The API's parameters for what was entered (blank boxes left out)."""
        data = self.cleaned_data
        out: dict[str, Any] = {
            name: data[name] for name, *_ in NUMBERS if data.get(name) is not None
        }
        cessation = {
            b.key: data[_field("cessation_pct", b.key)]
            for b in AGE_BANDS
            if data.get(_field("cessation_pct", b.key)) is not None
        }
        if cessation:
            out["cessation_pct"] = cessation
        for name, *_ in PER_CATEGORY:
            values = {
                c: data[_field(name, c)]
                for c in PLACED_CATEGORIES
                if data.get(_field(name, c)) is not None
            }
            # Shifts and capacities are the scenario's own: none entered is none at all.
            if values or name in ("placement_mix_shift", "capacity"):
                out[name] = values
        out["overflow"] = {
            c: data[_field("overflow", c)]
            for c in PLACED_CATEGORIES
            if data.get(_field("overflow", c))
        }
        out["step_down"] = [
            {
                "from": data[f"step_down_from_{n}"],
                "to": data[f"step_down_to_{n}"],
                "pct": data[f"step_down_pct_{n}"],
            }
            for n in range(1, STEP_DOWNS + 1)
            if data.get(f"step_down_from_{n}") and data.get(f"step_down_pct_{n}") is not None
        ]
        return out

    def apply(self, error: ValidationError) -> None:
        """A rule failure keyed `name` or `name.key` on its field (else at the top)."""
        for key, messages_ in error.message_dict.items():
            name = key.replace(".", "__")
            if name == "step_down":
                name = "step_down_from_1"
            if name == "placement_mix_shift":
                name = _field("placement_mix_shift", PLACED_CATEGORIES[0])
            for message in messages_:
                self.add_error(name if name in self.fields else None, message)


def _text(value: float) -> str:
    """A default for a box: 74.2, 14230, 0 (no trailing zeros, never 1e+06)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def initial_of(parameters: Mapping[str, Any]) -> dict[str, str]:
    """Form boxes for stored or fitted parameters (the API's names)."""
    out: dict[str, str] = {}
    for name, *_ in NUMBERS:
        if parameters.get(name) is not None:
            out[name] = _text(parameters[name])
    for band in AGE_BANDS:
        value = (parameters.get("cessation_pct") or {}).get(band.key)
        if value is not None:
            out[_field("cessation_pct", band.key)] = _text(value)
    for name, *_ in PER_CATEGORY:
        for category, value in (parameters.get(name) or {}).items():
            out[_field(name, category)] = _text(value)
    for category in PLACED_CATEGORIES:
        out.setdefault(_field("placement_mix_shift", category), "0")
        onward = (parameters.get("overflow") or {}).get(category) or DEFAULT_OVERFLOW.get(
            category, ""
        )
        out[_field("overflow", category)] = onward
    for n, step in enumerate(parameters.get("step_down") or [], start=1):
        if n > STEP_DOWNS:
            break
        out[f"step_down_from_{n}"] = step["from"]
        out[f"step_down_to_{n}"] = step["to"]
        out[f"step_down_pct_{n}"] = _text(step["pct"])
    return out


def calculator_query(*, start: str, years: int, parameters: Mapping[str, Any]) -> str:
    """The calculator's address for a scenario (`?start=...&years=...&...`)."""
    query = QueryDict(mutable=True)
    query.update({"start": start, "years": str(years), **initial_of(parameters)})
    return "?" + query.urlencode()


class SaveForm(GovukForm):
    """A name for the scenario run above, and the trajectory the council agreed."""

    query = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={"required": "Enter a name for the scenario"},
        help_text="For example, Scenario 4: more local specialist places.",
    )
    agreed_trajectory = forms.CharField(
        label="Agreed trajectory (optional)",
        required=False,
        help_text="Plans in force agreed for the end of each year, separated by commas, for "
        "example 21500, 22100, 22600. Actuals are tracked against it month by month.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )

    def clean_agreed_trajectory(self) -> list[int]:
        text = self.cleaned_data["agreed_trajectory"].replace(";", ",")
        parts = [p.strip().replace(" ", "") for p in text.split(",") if p.strip()]
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise ValidationError(TRAJECTORY_INVALID) from None


# --- what the page shows ------------------------------------------------------------------------
def pounds(value: float) -> str:
    sign = "-" if value < -0.5 else ""
    return f"{sign}£{abs(value):,.0f}"


def plans(value: float) -> str:
    return f"{value:,.0f}"


@dataclass(frozen=True)
class YearRow:
    label: str
    months: str
    do_nothing_plans: str
    do_nothing_cost: str
    plans: str
    cost: str
    avoided: str


@dataclass(frozen=True)
class Table:
    """A table of categories (or bands) by year: the start, then each year."""

    caption: str
    id: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]


def _category_table(projection: Projection, *, caption: str, table_id: str, cost: bool) -> Table:
    years = [projection.start, *projection.years]
    keys = [
        line.category
        for line in projection.start.categories
        if any(
            y.category(line.category).plans or y.category(line.category).new_plans for y in years
        )
    ]

    def value(year: Year, key: str) -> float:
        line = year.category(key)
        return line.annual_cost if cost else line.plans

    show = pounds if cost else plans
    return Table(
        caption=caption,
        id=table_id,
        headers=("Placement category", "Start", *(f"Year {y.year}" for y in projection.years)),
        rows=tuple((label(key), *(show(value(y, key)) for y in years)) for key in keys),
        total=(
            "Total",
            *(show(y.annual_cost if cost else y.open_plans) for y in years),
        ),
    )


def _band_table(projection: Projection) -> Table:
    years = [projection.start, *projection.years]
    return Table(
        caption="Scenario: plans by age band",
        id="by-age-band",
        headers=("Age band", "Start", *(f"Year {y.year}" for y in projection.years)),
        rows=tuple(
            (band.label, *(plans(y.by_age_band[i]) for y in years))
            for i, band in enumerate(AGE_BANDS)
        ),
        total=("Total", *(plans(y.open_plans) for y in years)),
    )


def _flows_table(projection: Projection) -> Table:
    rows = (
        ("Requests for assessment", [y.requests for y in projection.years]),
        ("New plans (and transfers in)", [y.new_plans for y in projection.years]),
        ("Plans ceased (with those ageing out)", [y.ceased for y in projection.years]),
        ("Of which ageing out at 25", [y.aged_out for y in projection.years]),
        ("Stepped down to another category", [y.stepped_down for y in projection.years]),
        (
            "New plans sent on by a full category",
            [sum(c.turned_away for c in y.categories) for y in projection.years],
        ),
    )
    return Table(
        caption="Scenario: flows each year",
        id="flows",
        headers=("", *(f"Year {y.year}" for y in projection.years)),
        rows=tuple((name, *(plans(v) for v in values)) for name, values in rows),
        total=(),
    )


def results(run: Trajectory) -> dict[str, Any]:
    """The results' tables and charts for the template."""
    comparison = run.comparison
    scenario, nothing = comparison.scenario, comparison.do_nothing
    rows = []
    for s, d, avoided in zip(
        scenario.years, nothing.years, comparison.cost_avoided_by_year, strict=True
    ):
        first, last = run.year_span(s.year)
        rows.append(
            YearRow(
                label=f"Year {s.year}",
                months=month_span(first, last),
                do_nothing_plans=plans(d.open_plans),
                do_nothing_cost=pounds(d.annual_cost),
                plans=plans(s.open_plans),
                cost=pounds(s.annual_cost),
                avoided=pounds(avoided),
            )
        )
    labels = ["Start", *(f"Year {y.year}" for y in scenario.years)]
    largest = max(y.annual_cost for y in [*nothing.years, *scenario.years, scenario.start])
    unit, unit_name = (1e6, "£ million") if largest >= 1e7 else (1e3, "£ thousand")
    charts = [
        line_chart(
            title="Plans in force at each year's end",
            labels=labels,
            series=[
                Series(
                    "Do nothing",
                    tuple(round(y.open_plans) for y in [nothing.start, *nothing.years]),
                ),
                Series(
                    "Scenario",
                    tuple(round(y.open_plans) for y in [scenario.start, *scenario.years]),
                ),
            ],
            label_heading="Year",
        ),
        line_chart(
            title=f"Annual cost ({unit_name})",
            labels=labels,
            series=[
                Series(
                    "Do nothing",
                    tuple(round(y.annual_cost / unit, 1) for y in [nothing.start, *nothing.years]),
                ),
                Series(
                    "Scenario",
                    tuple(
                        round(y.annual_cost / unit, 1) for y in [scenario.start, *scenario.years]
                    ),
                ),
            ],
            label_heading="Year",
        ),
    ]
    return {
        "run": run,
        "year_rows": rows,
        "cost_avoided": pounds(comparison.cost_avoided),
        "start_plans": plans(scenario.start.open_plans),
        "start_cost": pounds(scenario.start.annual_cost),
        "tables": [
            _category_table(
                scenario,
                caption="Scenario: plans by placement category",
                table_id="plans",
                cost=False,
            ),
            _category_table(
                scenario,
                caption="Scenario: annual cost by placement category",
                table_id="costs",
                cost=True,
            ),
            _band_table(scenario),
            _flows_table(scenario),
        ],
        "do_nothing_tables": [
            _category_table(
                nothing,
                caption="Do nothing: plans by placement category",
                table_id="do-nothing-plans",
                cost=False,
            ),
            _category_table(
                nothing,
                caption="Do nothing: annual cost by placement category",
                table_id="do-nothing-costs",
                cost=True,
            ),
        ],
        "charts": charts,
        "uncosted": [label(c) for c in run.uncosted],
        "actuals_chart": _actuals_chart(run),
        "actual_rows": [
            (
                a.month.label,
                plans(a.actual),
                "" if a.agreed is None else plans(a.agreed),
                "" if a.difference is None else f"{a.difference:+,.0f}",
                plans(a.projected),
            )
            for a in run.actuals
        ],
        "basis": _basis(run),
    }


def _actuals_chart(run: Trajectory) -> Chart | None:
    if not run.actuals:
        return None
    series = [
        Series("Actual", tuple(float(a.actual) for a in run.actuals)),
        Series("Scenario", tuple(round(a.projected) for a in run.actuals)),
    ]
    if run.agreed:
        series.insert(
            1,
            Series(
                "Agreed trajectory",
                tuple(None if a.agreed is None else round(a.agreed) for a in run.actuals),
            ),
        )
    return line_chart(
        title="Plans in force at each month's end against the trajectory",
        labels=[a.month.short_label for a in run.actuals],
        series=series,
        label_heading="Month",
    )


def _basis(run: Trajectory) -> list[tuple[str, str]]:
    names = {name: text for name, text, *_ in NUMBERS}
    basis = run.fitted.basis
    out = [(names[key], basis[key]) for key in names if key in basis]
    out += [
        (f"Cessation rate, {band.label.lower()}", basis[f"cessation_pct.{band.key}"])
        for band in AGE_BANDS
        if f"cessation_pct.{band.key}" in basis
    ]
    out.append(("Placement mix of new plans", basis["placement_mix"]))
    out.append(("Ages of new plans", basis["new_plan_ages"]))
    out += [
        (f"Unit cost: {label(c)}", basis[f"unit_cost.{c}"])
        for c in PLACED_CATEGORIES
        if f"unit_cost.{c}" in basis
    ]
    return out


def mix_rows(run: Trajectory) -> list[tuple[str, str]]:
    """The fitted placement mix of new plans, for the shifts' hint column."""
    mix = run.fitted.assumptions.placement_mix_pct
    return [(c, f"{mix.get(c, 0.0):.1f}%") for c in PLACED_CATEGORIES]


# --- pages --------------------------------------------------------------------------------------
def _has_parameters(query: QueryDict) -> bool:
    return any(key not in ("start", "years") for key in query)


class TrajectoryView(ReportingPage):
    """Run a scenario (GET) against do nothing; list the saved scenarios."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return trajectory_page(request, request.GET)


def trajectory_page(
    request: HttpRequest, query: QueryDict, *, save_form: SaveForm | None = None
) -> HttpResponse:
    """The calculator for `query` (a GET's, or the one a save form carried)."""
    today = timezone.localdate()
    start, years = default_start(today=today), DEFAULT_YEARS
    start_form = StartForm(
        query if "start" in query else None, initial={"start": start.key, "years": years}
    )
    if start_form.is_bound and start_form.is_valid():
        start, years = start_form.cleaned_data["start"], start_form.cleaned_data["years"]
    fitted = trajectory_defaults(start=start, today=today)
    defaults = parameters_of(fitted.assumptions)
    if _has_parameters(query):
        form = ScenarioForm(query, basis=fitted.basis)
    else:
        form = ScenarioForm(
            basis=fitted.basis, initial={"start": start.key, "years": years, **initial_of(defaults)}
        )
    run = None
    if (not start_form.is_bound or start_form.is_valid()) and (
        not form.is_bound or form.is_valid()
    ):
        parameters = form.parameters() if form.is_bound else {}
        try:
            run = trajectory_run(
                start=start, years=years, parameters=parameters, today=today, fitted=fitted
            )
        except ValidationError as error:
            problems = error.message_dict
            if "start" in problems:
                start_form.add_error("start", problems.pop("start"))
            problems.pop("agreed_trajectory", None)
            if problems:
                form.apply(ValidationError(problems))
    manager = is_manager(request)
    if manager and run is not None and save_form is None:
        save_form = SaveForm(initial={"query": query.urlencode()})
    context: dict[str, Any] = {
        "tabs": tabs("reporting:trajectory"),
        "start_form": start_form,
        "form": form,
        "save_form": save_form,
        "errors": _errors(start_form, form, save_form),
        "manager": manager,
        "fitted": fitted,
        "start": start,
        "years": years,
        "numbers": [form[name] for name, *_ in NUMBERS],
        "cessation": [form[_field("cessation_pct", b.key)] for b in AGE_BANDS],
        "category_rows": [
            (
                label(c),
                f"{fitted.assumptions.placement_mix_pct.get(c, 0.0):.1f}%",
                [form[_field(name, c)] for name, *_ in PER_CATEGORY],
                form[_field("overflow", c)],
            )
            for c in PLACED_CATEGORIES
        ],
        "category_headers": [text for _, text, *_ in PER_CATEGORY],
        "step_downs": [
            (n, form[f"step_down_from_{n}"], form[f"step_down_to_{n}"], form[f"step_down_pct_{n}"])
            for n in range(1, STEP_DOWNS + 1)
        ],
        "scenarios": saved_scenarios(),
    }
    if run is not None:
        context.update(results(run))
    return render(request, "reporting/trajectory.html", context)


def _errors(*forms_: forms.Form | None) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary, across the page's forms."""
    out: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        out += [("", str(e)) for e in form.non_field_errors()]
        for field in form:
            out += [(f"#{field.id_for_label}", str(e)) for e in field.errors]
    return out


class TrajectorySaveView(ReportingPage):
    """Save the scenario the page ran (managers and administrators)."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SaveForm(request.POST)
        query = QueryDict(request.POST.get("query", ""))
        if not form.is_valid():
            return trajectory_page(request, query, save_form=form)
        today = timezone.localdate()
        start_form = StartForm(query if "start" in query else None)
        start, years = default_start(today=today), DEFAULT_YEARS
        if start_form.is_bound:
            if not start_form.is_valid():
                return trajectory_page(request, query, save_form=form)
            start, years = start_form.cleaned_data["start"], start_form.cleaned_data["years"]
        scenario_form = ScenarioForm(query) if _has_parameters(query) else None
        if scenario_form is not None and not scenario_form.is_valid():
            return trajectory_page(request, query, save_form=form)
        try:
            run = trajectory_run(
                start=start,
                years=years,
                parameters=scenario_form.parameters() if scenario_form is not None else {},
                agreed=form.cleaned_data["agreed_trajectory"],
                today=today,
            )
            scenario = scenario_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                start=start,
                years=years,
                parameters=parameters_of(run.scenario),
                defaults=parameters_of(run.do_nothing),
                agreed_trajectory=run.agreed,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
            return trajectory_page(request, query, save_form=form)
        messages.success(request, SAVED.format(name=scenario.name))
        return redirect("reporting:trajectory-scenario", pk=scenario.pk)


def _scenario_or_404(pk: Any) -> Scenario:
    scenario = saved_scenario(scenario_id=pk)
    if scenario is None:
        raise Http404("There is no saved scenario with that id.")
    return scenario


class ScenarioView(ReportingPage):
    """A saved scenario rerun from its stored parameters against its stored do-nothing ones,
    with the actuals since its start against the agreed trajectory."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        scenario = _scenario_or_404(pk)
        start = parse_period(scenario.start)
        context: dict[str, Any] = {
            "tabs": tabs("reporting:trajectory"),
            "scenario": scenario,
            "manager": is_manager(request),
            "calculator_url": reverse("reporting:trajectory")
            + calculator_query(
                start=scenario.start, years=scenario.years, parameters=scenario.parameters
            ),
            "agreed": [plans(n) for n in scenario.agreed_trajectory],
            "problem": "",
        }
        try:
            run = trajectory_run(
                start=start,
                years=scenario.years,
                parameters=scenario.parameters,
                defaults=scenario.defaults,
                agreed=scenario.agreed_trajectory,
                today=max(timezone.localdate(), start.start),
            )
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            context.update(results(run))
            context["parameters"] = _parameter_rows(run)
        return render(request, "reporting/trajectory_scenario.html", context)


def _parameter_rows(run: Trajectory) -> list[tuple[str, str, str]]:
    """(parameter, scenario, do nothing) where they differ, and the headline ones always."""
    scenario, nothing = parameters_of(run.scenario), parameters_of(run.do_nothing)
    rows = []
    for name, text, *_ in NUMBERS:
        rows.append((text, _text(scenario[name]), _text(nothing[name])))
    for band in AGE_BANDS:
        a, b = (
            scenario["cessation_pct"].get(band.key, 0.0),
            nothing["cessation_pct"].get(band.key, 0.0),
        )
        if a != b:
            rows.append((f"Cessation rate, {band.label.lower()} (%)", _text(a), _text(b)))
    for name, text, *_ in PER_CATEGORY:
        for category in PLACED_CATEGORIES:
            a, b = scenario[name].get(category), nothing[name].get(category)
            if a != b:
                rows.append((f"{text}: {label(category)}", _opt(a), _opt(b)))
    for category, onward in scenario["overflow"].items():
        rows.append((f"When full, new plans go to: {label(category)}", label(onward), ""))
    for step in scenario["step_down"]:
        rows.append(
            (
                f"Step-down from {label(step['from'])} to {label(step['to'])} (% a year)",
                _text(step["pct"]),
                "",
            )
        )
    return rows


def _opt(value: float | None) -> str:
    return "" if value is None else _text(value)


class ScenarioDeleteView(ReportingPage):
    """Delete a saved scenario (managers and administrators); audited."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        scenario = _scenario_or_404(pk)
        name = scenario.name
        scenario_delete(actor=request.user, scenario=scenario)
        messages.success(request, DELETED.format(name=name))
        return redirect("reporting:trajectory")


urlpatterns: list[URLPattern] = [
    path("trajectory/", TrajectoryView.as_view(), name="trajectory"),
    path("trajectory/save/", TrajectorySaveView.as_view(), name="trajectory-save"),
    path("trajectory/<uuid:pk>/", ScenarioView.as_view(), name="trajectory-scenario"),
    path(
        "trajectory/<uuid:pk>/delete/",
        ScenarioDeleteView.as_view(),
        name="trajectory-scenario-delete",
    ),
]
