"""Meeting pages: the list, planning, the agenda, attendance, starting and closing, papers."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from panels import presenters
from panels.forms import AttendanceForm, MeetingForm
from panels.models import MeetingStatus, PanelMeeting
from panels.rules import (
    CLERK_ROLES,
    can_run_meeting,
    is_clerk,
    quorum,
)
from panels.selectors import (
    current_decision,
    meeting_get,
    meeting_list,
    papers_for,
)
from panels.services import (
    meeting_attendance_set,
    meeting_close,
    meeting_create,
    meeting_start,
)
from panels.views.base import AD, CW, PM, PanelsPage, errors_form
from send_cms.audit.reads import record_download, record_list_read
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.pdf import pdf_response
from send_cms.common.steps import ServiceFormView

# --- meetings -----------------------------------------------------------------------------------


class MeetingListView(PanelsPage, TemplateView):
    template_name = "panels/meeting_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["upcoming"] = list(meeting_list(user=user, upcoming=True))
        context["past"] = list(meeting_list(user=user, upcoming=False)[:20])
        context["can_plan"] = is_clerk(user)
        context["tags"] = presenters.MEETING_TAGS
        return context


class MeetingCreateView(PanelsPage, ServiceFormView):
    allowed_roles = CLERK_ROLES
    template_name = "panels/meeting_form.html"
    form_class = MeetingForm

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        self.meeting = meeting_create(
            actor=self.request.user,
            panel=data["panel"],
            held_on=data["held_on"],
            chair=data["chair"],
            members=list(data["members"]),
            location=data["location"],
        )
        return f"Meeting planned: {self.meeting}"

    def get_success_url(self) -> str:
        return meeting_url(self.meeting)


def meeting_url(meeting: PanelMeeting) -> str:
    return reverse("panels:meeting-detail", kwargs={"pk": meeting.pk})


class MeetingMixin(PanelsPage):
    kwargs: dict[str, Any]

    def get_meeting(self) -> PanelMeeting:
        if not hasattr(self, "_meeting"):
            self._meeting = meeting_get(user=self.request.user, pk=self.kwargs["pk"])
        return self._meeting


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "panels/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meeting = self.get_meeting()
        items = list(meeting.items.all())
        record_list_read(
            actor=user,
            name="panels:meeting-detail",
            query={"meeting": meeting.pk},
            rows=len(items),
            children=(item.child_id for item in items),
        )
        rows = []
        for item in items:
            decision = current_decision(item)
            rows.append(
                {
                    "item": item,
                    "decision": decision,
                    "tag": presenters.outcome_tag(decision.outcome) if decision else "",
                }
            )
        open_meeting = meeting.status != MeetingStatus.CLOSED
        context.update(
            meeting=meeting,
            rows=rows,
            members=[
                (membership, presenters.attendance_label(meeting, membership))
                for membership in meeting.memberships.all()
            ],
            quorum_text=presenters.quorum_text(meeting, quorum(meeting)),
            tag=presenters.MEETING_TAGS[MeetingStatus(meeting.status)],
            can_add_items=open_meeting and is_clerk(user),
            can_record_attendance=open_meeting and (is_clerk(user) or user.pk == meeting.chair_id),
            can_start=meeting.status == MeetingStatus.PLANNED and can_run_meeting(user, meeting),
            can_close=meeting.status == MeetingStatus.IN_SESSION and can_run_meeting(user, meeting),
        )
        return context


class MeetingAttendanceView(MeetingMixin, ServiceFormView):
    allowed_roles = frozenset({CW, AD, PM})
    template_name = "panels/meeting_attendance.html"
    form_class = AttendanceForm
    error_aliases = {"members": "present"}
    success_message = "Attendance recorded"

    def get_form_kwargs(self) -> dict[str, Any]:
        meeting = self.get_meeting()
        user = self.request.user
        if not (is_clerk(user) or user.pk == meeting.chair_id):
            raise PermissionDenied("Only the clerk or the chair records who is present.")
        return {**super().get_form_kwargs(), "meeting": meeting}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(meeting=self.get_meeting(), **kwargs)

    def perform(self, form: forms.Form) -> None:
        meeting_attendance_set(
            actor=self.request.user,
            meeting=self.get_meeting(),
            present=list(form.cleaned_data["present"]),
        )

    def get_success_url(self) -> str:
        return meeting_url(self.get_meeting())


class MeetingStepView(MeetingMixin, TemplateView):
    """Start or close a meeting: a confirmation page and a plain POST."""

    allowed_roles = frozenset({PM, AD})
    template_name = "panels/meeting_confirm.html"
    step = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        if not can_run_meeting(self.request.user, meeting):
            raise PermissionDenied("Only the chair (or an administrator) can start or close it.")
        undecided = [i for i in meeting.items.all() if current_decision(i) is None]
        context.update(meeting=meeting, step=self.step, undecided=undecided)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.get_meeting()
        action = meeting_start if self.step == "start" else meeting_close
        try:
            action(actor=request.user, meeting=meeting)
        except TransitionNotAllowed as exc:
            return self.render_to_response(self.get_context_data(form=errors_form(exc.message)))
        done = "Meeting started" if self.step == "start" else "Meeting closed: decisions sent"
        messages.success(request, done)
        return redirect(meeting_url(meeting))


class MeetingStartView(MeetingStepView):
    step = "start"


class MeetingCloseView(MeetingStepView):
    step = "close"


class PapersPackView(MeetingMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.get_meeting()
        items = list(meeting.items.all())
        papers = papers_for(user=request.user, items=items)
        record_download(
            actor=request.user,
            name="panel papers pack",
            fmt="pdf",
            rows=len(items),
            children=(item.child_id for item in items),
            obj=meeting,
        )
        entries = [
            {
                "item": item,
                "papers": papers[item.pk],
                "key_dates": presenters.key_dates(papers[item.pk]),
            }
            for item in items
        ]
        return pdf_response(
            "panels/pdf/papers_pack.html",
            {
                "meeting": meeting,
                "entries": entries,
                "memberships": list(meeting.memberships.all()),
                "printed_on": timezone.localdate(),
            },
            f"panel-papers-{meeting.held_on:%Y-%m-%d}.pdf",
        )
