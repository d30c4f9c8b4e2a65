"""The one way a deadline is shown to a user: its row, its status tag, and how rows are built.

Every page, API answer and email that lists deadlines builds `DeadlineRow`s here, from a stored
`Deadline` (`stored_row`) or from an app's `Step` computed now (`step_row`), and every table of
them is `deadlines/_table.html`. So a status reads and looks the same wherever it is shown.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from send_cms.deadlines.models import Deadline
from send_cms.deadlines.registry import Step
from send_cms.timescales import (
    DeadlineStatus,
    ParameterError,
    WorkingCalendar,
    compute,
    deadline_status,
    format_date,
    get_rule,
)

#: The GOV.UK tag colour of each status: overdue red, due soon yellow, met green.
STATUS_TAGS: Mapping[str, str] = {
    DeadlineStatus.overdue: "govuk-tag--red",
    DeadlineStatus.due_soon: "govuk-tag--yellow",
    DeadlineStatus.upcoming: "govuk-tag--grey",
    DeadlineStatus.met: "govuk-tag--green",
    DeadlineStatus.met_late: "govuk-tag--orange",
    DeadlineStatus.not_applicable: "govuk-tag--grey",
}
OPEN_STATUSES = frozenset(
    {DeadlineStatus.upcoming, DeadlineStatus.due_soon, DeadlineStatus.overdue}
)


def status_tag(status: str | None) -> str:
    """The GOV.UK tag class for a deadline status (grey for anything else)."""
    return STATUS_TAGS.get(status or "", "govuk-tag--grey")


def status_label(status: str | None) -> str:
    """The badge words ("Overdue", "Due soon"); blank for no deadline."""
    try:
        return DeadlineStatus(status or "").label
    except ValueError:
        return ""


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline as a user sees it: what is due, for whom, when, and where it stands.

    `due` is None for a step whose trigger has not happened. For whom: `case_reference` (the
    child's case, in a list of several cases) and `family_step` (the family's deadline, not the
    council's). `badge` replaces the status's words and tag colour where a page shows the step
    another way (a family's window reads "Window open").
    """

    rule: str
    title: str
    regulation: str
    explanation: str
    status: DeadlineStatus
    due: dt.date | None
    practical_target: dt.date | None = None
    statutory_date: dt.date | None = None
    trigger: str = ""
    trigger_on: dt.date | None = None
    met_on: dt.date | None = None
    excused: bool = False
    overridden: bool = False
    subject_label: str = ""
    family_step: bool = False
    case_reference: str = ""
    badge: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        """The badge's words."""
        return self.badge[0] if self.badge else self.status.label

    @property
    def tag(self) -> str:
        """The badge's GOV.UK tag class."""
        return self.badge[1] if self.badge else status_tag(self.status)

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def is_open(self) -> bool:
        """Still to meet: upcoming, due soon or overdue."""
        return self.status in OPEN_STATUSES

    @property
    def start(self) -> dt.date | None:
        return self.trigger_on

    @property
    def practical_target_differs(self) -> bool:
        return self.practical_target is not None and self.practical_target != self.due

    @property
    def due_text(self) -> str:
        """The due date with its weekday ("Monday 26 Jan 2026"), as emails give it."""
        return f"{self.due:%A} {format_date(self.due)}" if self.due else ""

    def days_left(self, today: dt.date) -> int | None:
        """Days from `today` to the due date (negative once it has passed); None: no date."""
        return None if self.due is None else (self.due - today).days


def stored_row(deadline: Deadline, *, case_reference: str = "") -> DeadlineRow:
    """A stored deadline (a case's table, a digest) as a row."""
    return DeadlineRow(
        rule=deadline.rule,
        title=deadline.title,
        regulation=deadline.regulation,
        explanation=deadline.explanation,
        status=DeadlineStatus(deadline.status),
        due=deadline.due_on,
        practical_target=deadline.practical_target_on,
        trigger_on=deadline.trigger_on,
        met_on=deadline.met_on,
        excused=deadline.excused,
        overridden=deadline.due_overridden,
        case_reference=case_reference,
    )


def practical_target(rule_id: str, due: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The last office day on or before `due`, for rules that have a practical target."""
    if get_rule(rule_id).practical_target and not calendar.is_office_day(due):
        return calendar.previous_office_day(due)
    return due


def not_started_row(step: Step) -> DeadlineRow:
    """A step whose trigger has not happened: no date yet."""
    rule = get_rule(step.rule)
    return DeadlineRow(
        rule=step.rule,
        title=step.title or rule.title,
        regulation=rule.regulation,
        explanation=f"Starts when the {rule.trigger} is recorded.",
        status=DeadlineStatus.not_applicable,
        due=None,
        trigger=rule.trigger,
    )


def step_row(
    step: Step,
    calendar: WorkingCalendar,
    *,
    today: dt.date,
    override_note: str = "{computed_text}",
    subject_label: str = "",
    family_step: bool = False,
) -> DeadlineRow:
    """A step computed now, on the council's calendar.

    A date set on the case (`due_override`) replaces the computed date and its practical
    target; `override_note` then explains it (`{due}`, `{computed}`, `{computed_text}`).
    Raises `ParameterError` for a start the rule cannot count from, like the engine.
    """
    if step.start is None:
        raise ParameterError("start", "a date is required")
    due = compute(step.rule, step.start, calendar, **step.params)
    due_on, practical, explanation = due.due, due.practical_target, due.explanation
    if step.due_override is not None:
        due_on = step.due_override
        practical = practical_target(step.rule, due_on, calendar)
        explanation = override_note.format(
            due=format_date(due_on), computed=format_date(due.due), computed_text=explanation
        )
    return DeadlineRow(
        rule=step.rule,
        title=step.title or due.title,
        regulation=due.regulation,
        explanation=explanation,
        status=deadline_status(
            due=due_on, met_on=step.met_on, today=today, applicable=step.applicable
        ),
        due=due_on,
        practical_target=practical,
        statutory_date=due.statutory_date,
        trigger=due.trigger,
        trigger_on=step.start,
        met_on=step.met_on,
        excused=step.excused,
        overridden=step.due_override is not None,
        subject_label=subject_label,
        family_step=family_step,
    )
