"""Factories for the panels tests: casework rows straight through the ORM (the cases app's own
services are tested by its tests), panel configuration and meetings through panels.services."""

import datetime as dt
import importlib
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.utils import timezone

from cases.models import AssessmentRequest, Child, Establishment, Placement, Plan, RequestStatus
from panels.models import (
    AgendaItem,
    Decision,
    ItemKind,
    MeetingStatus,
    PanelMeeting,
    PanelMember,
    PanelType,
    ProfessionalRole,
)
from panels.services import decision_record, meeting_create, panel_member_save
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.accounts.services import user_create_or_update
from tests.conftest import PASSWORD
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
    PlacementFactory,
    PlanFactory,
)

_DEFAULTS = importlib.import_module("panels.migrations.0002_default_panel_types_and_funding_bands")


def install_defaults() -> None:
    """The default panels and bands exactly as the data migration makes them (idempotent): a
    transactional test elsewhere empties every table, migration data included."""
    _DEFAULTS.add_defaults(apps, None)


#: The panels tests' casework rows: a child born 1 May 2016, a request received Mon 19 Jan 2026,
#: a plan issued 2 Jun 2025 without a request (made with the shared factories of tests/factories).
BORN_ON = dt.date(2016, 5, 1)
RECEIVED_ON = dt.date(2026, 1, 19)
PLAN_ISSUED_ON = dt.date(2025, 6, 2)


def establishment(**fields: Any) -> Establishment:
    return EstablishmentFactory.create(**fields)


def child(**fields: Any) -> Child:
    return ChildFactory.create(**{"date_of_birth": BORN_ON, **fields})


def assessment_request(**fields: Any) -> AssessmentRequest:
    """A request received on 19 Jan 2026, awaiting the decision to assess."""
    received_on = fields.setdefault("received_on", RECEIVED_ON)
    fields.setdefault(
        "received_at", timezone.make_aware(dt.datetime.combine(received_on, dt.time(10, 0)))
    )
    if "child" not in fields:
        fields.setdefault("child__date_of_birth", BORN_ON)
    return AssessmentRequestFactory.create(**fields)


def plan(**fields: Any) -> Plan:
    if "child" not in fields:
        fields.setdefault("child__date_of_birth", BORN_ON)
    return PlanFactory.create(**{"request": None, "issued_on": PLAN_ISSUED_ON, **fields})


_plan = plan  # item() below takes a `plan` argument of its own


def placement(**fields: Any) -> Placement:
    if "plan" not in fields:  # the plan of plan() above, with any plan__ fields given
        plan_fields = {
            "request": None,
            "issued_on": PLAN_ISSUED_ON,
            "child__date_of_birth": BORN_ON,
        }
        if "plan__child" in fields:
            del plan_fields["child__date_of_birth"]
        for name, value in plan_fields.items():
            fields.setdefault(f"plan__{name}", value)
    return PlacementFactory.create(**{"starts_on": dt.date(2025, 9, 1), "band": "", **fields})


def assessing_request(**fields: Any) -> AssessmentRequest:
    """A request the LA decided to assess, with its advice all received."""
    request = assessment_request(
        status=RequestStatus.ASSESSING,
        decision="assess",
        decided_on=dt.date(2026, 1, 26),
        **fields,
    )
    AdviceRequestFactory.create(
        request=request, requested_on=dt.date(2026, 1, 26), received_on=dt.date(2026, 2, 20)
    )
    return request


def panel_user(
    username: str,
    role: str = ProfessionalRole.LA_OFFICER,
    panels: Sequence[PanelType] = (),
    **names: str,
) -> User:
    """A user with the panel member role and a panel profile on these panels."""
    user = User.objects.filter(username=username).first() or user_create_or_update(
        username=username,
        password=PASSWORD,
        roles=[Role.PANEL_MEMBER],
        first_name=names.get("first_name", username.title()),
        last_name=names.get("last_name", "Member"),
    )
    profile = PanelMember.objects.filter(user=user).first()
    already = list(profile.panel_types.all()) if profile else []
    panel_member_save(
        actor=None,
        user=user,
        organisation=names.get("organisation", "Demo Borough Council"),
        professional_role=profile.professional_role if profile else role,
        panel_types=[*already, *panels],
    )
    return user


def panel_type(slug: str = "provision-and-placement") -> PanelType:
    """One of the panels the data migration ships."""
    return PanelType.objects.get(slug=slug)


def quorate_members(for_panel: PanelType, chair: User | None = None) -> list[User]:
    """Three members covering the default quorum roles (LA officer and EP), chair first."""
    chair = panel_user(
        chair.username if chair else "chair", ProfessionalRole.LA_OFFICER, [for_panel]
    )
    ep = panel_user("ep", ProfessionalRole.EDUCATIONAL_PSYCHOLOGIST, [for_panel])
    head = panel_user("head", ProfessionalRole.HEAD_TEACHER, [for_panel])
    return [chair, ep, head]


def meeting(
    for_panel: PanelType | None = None,
    *,
    chair: User | None = None,
    members: Sequence[User] | None = None,
    held_on: dt.date = dt.date(2026, 3, 2),
    status: str = MeetingStatus.IN_SESSION,
) -> PanelMeeting:
    """A meeting made by the service (members present), moved to `status` directly."""
    for_panel = for_panel or panel_type()
    people = list(members) if members is not None else quorate_members(for_panel, chair)
    created = meeting_create(
        actor=None, panel=for_panel, held_on=held_on, chair=chair or people[0], members=people
    )
    if status != MeetingStatus.PLANNED:
        created.status = MeetingStatus.IN_SESSION
        created.started_at = timezone.now()
        created.save()
    return created


def item(
    in_meeting: PanelMeeting,
    kind: str = ItemKind.PLACEMENT,
    *,
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    summary: str = "Needs a specialist setting.",
    **fields: Any,
) -> AgendaItem:
    """An agenda item straight through the ORM (for tests that are not about adding items)."""
    subject: AssessmentRequest | Plan
    if kind in (ItemKind.DECISION_TO_ASSESS, ItemKind.ISSUE_DECISION):
        subject = request = request or assessment_request()
    else:
        subject = plan = plan or _plan()
    owner = subject.child
    position = in_meeting.items.count() + 1
    return AgendaItem.objects.create(
        meeting=in_meeting,
        kind=kind,
        child=owner,
        request=request,
        plan=plan,
        summary=summary,
        position=position,
        **fields,
    )


def decision_for(item: AgendaItem, outcome: str = "defer") -> Decision:
    """A decision recorded by the meeting's chair (a deferral needs no placement terms)."""
    decision, _ = decision_record(
        actor=item.meeting.chair, item=item, outcome=outcome, reasons="Recorded reasons"
    )
    return decision
