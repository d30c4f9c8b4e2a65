"""The trajectory page: a scenario's parameters (prefilled with the defaults fitted from the
council's last three years, each with its basis), its plans and cost year by year against "do
nothing" with the cost avoided, saved scenarios, and each saved scenario's actuals against the
trajectory the council agreed.

Managers and administrators run and save scenarios; caseworkers may run them and read the saved
ones; panel members are refused. Running is a GET (a scenario is a link); saving and deleting
are POSTs. Forms check shape; reporting.selectors.trajectory and reporting.services.trajectory
have the last word, and their field-keyed refusals land on these fields.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from reporting.models import Scenario
from reporting.periods import parse_period
from reporting.selectors.trajectory import (
    PLACED_CATEGORIES,
    default_start,
    label,
    parameters_of,
    saved_scenario,
    saved_scenarios,
    trajectory_defaults,
    trajectory_run,
)
from reporting.services.trajectory import scenario_delete, scenario_save
from reporting.trajectory import AGE_BANDS
from reporting.views.common import MANAGERS, ReportingPage, is_manager, tabs
from reporting.views.trajectory.forms import (
    DEFAULT_YEARS,
    NUMBERS,
    PER_CATEGORY,
    STEP_DOWNS,
    SaveForm,
    ScenarioForm,
    StartForm,
    calculator_query,
    field_name,
    initial_of,
)
from reporting.views.trajectory.presenters import parameter_rows, plans, results
from send_cms.common.steps import apply_service_errors

SAVED = "Scenario saved: {name}"
DELETED = "Scenario deleted: {name}"


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
        "cessation": [form[field_name("cessation_pct", b.key)] for b in AGE_BANDS],
        "category_rows": [
            (
                label(c),
                f"{fitted.assumptions.placement_mix_pct.get(c, 0.0):.1f}%",
                [form[field_name(name, c)] for name, *_ in PER_CATEGORY],
                form[field_name("overflow", c)],
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


def _errors(*forms_: Form | None) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary, across the page's forms."""
    out: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        out += [("", str(e)) for e in form.non_field_errors()]
        for field in form:
            target = getattr(field, "error_target_id", "") or field.id_for_label  # GovukBoundField
            out += [(f"#{target}", str(e)) for e in field.errors]
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
            apply_service_errors(form, error)
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
                today=timezone.localdate(),
            )
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            context.update(results(run))
            context["parameters"] = parameter_rows(run)
        return render(request, "reporting/trajectory_scenario.html", context)


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
