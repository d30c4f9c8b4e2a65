"""Forms of the casework pages. They check shape only; the services decide what is allowed.

Field names match the service's keyword arguments where they can, so a service's
`ValidationError({"decided_on": [...]})` lands on the right field, and a step view can hand the
clean data straight to its service (`send_cms.common.steps`). One module per part of a case;
every form is importable from here.
"""

from cases.forms.cease import CeaseDecideForm, CeaseForm, CeaseProposeForm
from cases.forms.children import (
    CHOOSE_CASEWORKER,
    ChildFieldsMixin,
    ChildForm,
    ContactForm,
    ReallocateForm,
)
from cases.forms.filters import (
    DEADLINE_STATUS_CHOICES,
    STAGE_CHOICES,
    AccessPeriodForm,
    AdviceFilterForm,
    CaseloadFilterForm,
)
from cases.forms.requests import (
    CHILD_FIELDS,
    ENTER_TIME,
    RECEIVED_TIME_HINT,
    REQUEST_ALIASES,
    TIME_INVALID,
    ChildSearchForm,
    RequestFieldsMixin,
    RequestForChildForm,
    RequestWithNewChildForm,
    parse_time,
)
from cases.forms.steps import (
    ADVISER_EXAMPLES,
    NAMED_SETTING_TYPES,
    SETTING_AND_TYPE,
    AdviceReceiveForm,
    AdviceRequestForm,
    AdviceReturnForm,
    ConsultationForm,
    ConsultationReplyForm,
    DecideForm,
    DraftPlanForm,
    ExceptionForm,
    FinalPlanForm,
    IssueDecisionForm,
    TransferOutForm,
    WithdrawForm,
)

__all__ = [
    "ADVISER_EXAMPLES",
    "CHILD_FIELDS",
    "CHOOSE_CASEWORKER",
    "DEADLINE_STATUS_CHOICES",
    "ENTER_TIME",
    "NAMED_SETTING_TYPES",
    "RECEIVED_TIME_HINT",
    "REQUEST_ALIASES",
    "SETTING_AND_TYPE",
    "STAGE_CHOICES",
    "TIME_INVALID",
    "AccessPeriodForm",
    "AdviceFilterForm",
    "AdviceReceiveForm",
    "AdviceRequestForm",
    "AdviceReturnForm",
    "CaseloadFilterForm",
    "CeaseDecideForm",
    "CeaseForm",
    "CeaseProposeForm",
    "ChildFieldsMixin",
    "ChildForm",
    "ChildSearchForm",
    "ConsultationForm",
    "ConsultationReplyForm",
    "ContactForm",
    "DecideForm",
    "DraftPlanForm",
    "ExceptionForm",
    "FinalPlanForm",
    "IssueDecisionForm",
    "ReallocateForm",
    "RequestFieldsMixin",
    "RequestForChildForm",
    "RequestWithNewChildForm",
    "TransferOutForm",
    "WithdrawForm",
    "parse_time",
]
