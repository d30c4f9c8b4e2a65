"""Who may do what on a panel, and whether a meeting is quorate: predicates used by services,
selectors, pages and the API alike, so they always agree."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from panels.models import AgendaItem, MeetingStatus, PanelMeeting, ProfessionalRole
from send_cms.accounts.actor import Actor, account_of
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import Role

#: Caseworkers act as the panel's clerks: they plan meetings, record attendance and add items.
CLERK_ROLES = frozenset({Role.CASEWORKER, Role.ADMIN})
#: Everyone who may see every meeting (panel members see only their own).
OVERSIGHT_ROLES = frozenset({Role.CASEWORKER, Role.MANAGER, Role.ADMIN})


def is_clerk(user: Actor) -> bool:
    return bool(user_roles(user) & CLERK_ROLES)


def sees_every_meeting(user: Actor) -> bool:
    return bool(user_roles(user) & OVERSIGHT_ROLES)


def is_admin(user: Actor) -> bool:
    return Role.ADMIN in user_roles(user)


def is_panel_member(user: Actor) -> bool:
    return Role.PANEL_MEMBER in user_roles(user)


def _memberships(meeting: PanelMeeting) -> list[Any]:
    # Uses the prefetched rows when the selector loaded them: no query per check.
    return list(meeting.memberships.all())


def present_user_ids(meeting: PanelMeeting) -> set[int]:
    return {m.user_id for m in _memberships(meeting) if m.present}


def is_present(user: Actor, meeting: PanelMeeting) -> bool:
    return bool(getattr(user, "pk", None)) and user.pk in present_user_ids(meeting)


def is_invited(user: Actor, meeting: PanelMeeting) -> bool:
    return any(m.user_id == getattr(user, "pk", None) for m in _memberships(meeting))


def conflicted_user_ids(item: AgendaItem) -> set[int]:
    return {d.member_id for d in item.declarations.all()}


def has_conflict(user: Actor, item: AgendaItem) -> bool:
    return getattr(user, "pk", None) in conflicted_user_ids(item)


def can_run_meeting(user: Actor, meeting: PanelMeeting) -> bool:
    """Start or close: the chair, or an administrator standing in."""
    return is_admin(user) or getattr(user, "pk", None) == meeting.chair_id


def can_decide(user: Actor, item: AgendaItem) -> bool:
    """A panel member present at the meeting, with no declared interest in this item, while the
    meeting is in session (or, once closed, to supersede a decision)."""
    meeting = item.meeting
    return (
        is_panel_member(user)
        and meeting.status != MeetingStatus.PLANNED
        and is_present(user, meeting)
        and not has_conflict(user, item)
    )


def can_declare(user: Actor, item: AgendaItem) -> bool:
    meeting = item.meeting
    if meeting.status == MeetingStatus.CLOSED:
        return False
    return is_clerk(user) or (is_panel_member(user) and is_invited(user, meeting))


@dataclass(frozen=True)
class Quorum:
    """Whether the members present (less any with a declared interest) may decide."""

    present: int
    minimum: int
    missing_roles: tuple[str, ...]

    @property
    def is_quorate(self) -> bool:
        return self.present >= self.minimum and not self.missing_roles

    def describe(self, *, state: str = "present") -> str:
        """What is missing; `state` is "expected" before the meeting starts."""
        parts = [f"{self.present} of the {self.minimum} members needed are {state}"]
        if self.missing_roles:
            labels = [ProfessionalRole(r).label.lower() for r in self.missing_roles]
            parts.append("no " + " or ".join(labels) + f" is {state}")
        return "; ".join(parts)


def quorum(meeting: PanelMeeting, item: AgendaItem | None = None) -> Quorum:
    """Quorum judged on members present; for an item, members with a conflict do not count."""
    excluded = conflicted_user_ids(item) if item is not None else set()
    deciding = [
        m
        for m in _memberships(meeting)
        if m.present and m.user_id not in excluded  # conflicted members sit out
    ]
    held_roles = _roles_of(deciding)
    missing = tuple(r for r in meeting.panel.quorum_roles if r not in held_roles)
    return Quorum(
        present=len(deciding), minimum=meeting.panel.quorum_minimum, missing_roles=missing
    )


def _roles_of(memberships: Iterable[Any]) -> set[str]:
    roles = set()
    for membership in memberships:
        profile = getattr(membership.user, "panel_membership", None)
        if profile is not None:
            roles.add(profile.professional_role)
    return roles


def agenda_child_ids(user: Actor) -> "QuerySet[AgendaItem, Any]":
    """The children a panel member may read: those on the agenda of any meeting they are a
    member of, closed ones too (they may read the record). Registered with casework's object
    rules in PanelsConfig.ready."""
    return AgendaItem.objects.filter(meeting__memberships__user=account_of(user)).values("child_id")
