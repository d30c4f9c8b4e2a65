"""Every write of the tribunals app. Keyword-only, atomic, audited, on the case timeline."""

from tribunals.services.appeals import (
    appeal_list_hearing,
    appeal_record_outcome,
    appeal_register,
    appeal_submit_response,
    appeal_update_details,
)
from tribunals.services.directions import (
    appeal_direction_add,
    direction_complied,
    recommendation_add,
    recommendation_respond,
)
from tribunals.services.mediation import (
    mediation_action_add,
    mediation_action_complied,
    mediation_create,
    mediation_issue_certificate,
    mediation_record_contact,
    mediation_record_held,
    mediation_record_not_arranged,
    mediation_record_wanted,
)
from tribunals.services.orders import appeal_order_add, order_complied

__all__ = [
    "appeal_direction_add",
    "appeal_list_hearing",
    "appeal_order_add",
    "appeal_record_outcome",
    "appeal_register",
    "appeal_submit_response",
    "appeal_update_details",
    "direction_complied",
    "mediation_action_add",
    "mediation_action_complied",
    "mediation_create",
    "mediation_issue_certificate",
    "mediation_record_contact",
    "mediation_record_held",
    "mediation_record_not_arranged",
    "mediation_record_wanted",
    "order_complied",
    "recommendation_add",
    "recommendation_respond",
]
