"""Display values for the panel pages, the papers pack and the decision letters."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from cases.models import Establishment
from panels.models import (
    AgendaItem,
    Decision,
    ItemKind,
    MeetingMember,
    MeetingStatus,
    Outcome,
    PanelMeeting,
)
from panels.rules import Quorum
from panels.selectors import CasePapers
from panels.services import decision_title
from send_cms.accounts.actor import Actor
from send_cms.accounts.permissions import user_roles
from send_cms.common.navigation import may_open
from send_cms.deadlines.calendar import council_calendar
from send_cms.timescales import Due, compute

MEETING_TAGS = {
    MeetingStatus.PLANNED: "",  # the plain tag is blue
    MeetingStatus.IN_SESSION: "govuk-tag--yellow",
    MeetingStatus.CLOSED: "govuk-tag--grey",
}
OUTCOME_TAGS = {
    Outcome.AGREE: "govuk-tag--green",
    Outcome.DECLINE: "govuk-tag--red",
    Outcome.DEFER: "govuk-tag--orange",
}


@dataclass(frozen=True)
class SubNavLink:
    label: str
    href: str
    active: bool


SUBNAV = [
    ("Meetings", "panels:meeting-list"),
    ("Decisions", "panels:decision-list"),
    ("Consistency", "panels:consistency"),
    ("Funding bands", "panels:band-list"),
]


def subnav(user: Actor, path: str) -> list[SubNavLink]:
    """The panels sub-navigation: each link only for the roles its page allows (read from the
    page's view, so the two cannot drift)."""
    roles = user_roles(user)
    result = []
    for label, name in SUBNAV:
        if not may_open(roles, name):
            continue
        href = reverse(name)
        if name == "panels:meeting-list":
            active = path == href or path.startswith(("/panels/meetings/", "/panels/items/"))
        else:
            active = path.startswith(href)
        result.append(SubNavLink(label, href, active))
    return result


def attendance_label(meeting: PanelMeeting, membership: MeetingMember) -> str:
    """Before a meeting starts nobody is present yet: those invited are expected."""
    if meeting.status == MeetingStatus.PLANNED:
        return "Expected" if membership.present else "Not expected"
    return "Present" if membership.present else "Absent"


def quorum_text(meeting: PanelMeeting, quorum: Quorum) -> str:
    """Whether the meeting is quorate; before it starts, not known, with who is expected."""
    if meeting.status == MeetingStatus.PLANNED:
        if quorum.is_quorate:
            expected = f"{quorum.present} members expected ({quorum.minimum} needed)"
        else:
            expected = quorum.describe(state="expected")
        return f"Not known until the meeting starts: {expected}"
    if quorum.is_quorate:
        return f"Quorate: {quorum.present} members present ({quorum.minimum} needed)"
    return f"Not quorate: {quorum.describe()}"


def outcome_tag(outcome: str) -> str:
    return OUTCOME_TAGS.get(Outcome(outcome), "") if outcome in Outcome.values else ""


@dataclass(frozen=True)
class KeyDate:
    label: str
    value: dt.date | None


def key_dates(papers: CasePapers) -> list[KeyDate]:
    """The dates a panel member needs beside the summary."""
    dates: list[KeyDate] = [KeyDate("Date of birth", papers.child.date_of_birth)]
    request = papers.request
    if request is not None:
        dates.append(KeyDate("Request received", request.received_on))
        if request.decided_on:
            dates.append(KeyDate("Decided to assess", request.decided_on))
        for advice in papers.advice:
            got = advice.re_received_on or advice.received_on
            dates.append(
                KeyDate(f"{advice.get_kind_display()} advice requested", advice.requested_on)
            )
            if got:
                dates.append(KeyDate(f"{advice.get_kind_display()} advice received", got))
    plan = papers.plan
    if plan is not None:
        dates.append(KeyDate("EHC plan issued", plan.issued_on))
        for placement in papers.placements:
            if placement.starts_on:
                where = placement.establishment or placement.get_sen_setting_display()
                dates.append(KeyDate(f"Placement started ({where})", placement.starts_on))
        if plan.cease_proposed_on:
            dates.append(KeyDate("Ceasing proposed", plan.cease_proposed_on))
    return dates


# --- decision letters ---------------------------------------------------------------------------

APPEAL_TYPES = {
    (
        ItemKind.DECISION_TO_ASSESS,
        Outcome.DECLINE,
    ): "a refusal to carry out an EHC needs assessment",
    (ItemKind.ISSUE_DECISION, Outcome.DECLINE): "a refusal to issue an EHC plan",
    (ItemKind.CEASE, Outcome.AGREE): "a decision to cease to maintain an EHC plan",
}

LETTER_HEADINGS = {
    (ItemKind.DECISION_TO_ASSESS, Outcome.AGREE): "We will carry out an EHC needs assessment",
    (ItemKind.DECISION_TO_ASSESS, Outcome.DECLINE): (
        "We have decided not to carry out an EHC needs assessment"
    ),
    (ItemKind.ISSUE_DECISION, Outcome.AGREE): "We will issue an EHC plan",
    (ItemKind.ISSUE_DECISION, Outcome.DECLINE): "We have decided not to issue an EHC plan",
    (ItemKind.PLACEMENT, Outcome.AGREE): "The placement has been agreed",
    (ItemKind.PLACEMENT, Outcome.DECLINE): "The proposed placement has not been agreed",
    (ItemKind.CEASE, Outcome.AGREE): "We propose to cease to maintain the EHC plan",
    (ItemKind.CEASE, Outcome.DECLINE): "We will continue to maintain the EHC plan",
}
DEFER_HEADING = "The panel has deferred its decision"


@dataclass(frozen=True)
class Letter:
    audience: str
    dated_on: dt.date
    heading: str
    title: str
    decision: Decision
    item: AgendaItem
    recipients: list[str]
    setting: Establishment | None
    appeal_type: str
    appeal: Due | None
    mediation: Due | None

    @property
    def for_family(self) -> bool:
        return self.audience == "family"


def letter_setting(item: AgendaItem, decision: Decision) -> Establishment | None:
    """The setting the letter goes to: the approved one, else the proposed, else the current."""
    return (
        decision.establishment
        or item.proposed_establishment
        or item.child.current_setting  # the school the child attends
    )


def letter(decision: Decision, audience: str) -> Letter:
    """What a decision letter says. Refusals to assess or issue and ceasing carry the family's
    rights: mediation, appeal to the tribunal and the appeal deadline from the letter's date."""
    item = decision.item
    dated_on = decision.letter_dated_on or timezone.localdate()
    key = (ItemKind(item.kind), Outcome(decision.outcome))
    appeal_type = APPEAL_TYPES.get(key, "")
    calendar = council_calendar()
    appeal = compute("appeal_deadline", dated_on, calendar) if appeal_type else None
    mediation = compute("mediation_contact", dated_on, calendar) if appeal_type else None
    if audience == "family":
        contacts = [c.name for c in item.child.contacts.all() if c.parental_responsibility]
        recipients = contacts or [f"The parent or carer of {item.child.full_name}"]
    else:
        setting = letter_setting(item, decision)
        recipients = [
            f"The head teacher or principal, {setting.name}" if setting else "The setting"
        ]
    return Letter(
        audience=audience,
        dated_on=dated_on,
        heading=DEFER_HEADING if decision.outcome == Outcome.DEFER else LETTER_HEADINGS[key],
        title=decision_title(item, decision),
        decision=decision,
        item=item,
        recipients=recipients,
        setting=letter_setting(item, decision),
        appeal_type=appeal_type,
        appeal=appeal,
        mediation=mediation,
    )
