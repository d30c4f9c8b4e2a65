"""Who has seen this child (a section of the case page) and reads outside caseloads: pages for
managers and administrators, read from the audit trail."""

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from cases.access import child_access_log, reads_outside_caseload
from cases.forms import AccessPeriodForm
from cases.models import Child
from cases.presenters import pagination
from cases.views.base import MANAGERS
from cases.views.case import CasePage
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.audit.presenters import describe
from send_cms.audit.reads import audited_page

ACCESS_PER_PAGE = 50
READS_PER_PAGE = 50


class ChildAccessLogView(CasePage):
    """Every read and change of the child's records, and every list or download that named
    them, newest first. Opening it is itself a read of the case (audited by `child_get`)."""

    allowed_roles = MANAGERS
    template_name = "cases/child_access_log.html"
    tab = "access"

    def section(self, child: Child) -> dict[str, Any]:
        page = Paginator(child_access_log(child=child), ACCESS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return {
            "rows": [(event, describe(event)) for event in page.object_list],
            "pages": pagination(page, {}),
        }


class ReadsOutsideCaseloadView(RoleRequiredMixin, TemplateView):
    """Caseworkers' reads of children who are not, and never were, on their caseload."""

    allowed_roles = MANAGERS
    template_name = "cases/reads_outside_caseloads.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = AccessPeriodForm(self.request.GET or None)
        days = AccessPeriodForm.DEFAULT_DAYS
        if form.is_bound and form.is_valid():
            days = int(form.cleaned_data["days"])
        elif not form.is_bound:
            form = AccessPeriodForm(initial={"days": str(days)})
        until = timezone.now()
        rows = reads_outside_caseload(since=until - dt.timedelta(days=days), until=until)
        # The report names children: reading it is a list read like any other.
        page = audited_page(
            self.request,
            rows,
            per_page=READS_PER_PAGE,
            name="cases:reads-outside-caseloads",
            child_id=lambda row: row.child.pk,
        )
        context.update(
            form=form,
            days=days,
            rows=page.object_list,
            pages=pagination(page, {"days": str(days)}),
        )
        return context
