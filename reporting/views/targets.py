"""Pages of the reporting app (targets): what managers enter beside a metric's figure.

A target and floor, comparators (England, region, statistical neighbours) and a month's
commentary. Managers and administrators only; caseworkers see all of it read-only on the metric
page. Forms check shape; reporting.services.targets has the last word and writes the audit.
"""

import uuid
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from reporting.forms import CommentaryForm, ComparatorForm, TargetForm
from reporting.metrics import Metric
from reporting.models import Comparator
from reporting.periods import PeriodError, last_complete_month, parse_period
from reporting.rag import target_problem
from reporting.selectors.dashboard import commentary_for, comparator_for, metric_target_for
from reporting.services.targets import (
    COMMENTARY_MAX,
    commentary_save,
    comparator_add,
    comparator_delete,
    metric_target_set,
)
from reporting.views.common import MANAGERS, ManagerFormView, metric_or_404
from send_cms.accounts.permissions import RoleRequiredMixin

POLARITY_WORDS = {
    "higher_better": "Higher is better for this figure: it is green at or above the target, "
    "amber below it and red below the floor.",
    "lower_better": "Lower is better for this figure: it is green at or below the target, "
    "amber above it and red above the floor.",
}


def metric_url(metric: Metric, period: str = "") -> str:
    """The metric's page, for the period the manager came from when it is a real one."""
    url = reverse("reporting:metric-detail", args=[metric.id])
    try:
        return f"{url}?period={parse_period(period).key}" if period else url
    except PeriodError:
        return url


class MetricFormView(ManagerFormView):
    """A manager's form about one metric."""

    template_name = "reporting/metric_form.html"

    @cached_property
    def metric(self) -> Metric:
        return metric_or_404(self.kwargs["metric_id"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["metric"] = self.metric
        return context

    def get_success_url(self) -> str:
        return metric_url(self.metric, self.request.GET.get("period", ""))


class MetricTargetView(MetricFormView):
    form_class = TargetForm
    title = "Set the target and floor"

    def get_initial(self) -> dict[str, Any]:
        current = metric_target_for(metric_id=self.metric.id)
        return {"target": current.target, "floor": current.floor} if current else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        polarity = self.metric.polarity
        context["intro"] = POLARITY_WORDS.get(polarity, "")
        # A neutral figure takes no target: say so instead of offering a form that must fail.
        context["refusal"] = (
            target_problem(target=Decimal(0), floor=Decimal(0), polarity=polarity)
            if polarity == "neutral"
            else ""
        )
        return context

    def perform(self, form: forms.Form) -> str:
        metric_target_set(
            actor=self.request.user,
            metric_id=self.metric.id,
            target=form.cleaned_data["target"],
            floor=form.cleaned_data["floor"],
        )
        return f"Target saved for {self.metric.title.lower()}"


class ComparatorAddView(MetricFormView):
    form_class = ComparatorForm
    title = "Add a comparator"
    submit_label = "Add comparator"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            "A published figure to compare with this one: England, the region or the council's "
            "statistical neighbours."
        )
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        row = comparator_add(
            actor=self.request.user,
            metric_id=self.metric.id,
            area=data["area"],
            value=data["value"],
            period_label=data["period_label"],
            source=data["source"],
        )
        return f"{row.get_area_display()} figure for {row.period_label} added"


class ComparatorDeleteView(RoleRequiredMixin, TemplateView):
    """Confirm, then delete a comparator entered in error (a POST from a button: no script)."""

    allowed_roles = MANAGERS
    template_name = "reporting/metric_comparator_delete.html"

    @cached_property
    def metric(self) -> Metric:
        return metric_or_404(self.kwargs["metric_id"])

    @cached_property
    def comparator(self) -> Comparator:
        row = comparator_for(metric_id=self.metric.id, pk=self.kwargs["pk"])
        if row is None:
            raise Http404("There is no such comparator.")
        return row

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            metric=self.metric,
            comparator=self.comparator,
            back_url=metric_url(self.metric, self.request.GET.get("period", "")),
        )
        return context

    def post(self, request: HttpRequest, metric_id: str, pk: uuid.UUID) -> HttpResponse:
        row = self.comparator
        label = f"{row.get_area_display()} figure for {row.period_label}"
        comparator_delete(actor=request.user, comparator_id=row.pk)
        messages.success(request, f"{label} deleted")
        return redirect(metric_url(self.metric, request.GET.get("period", "")))


class CommentaryView(MetricFormView):
    form_class = CommentaryForm
    template_name = "reporting/metric_commentary.html"
    title = "Commentary"
    submit_label = "Save commentary"

    def get_initial(self) -> dict[str, Any]:
        text = self.request.GET.get("period", "")
        try:
            period = parse_period(text) if text else last_complete_month(timezone.localdate())
        except PeriodError:
            return {"period": text}
        existing = commentary_for(metric_id=self.metric.id, period=period)
        return {"period": period.key, "text": existing.text if existing else ""}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(max_length=COMMENTARY_MAX, max_length_text=f"{COMMENTARY_MAX:,}")
        return context

    def get_success_url(self) -> str:
        form_period = getattr(self, "_saved_period", "")
        return metric_url(self.metric, form_period or self.request.GET.get("period", ""))

    def perform(self, form: forms.Form) -> str:
        period = form.cleaned_data["period"]
        commentary_save(
            actor=self.request.user,
            metric_id=self.metric.id,
            period=period.key,
            text=form.cleaned_data["text"],
        )
        self._saved_period = period.key
        return f"Commentary saved for {period.label}"


urlpatterns: list[URLPattern | URLResolver] = [
    path("metrics/<str:metric_id>/target/", MetricTargetView.as_view(), name="metric-target"),
    path(
        "metrics/<str:metric_id>/comparators/new/",
        ComparatorAddView.as_view(),
        name="metric-comparator-add",
    ),
    path(
        "metrics/<str:metric_id>/comparators/<uuid:pk>/delete/",
        ComparatorDeleteView.as_view(),
        name="metric-comparator-delete",
    ),
    path(
        "metrics/<str:metric_id>/commentary/",
        CommentaryView.as_view(),
        name="metric-commentary",
    ),
]
