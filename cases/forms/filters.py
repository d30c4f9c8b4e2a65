"""The GET forms of the caseload, the advice tracker and the reads report."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from cases.codes import (
    AdviceKind,
    EstablishmentKind,
    SenType,
)
from cases.forms.fields import select_field, set_queryset
from cases.models import (
    Establishment,
    RequestStatus,
)
from cases.selectors import STAGE_PLAN
from send_cms.accounts.models import User
from send_cms.common.forms import (
    GovukForm,
    GovukSelect,
    GovukTextInput,
)
from send_cms.common.search import SearchField
from send_cms.timescales.status import DeadlineStatus

STAGE_CHOICES = [
    (RequestStatus.RECEIVED.value, "Awaiting decision to assess"),
    (RequestStatus.ASSESSING.value, "Assessing"),
    (RequestStatus.ISSUING.value, "Drafting the plan"),
    (RequestStatus.DRAFT_ISSUED.value, "Draft plan issued"),
    (STAGE_PLAN, "Plan in force"),
]
DEADLINE_STATUS_CHOICES = [
    (DeadlineStatus.overdue.value, DeadlineStatus.overdue.label),
    (DeadlineStatus.due_soon.value, DeadlineStatus.due_soon.label),
    (DeadlineStatus.upcoming.value, DeadlineStatus.upcoming.label),
]


class CaseloadFilterForm(GovukForm):
    """The MOJ filter panel of My caseload; managers and admins also choose whose caseload.

    A setting is a type of setting (an establishment kind) or one of the settings the caseload's
    children attend.
    """

    caseworker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Caseworker",
        empty_label="All",
        widget=GovukSelect,
    )
    q = SearchField(label="Name, reference or UPN", widget=GovukTextInput)
    stage = select_field("Stage", STAGE_CHOICES, required=False)
    deadline_status = select_field("Next deadline", DEADLINE_STATUS_CHOICES, required=False)
    setting = forms.ChoiceField(label="Setting", required=False, widget=GovukSelect)
    need = select_field("Primary need", SenType.choices, required=False)

    def __init__(
        self,
        *args: Any,
        caseworkers: QuerySet[User] | None = None,
        settings: Iterable[Establishment] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            set_queryset(self, "caseworker", caseworkers)
        setting = self.fields["setting"]
        assert isinstance(setting, forms.ChoiceField)
        setting.choices = [
            ("", ""),
            ("Type of setting", list(EstablishmentKind.choices)),
            ("Setting", [(str(s.pk), s.name) for s in settings]),
        ]


class AdviceFilterForm(GovukForm):
    kind = select_field("Kind of advice", AdviceKind.choices, required=False)


class AccessPeriodForm(GovukForm):
    """The period of the report of reads outside caseloads."""

    DEFAULT_DAYS = 28
    days = forms.ChoiceField(
        label="Reads in the last",
        choices=[("7", "7 days"), ("28", "28 days"), ("90", "90 days"), ("365", "year")],
        error_messages={"invalid_choice": "Select a period from the list"},
    )
