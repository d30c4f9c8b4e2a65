"""Pages for managers and administrators: the records due for disposal (tick, confirm,
approve), the disposal log, and a child's subject access export."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.views.generic import TemplateView, View

from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import Role
from send_cms.audit.reads import audited_page, record_download
from send_cms.audit.services import record
from send_cms.common.downloads import content_disposition
from send_cms.retention import messages as msg
from send_cms.retention import registry, selectors, services, subject_access
from send_cms.retention.models import DisposalStatus
from send_cms.retention.schedule import ACTION_LABELS, schedule

MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
PER_PAGE = 50
SUBJECT_ACCESS_VIEWED = "subject_access.viewed"
EXPORT_NAME = "subject access export"
FORMATS = {
    "json": "application/json",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def _tabs(current: str) -> list[dict[str, Any]]:
    base = reverse("retention:disposal-list")
    return [
        {
            "label": label,
            "href": f"{base}?status={status}",
            "current": status == current,
        }
        for status, label in DisposalStatus.choices
    ]


class DisposalListView(RoleRequiredMixin, TemplateView):
    """The schedule in force and the disposal log: records due, disposed of, or withdrawn."""

    allowed_roles = MANAGERS
    template_name = "retention/disposal_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", DisposalStatus.DUE)
        if status not in DisposalStatus.values:
            status = DisposalStatus.DUE
        page = audited_page(
            self.request,
            selectors.disposal_list(user=self.request.user, status=status),
            per_page=PER_PAGE,
            name="retention:disposal-list",
            child_id=lambda row: row.child_id,
        )
        context.update(
            status=status,
            status_label=DisposalStatus(status).label,
            tabs=_tabs(status),
            page=page,
            rows=[(row, selectors.record_kind(row.object_type)) for row in page.object_list],
            rules=[(rule, ACTION_LABELS[rule.action]) for rule in schedule()],
        )
        return context


class DisposalConfirmView(RoleRequiredMixin, TemplateView):
    """The confirm step: the ticked records and what will happen to each; approving disposes
    of them all in one transaction."""

    allowed_roles = MANAGERS
    template_name = "retention/disposal_confirm.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(request.GET.getlist("disposal"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ids = request.POST.getlist("disposal")
        chosen = selectors.disposals_selected(user=request.user, ids=ids)
        try:
            if len(chosen) != len(set(ids)):
                raise ValidationError({"disposals": msg.NOT_DUE if ids else msg.NOTHING_SELECTED})
            done = services.disposals_approve(
                actor=request.user, disposal_ids=[r.pk for r in chosen]
            )
        except ValidationError as error:
            return self._page(ids, error=error.messages[0])
        count = len(done)
        messages.success(
            request, msg.DISPOSED.format(count=count, records="record" if count == 1 else "records")
        )
        return HttpResponseRedirect(
            f"{reverse('retention:disposal-list')}?status={DisposalStatus.DONE}"
        )

    def _page(self, ids: list[str], *, error: str = "") -> HttpResponse:
        chosen = selectors.disposals_selected(user=self.request.user, ids=ids)
        if not chosen and not error:
            error = msg.NOTHING_SELECTED
        record(
            actor=self.request.user,
            action="list.viewed",
            changes={
                "list": "retention:disposal-confirm",
                "rows": len(chosen),
                "children": sorted({str(row.child_id) for row in chosen if row.child_id}),
            },
        )
        context = self.get_context_data(
            rows=[(row, selectors.record_kind(row.object_type)) for row in chosen],
            error=error,
        )
        return self.render_to_response(context)


def subject_or_404(pk: uuid.UUID) -> registry.Subject:
    subject = registry.subject(pk)
    if subject is None:
        raise Http404("No child or young person with this id.")
    return subject


class SubjectAccessView(RoleRequiredMixin, TemplateView):
    """What the export holds, and the three ways to download it."""

    allowed_roles = MANAGERS
    template_name = "retention/subject_access.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        subject = subject_or_404(self.kwargs["child_id"])
        record(
            actor=self.request.user,
            action=SUBJECT_ACCESS_VIEWED,
            child_id=subject.id,
            changes={"reference": subject.reference},
        )
        context.update(subject=subject, sections=registry.sections())
        return context


class SubjectAccessDownloadView(RoleRequiredMixin, View):
    """The export as JSON, PDF or a ZIP of both with the files held; recorded as a download."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, child_id: uuid.UUID, fmt: str) -> HttpResponseBase:
        if fmt not in FORMATS:
            raise Http404("No such format.")
        export = subject_access.subject_access_export(subject=subject_or_404(child_id))
        response: HttpResponseBase
        if fmt == "zip":
            response = FileResponse(subject_access.zip_file(export), content_type=FORMATS[fmt])
        else:
            render = subject_access.as_pdf if fmt == "pdf" else subject_access.as_json
            response = HttpResponse(render(export), content_type=FORMATS[fmt])
        record_download(actor=request.user, name=EXPORT_NAME, fmt=fmt, child_id=export.subject.id)
        response["Content-Disposition"] = content_disposition(f"{export.stem}.{fmt}")
        return response
