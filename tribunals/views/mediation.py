"""Mediation pages: the register, the mediation page, recording one and each of its steps."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from send_cms.audit.reads import audited_page
from tribunals import presenters, selectors, services
from tribunals.deadlines import mediation_deadline_rows
from tribunals.forms import (
    AgreementActionForm,
    CertificateForm,
    ContactForm,
    HeldForm,
    MediationForm,
    NotArrangedForm,
    StepCompliedForm,
    WantedForm,
)
from tribunals.models import Mediation
from tribunals.views.appeals import AppealFindChildView
from tribunals.views.common import ChildRecordCreateView, StepView, TribunalsPage

PAGE_SIZE = 50


def mediation_url(mediation: Mediation) -> str:
    return reverse("tribunals:mediation-detail", args=[mediation.pk])


def mediation_steps(mediation: Mediation) -> list[tuple[str, str]]:
    """The step pages the record allows now, as (label, url)."""
    pk = mediation.pk
    steps = []
    if mediation.family_contacted_on is None:
        steps.append(
            ("Record the family's contact with the adviser", "tribunals:mediation-contact")
        )
    if mediation.mediation_wanted and mediation.la_informed_on is None:
        steps.append(
            ("Record the council told the family wants mediation", "tribunals:mediation-wanted")
        )
    if (
        mediation.mediation_wanted
        and mediation.held_on is None
        and mediation.not_arranged_on is None
    ):
        steps.append(("Record the mediation meeting", "tribunals:mediation-held"))
        steps.append(
            (
                "Record that mediation could not be arranged in 30 days",
                "tribunals:mediation-not-arranged",
            )
        )
    if mediation.certificate_issued_on is None and mediation.family_contacted_on is not None:
        steps.append(("Record the certificate", "tribunals:mediation-certificate"))
    if mediation.outcome == "agreement":
        steps.append(("Add an agreement action", "tribunals:mediation-action"))
    return [(label, reverse(name, args=[pk])) for label, name in steps]


class MediationRegisterView(TribunalsPage, TemplateView):
    template_name = "tribunals/mediation_list.html"
    nav_name = "tribunals:mediation-list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        open_only = self.request.GET.get("show") != "all"
        today = timezone.localdate()
        mediations = list(selectors.mediation_list(user=self.request.user, open_only=open_only))
        rows = []
        for mediation in mediations:
            deadlines = mediation_deadline_rows(mediation, today=today)
            upcoming = [d for d in deadlines if d.is_open]
            rows.append((mediation, upcoming[0] if upcoming else None))
        page = audited_page(
            self.request,
            rows,
            per_page=PAGE_SIZE,
            name="tribunals:mediation-list",
            child_id=lambda row: row[0].child_id,
        )
        context.update(
            page=page, rows=page.object_list, open_only=open_only, tags=presenters.DEADLINE_TAG
        )
        return context


class MediationDetailView(TribunalsPage, TemplateView):
    template_name = "tribunals/mediation_detail.html"
    nav_name = "tribunals:mediation-list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mediation = selectors.mediation_get(user=self.request.user, pk=self.kwargs["pk"])
        context.update(
            mediation=mediation,
            deadlines=mediation_deadline_rows(mediation),
            appeal_deadline=selectors.mediation_appeal_deadline(mediation),
            actions=list(mediation.actions.all()),
            steps=mediation_steps(mediation),
            tags=presenters.DEADLINE_TAG,
        )
        return context


class MediationFindChildView(AppealFindChildView):
    target = "tribunals:mediation-create"
    title = "Record a mediation"
    nav_name = "tribunals:mediation-list"


class MediationCreateView(ChildRecordCreateView):
    template_name = "tribunals/mediation_form.html"
    form_class = MediationForm
    nav_name = "tribunals:mediation-list"
    success_message = "Mediation recorded"

    def record_url(self, record: Mediation) -> str:
        return mediation_url(record)

    def perform(self, form: forms.Form) -> None:
        self.created = self.call_service(services.mediation_create, form, child=self.child())


class _MediationStep(StepView):
    nav_name = "tribunals:mediation-list"

    def get_object(self) -> Mediation:
        return selectors.mediation_get(user=self.request.user, pk=self.kwargs["pk"])

    def back_url(self) -> str:
        return mediation_url(self.object)


class MediationContactView(_MediationStep):
    form_class = ContactForm
    title = "Record the family's contact with the mediation adviser"
    submit_label = "Record the contact"
    success_message = "Contact recorded"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.mediation_record_contact, form, mediation=self.object)


class MediationWantedView(_MediationStep):
    form_class = WantedForm
    title = "Record the day the council was told the family wants mediation"
    submit_label = "Record it"
    success_message = "Recorded: the council must arrange mediation within 30 days"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.mediation_record_wanted, form, mediation=self.object)


class MediationNotArrangedView(_MediationStep):
    form_class = NotArrangedForm
    title = "Record that mediation could not be arranged within 30 days"
    submit_label = "Record it"
    success_message = "Recorded: the adviser must now issue a certificate"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.mediation_record_not_arranged, form, mediation=self.object)


class MediationHeldView(_MediationStep):
    form_class = HeldForm
    title = "Record the mediation meeting"
    submit_label = "Record the meeting"
    success_message = "Mediation meeting recorded"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.mediation_record_held, form, mediation=self.object)


class MediationCertificateView(_MediationStep):
    form_class = CertificateForm
    title = "Record the mediation certificate"
    submit_label = "Record the certificate"
    success_message = "Certificate recorded"
    hint = (
        "The kind of certificate follows from the record: declined, after mediation, or not "
        "arranged in 30 days."
    )

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.mediation_issue_certificate, form, mediation=self.object)


class MediationActionView(_MediationStep):
    form_class = AgreementActionForm
    title = "Add an agreement action"
    submit_label = "Add the action"
    success_message = "Agreement action added"
    hint = (
        "Appealable matters run on the tribunal order periods from the day of the agreement; "
        "anything else must be done within 2 weeks."
    )

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.mediation_action_add, form, mediation=self.object)


class MediationActionCompliedView(StepView):
    form_class = StepCompliedForm
    title = "Record an agreement action done"
    submit_label = "Record it"
    success_message = "Agreement action step recorded"
    nav_name = "tribunals:mediation-list"

    def get_object(self) -> Any:
        return selectors.mediation_action_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["steps"] = list(self.object.steps.all())
        return kwargs

    def back_url(self) -> str:
        return mediation_url(self.object.mediation)

    def perform(self, form: forms.Form) -> None:
        data = form.cleaned_data
        services.mediation_action_complied(
            actor=self.request.user,
            action=self.object,
            complied_on=data["complied_on"],
            step=data.get("step") or None,
        )
