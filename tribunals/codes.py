"""Code lists of mediation and appeals: the API's slugs (api.md), defined once.

Which timescale rules each order kind (and each mediation agreement matter) runs is also here,
because it is part of what the code means, not of how it is stored.
"""

from django.db import models


class DecisionType(models.TextChoices):
    """What a mediation is about (api.md `decision_type`)."""

    REFUSAL_TO_ASSESS = "refusal_to_assess", "Refusal to assess"
    REFUSAL_TO_ISSUE = "refusal_to_issue", "Refusal to issue a plan"
    PLAN_CONTENTS = "plan_contents", "Contents of the plan"
    CEASE = "cease", "Decision to cease the plan"
    OTHER = "other", "Other (health or social care elements)"


#: Decisions about an assessment request; the plan ones are about an issued plan.
REQUEST_DECISIONS = (DecisionType.REFUSAL_TO_ASSESS, DecisionType.REFUSAL_TO_ISSUE)
PLAN_DECISIONS = (DecisionType.PLAN_CONTENTS, DecisionType.CEASE)


class CertificateKind(models.TextChoices):
    """Why the mediation certificate was issued (derived from the record, never typed)."""

    DECLINED = "declined", "The family decided not to pursue mediation"
    AFTER_MEDIATION = "after_mediation", "Issued after mediation"
    DEEMED = "deemed", "The council could not arrange mediation within 30 days"


class MediationOutcome(models.TextChoices):
    AGREEMENT = "agreement", "Agreement reached"
    NO_AGREEMENT = "no_agreement", "No agreement"
    DECLINED = "declined", "Family declined mediation"


class AppealType(models.TextChoices):
    """What the family appeals against (api.md `appeal_type`)."""

    REFUSAL_TO_ASSESS = "refusal_to_assess", "Refusal to assess"
    REFUSAL_TO_REASSESS = "refusal_to_reassess", "Refusal to reassess"
    REFUSAL_TO_ISSUE = "refusal_to_issue", "Refusal to issue a plan"
    CONTENTS = "contents", "Contents of the plan"
    REFUSAL_TO_AMEND = "refusal_to_amend", "Refusal to amend the plan"
    CEASE = "cease", "Decision to cease the plan"


#: Appeals about an assessment request; the others are about a plan.
REQUEST_APPEALS = (
    AppealType.REFUSAL_TO_ASSESS,
    AppealType.REFUSAL_TO_REASSESS,
    AppealType.REFUSAL_TO_ISSUE,
)
PLAN_APPEALS = (AppealType.CONTENTS, AppealType.REFUSAL_TO_AMEND, AppealType.CEASE)
#: Appeals about what a plan says: these name sections B, F and I.
SECTION_APPEALS = (AppealType.CONTENTS, AppealType.REFUSAL_TO_AMEND)


class Section(models.TextChoices):
    B = "B", "Section B (special educational needs)"
    F = "F", "Section F (special educational provision)"
    I = "I", "Section I (placement)"  # noqa: E741 - the plan's own section letter


class AppealStatus(models.TextChoices):
    REGISTERED = "registered", "Registered: response to send"
    RESPONSE_SUBMITTED = "response_submitted", "Response submitted"
    HEARING_LISTED = "hearing_listed", "Hearing listed"
    DECIDED = "decided", "Decided by the tribunal"
    CONCEDED = "conceded", "Conceded by the council"
    WITHDRAWN = "withdrawn", "Withdrawn"
    STRUCK_OUT = "struck_out", "Struck out"


OPEN_APPEAL_STATUSES = (
    AppealStatus.REGISTERED,
    AppealStatus.RESPONSE_SUBMITTED,
    AppealStatus.HEARING_LISTED,
)


class Outcome(models.TextChoices):
    """How an appeal ended (api.md `outcome`)."""

    UPHELD = "upheld", "Upheld"
    UPHELD_IN_PART = "upheld_in_part", "Upheld in part"
    DISMISSED = "dismissed", "Dismissed"
    CONCEDED = "conceded", "Conceded by the council"
    WITHDRAWN = "withdrawn", "Withdrawn"
    STRUCK_OUT = "struck_out", "Struck out"


#: The tribunal's own decisions, as opposed to the appeal ending without one.
TRIBUNAL_DECISIONS = (Outcome.UPHELD, Outcome.UPHELD_IN_PART, Outcome.DISMISSED)
#: What "upheld" means in every count on the site: upheld in full or in part.
UPHELD_OUTCOMES = (Outcome.UPHELD, Outcome.UPHELD_IN_PART)
#: The status each outcome closes the appeal with.
OUTCOME_STATUS = {
    Outcome.UPHELD: AppealStatus.DECIDED,
    Outcome.UPHELD_IN_PART: AppealStatus.DECIDED,
    Outcome.DISMISSED: AppealStatus.DECIDED,
    Outcome.CONCEDED: AppealStatus.CONCEDED,
    Outcome.WITHDRAWN: AppealStatus.WITHDRAWN,
    Outcome.STRUCK_OUT: AppealStatus.STRUCK_OUT,
}


class AppellantKind(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"


class Representation(models.TextChoices):
    """Who represented the council at the tribunal (for the outcomes view)."""

    OFFICER = "officer", "SEND officer"
    COUNCIL_SOLICITOR = "council_solicitor", "Council solicitor"
    EXTERNAL_SOLICITOR = "external_solicitor", "External solicitor"
    COUNSEL = "counsel", "Counsel (barrister)"
    NONE = "none", "Not represented"


class OrderKind(models.TextChoices):
    """What the tribunal ordered (api.md orders `kind`)."""

    CEASE = "cease", "Cease to maintain the plan"
    ASSESS = "assess", "Carry out an assessment"
    MAKE_PLAN = "make_plan", "Make and maintain a plan"
    AMEND = "amend", "Amend the plan"
    NAME_SCHOOL = "name_school", "Name a school"
    CONTINUE = "continue", "Continue to maintain the plan"


#: The steps of each order, in the order they fall due (timescales.md, regulation 44).
ORDER_RULES: dict[str, tuple[str, ...]] = {
    OrderKind.CEASE: ("order_cease",),
    OrderKind.ASSESS: ("order_assess_notify", "order_assess_no_plan", "order_assess_final"),
    OrderKind.MAKE_PLAN: ("order_make_plan_draft", "order_make_plan_final"),
    OrderKind.AMEND: ("order_amend",),
    OrderKind.NAME_SCHOOL: ("order_name_school",),
    OrderKind.CONTINUE: ("order_continue",),
}
#: Alternative endings: after an ordered assessment the council either decides not to issue
#: (10 weeks) or issues the final plan (14 weeks). Meeting one makes the other not applicable.
ALTERNATIVE_RULES: dict[str, str] = {
    "order_assess_no_plan": "order_assess_final",
    "order_assess_final": "order_assess_no_plan",
}
#: A step that is due only if the council takes that route: never overdue on its own.
CONDITIONAL_RULES = frozenset({"order_assess_no_plan"})
#: Kinds that only make sense on an appeal against ceasing a plan.
CEASE_APPEAL_ORDERS = (OrderKind.CEASE, OrderKind.CONTINUE)


class AgreementMatter(models.TextChoices):
    """What a mediation agreement asks of the council. Appealable matters run on the order
    periods (regulation 42(2)); anything else has 2 weeks (regulation 42(3))."""

    ASSESS = "assess", "Carry out an assessment"
    MAKE_PLAN = "make_plan", "Make and maintain a plan"
    AMEND = "amend", "Amend the plan"
    NAME_SCHOOL = "name_school", "Name a school"
    CONTINUE = "continue", "Continue to maintain the plan"
    OTHER = "other", "Something else (health or social care, not appealable)"


def agreement_rules(matter: str) -> tuple[str, ...]:
    """The timescale rules a mediation agreement action runs."""
    if matter == AgreementMatter.OTHER:
        return ("mediation_agreement_other",)
    return ORDER_RULES[matter]


class RecommendationKind(models.TextChoices):
    HEALTH = "health", "Health care"
    SOCIAL_CARE = "social_care", "Social care"


class OrderStatus(models.TextChoices):
    """Where an order stands: derived from its steps (api.md `status` filter)."""

    OPEN = "open", "Open"
    OVERDUE = "overdue", "Overdue"
    COMPLIED = "complied", "Complied with"
