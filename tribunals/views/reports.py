"""The manager's outcomes and costs view, and the chronology PDF for the tribunal bundle."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from cases.models import Child
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.audit.reads import record_download
from send_cms.common.pdf import pdf_response
from tribunals import presenters
from tribunals.codes import Outcome
from tribunals.forms import OutcomesFilterForm
from tribunals.selectors.chronology import chronology_for
from tribunals.selectors.rulings import YEARS_BACK, outcomes_view
from tribunals.views.common import CASE_READERS, OUTCOME_READERS, TribunalsPage


class OutcomesView(TribunalsPage, TemplateView):
    allowed_roles = OUTCOME_READERS
    template_name = "tribunals/outcomes.html"
    nav_name = "tribunals:outcomes"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = OutcomesFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        view = outcomes_view(
            user=self.request.user, since=filters.get("since"), until=filters.get("until")
        )
        context.update(
            filter_form=form,
            view=view,
            outcomes=Outcome,
            money=presenters.money,
            years_back=YEARS_BACK,
        )
        return context


class ChronologyPdfView(RoleRequiredMixin, View):
    """Every dated event on the child's case, for the tribunal bundle."""

    allowed_roles = CASE_READERS

    def get(self, request: HttpRequest, child_id: str) -> HttpResponse:
        child = get_object_or_404(Child, pk=child_id)
        chronology = chronology_for(user=request.user, child=child)
        record_download(actor=request.user, name="chronology", fmt="pdf", child_id=child.pk)
        return pdf_response(
            "tribunals/pdf/chronology.html",
            {"chronology": chronology},
            filename=f"chronology-{child.reference}.pdf",
        )
