"""The record: decision letters, the decisions list, the consistency view, the bands."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from panels import presenters
from panels.forms import (
    DecisionFilterForm,
    PeriodForm,
)
from panels.selectors import (
    band_list,
    consistency,
    decision_get,
    decision_list,
)
from panels.views.base import AD, CW, MG, PanelsPage
from send_cms.audit.reads import audited_page, record_download
from send_cms.common.pdf import pdf_response

# --- decisions, letters, consistency, bands -----------------------------------------------------


class DecisionLetterView(PanelsPage, View):
    audience = "family"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        decision = decision_get(user=request.user, pk=kwargs["pk"])
        if decision.applied_at is None or not decision.is_current:
            raise Http404("Letters are sent once the meeting closes")
        letter = presenters.letter(decision, self.audience)
        child = decision.item.child
        record_download(
            actor=request.user,
            name=f"panel decision letter ({self.audience})",
            fmt="pdf",
            child_id=child.pk,
            obj=decision,
        )
        return pdf_response(
            "panels/pdf/decision_letter.html",
            {"letter": letter, "child": child},
            f"panel-decision-{child.reference}-{self.audience}.pdf",
        )


class FamilyLetterView(DecisionLetterView):
    audience = "family"


class SettingLetterView(DecisionLetterView):
    audience = "setting"


def _default_period(form: PeriodForm) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to - dt.timedelta(days=365)
    return date_from, date_to


class DecisionListView(PanelsPage, TemplateView):
    allowed_roles = frozenset({CW, MG, AD})
    template_name = "panels/decision_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = DecisionFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        decisions = decision_list(
            user=self.request.user,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            panel=data.get("panel"),
            kind=data.get("kind") or None,
            outcome=data.get("outcome") or None,
        )
        page = audited_page(
            self.request,
            decisions,
            per_page=50,
            name="panels:decision-list",
            child_id=lambda decision: decision.item.child_id,
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            rows=[
                {"decision": d, "tag": presenters.outcome_tag(d.outcome)} for d in page.object_list
            ],
            query=query.urlencode(),
        )
        return context


class ConsistencyView(PanelsPage, TemplateView):
    allowed_roles = frozenset({MG, AD})
    template_name = "panels/consistency.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = PeriodForm(self.request.GET or None)
        date_from, date_to = _default_period(form)
        panel = form.cleaned_data.get("panel") if form.is_bound and form.is_valid() else None
        context.update(
            form=form,
            report=consistency(date_from=date_from, date_to=date_to, panel=panel),
        )
        return context


class BandListView(PanelsPage, TemplateView):
    template_name = "panels/band_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        bands = list(band_list())
        context.update(
            bands=[{"band": b, "current": b.applies_on(today)} for b in bands],
            today=today,
            admin_url=reverse("admin:panels_fundingband_changelist"),
            is_admin=AD in getattr(self.request.user, "roles", frozenset()),
        )
        return context
