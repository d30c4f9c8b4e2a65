"""The statutory time limits, one `Rule` per rule id of timescales.md section 3.

A rule is data (the law's words, a counting convention and dated periods) plus one `compute`
that turns a trigger date into a `Due`. Periods are dated rows, so a change in the law is a new
row, never an edit: the row in force on the trigger date is used.

A date set by the tribunal in a letter or direction overrides any computed tribunal date; that
choice belongs to the caller, which stores both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import assert_never

from send_cms.timescales import counting
from send_cms.timescales.calendar import WorkingCalendar, default_calendar

#: The day the SEND Regulations 2014 and Part 3 of the Children and Families Act 2014 began.
COMMENCEMENT = date(2014, 9, 1)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

TRIBUNAL_RULES = "Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008"
SEND_REGS = "SEND Regulations 2014"


def format_date(d: date) -> str:
    """Format as "8 Sep 2025", the house style for explanations, whatever the server's locale."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


class Convention(StrEnum):
    """How the law counts (timescales.md section 1)."""

    W = "W"  # within N weeks (or calendar days) of X: X + N, the day of X not counted
    D = "D"  # N days beginning with X: X .. X+N-1
    M = "M"  # N months after X, clamped to the month's end
    Y = "Y"  # the period of N months starting with X
    B = "B"  # before a fixed date in the year
    R = "R"  # N working days under the Regulations
    T = "T"  # N tribunal working days (rule 12)
    L = "L"  # appeal lodging (rules 20 and 12)


class Unit(StrEnum):
    """What a period's amount counts."""

    weeks = "weeks"
    days = "days"
    months = "months"
    working_days = "working_days"
    tribunal_working_days = "tribunal_working_days"
    calendar_days = "calendar_days"
    fixed_date = "fixed_date"


class Direction(StrEnum):
    """Whether the due date is after the trigger or before it (notice of a meeting)."""

    forward = "forward"
    backward = "backward"


class UnknownRule(KeyError):
    """No rule has this id; a KeyError so mapping-style callers can catch it as one."""

    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id

    def __str__(self) -> str:
        return f"Unknown timescale rule: {self.rule_id!r}"


class ParameterError(ValueError):
    """A date the calculator needs is missing or is not a date; `name` is the field to blame."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True)
class Parameter:
    """A named date a rule needs besides `start` (e.g. the mediation certificate)."""

    name: str
    label: str
    required: bool = False


@dataclass(frozen=True)
class Period:
    """One row of the law: the amount in force for triggers on or after `effective_from`.

    For fixed-date rules (B) `amount` is the day of the month and `month` the month of the
    statutory date (15 and 2 for "before 15 February"). For the appeal rule (L) `amount` is the
    months after the notice and `certificate_amount` the months after a mediation certificate.
    `citation` overrides the rule's citation when a row comes from a different provision.
    """

    effective_from: date
    amount: int
    month: int | None = None
    certificate_amount: int | None = None
    citation: str | None = None


@dataclass(frozen=True)
class Due:
    """A computed deadline, with everything a caseworker needs to trust it."""

    rule: str
    title: str
    regulation: str
    trigger: str
    start: date
    due: date
    practical_target: date
    explanation: str
    #: For SEN2's PhaseTransferDueDate: the statutory date itself (15 Feb / 31 Mar).
    statutory_date: date | None = None


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _require_date(name: str, value: object) -> date:
    """Accept a `date`; refuse None, strings and datetimes, naming the field."""
    if value is None:
        raise ParameterError(name, "a date is required")
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ParameterError(name, f"must be a date, got {type(value).__name__}")
    return value


@dataclass(frozen=True)
class Rule:
    """One statutory time limit.

    `event` is how the trigger reads inside the explanation, with `{start}` for its date
    ("the request received on {start}"). `practical_target` is False where the deadline is the
    family's (a window or an appeal), so an earlier office day would mislead.
    """

    id: str
    title: str
    regulation: str
    citation: str
    trigger: str
    event: str
    unit: Unit
    convention: Convention
    periods: tuple[Period, ...]
    parameters: tuple[Parameter, ...] = ()
    direction: Direction = Direction.forward
    practical_target: bool = True
    _parameter_names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Refuse a malformed rule at import time rather than on a caseworker's screen."""
        if not self.periods:
            raise ValueError(f"{self.id}: a rule needs at least one period")
        starts = [p.effective_from for p in self.periods]
        if starts != sorted(set(starts)):
            raise ValueError(f"{self.id}: periods must be in date order with distinct dates")
        names = [p.name for p in self.parameters]
        if len(names) != len(set(names)) or "start" in names:
            raise ValueError(f"{self.id}: parameter names must be distinct and not 'start'")
        if self.convention is Convention.B and any(p.month is None for p in self.periods):
            raise ValueError(f"{self.id}: a fixed-date rule needs a month on every period")
        if self.convention is Convention.L and any(
            p.certificate_amount is None for p in self.periods
        ):
            raise ValueError(f"{self.id}: the appeal rule needs a certificate_amount")
        object.__setattr__(self, "_parameter_names", frozenset(names))

    def period_for(self, start: date) -> Period:
        """The latest row with `effective_from` on or before the trigger date."""
        chosen: Period | None = None
        for period in self.periods:
            if period.effective_from <= start:
                chosen = period
        if chosen is None:
            raise ParameterError(
                "start",
                f"{format_date(start)} is before this time limit took effect "
                f"({format_date(self.periods[0].effective_from)})",
            )
        return chosen

    def _clean_params(self, params: Mapping[str, object]) -> dict[str, date]:
        for name in params:
            if name not in self._parameter_names:
                raise ParameterError(name, f"is not a parameter of the {self.id} rule")
        clean: dict[str, date] = {}
        for parameter in self.parameters:
            value = params.get(parameter.name)
            if value is None:
                if parameter.required:
                    raise ParameterError(parameter.name, "a date is required")
                continue
            clean[parameter.name] = _require_date(parameter.name, value)
        return clean

    def compute(
        self,
        start: date,
        calendar: WorkingCalendar | None = None,
        **params: date | None,
    ) -> Due:
        """The due date for a trigger on `start`, with its practical target and explanation."""
        start = _require_date("start", start)
        clean = self._clean_params(params)
        cal = calendar if calendar is not None else default_calendar()
        period = self.period_for(start)
        citation = period.citation or self.citation
        event = self.event.format(start=format_date(start))
        n = period.amount
        statutory: date | None = None

        match self.convention:
            case Convention.W if self.unit is Unit.calendar_days:
                due = counting.add_days(start, n)
                text = f"{_plural(n, 'day')} from {event}"
            case Convention.W if self.direction is Direction.backward:
                due = counting.add_weeks(start, -n)
                text = f"At least {_plural(n, 'week')} before {event}"
            case Convention.W if n == 0:
                due = start
                text = f"Immediately: the same day as {event}"
            case Convention.W:
                due = counting.add_weeks(start, n)
                text = f"{_plural(n, 'week')} from {event}"
            case Convention.D:
                due = counting.last_day_of_window(start, n)
                text = f"{_plural(n, 'day')} beginning with {event}"
            case Convention.M if self.direction is Direction.backward:
                due = counting.add_months(start, -n)
                text = f"At least {_plural(n, 'month')} before {event}"
            case Convention.M:
                due = counting.add_months(start, n)
                text = f"{_plural(n, 'month')} after {event}"
            case Convention.Y:
                due = counting.months_period_end(start, n)
                text = f"The {_plural(n, 'month')} starting with {event}"
            case Convention.B:
                month = period.month or 1
                statutory = date(start.year, month, n)
                due = counting.day_before(start.year, month, n)
                text = (
                    f"Before {n} {_MONTH_NAMES[month - 1]} in the year of transfer "
                    f"({format_date(statutory)})"
                )
            case Convention.R:
                due = counting.add_working_days(start, n, cal)
                text = (
                    f"{_plural(n, 'working day')} from {event} "
                    "(weekends and bank holidays not counted)"
                )
            case Convention.T:
                due = counting.add_tribunal_working_days(start, n, cal)
                text = (
                    f"{_plural(n, 'tribunal working day')} from {event} (weekends, bank holidays,"
                    " 25 December to 1 January and August not counted)"
                )
            case Convention.L:
                due, text = _appeal(start, clean.get("certificate"), period, event, cal)
            case _:  # pragma: no cover - every convention is handled above
                assert_never(self.convention)

        practical = due
        if self.practical_target and not cal.is_office_day(due):
            practical = cal.previous_office_day(due)
        return Due(
            rule=self.id,
            title=self.title,
            regulation=self.regulation,
            trigger=self.trigger,
            start=start,
            due=due,
            practical_target=practical,
            explanation=f"{text}, {citation}.",
            statutory_date=statutory,
        )


_LODGING_REASON = {
    counting.LodgingAdjustment.non_working_day: "not a working day, so the next working day",
    counting.LodgingAdjustment.christmas: (
        "between 25 December and 1 January, so the first working day after 1 January"
    ),
    counting.LodgingAdjustment.august: "in August, so the first working day after 31 August",
}


def _appeal(
    notice: date, certificate: date | None, period: Period, event: str, cal: WorkingCalendar
) -> tuple[date, str]:
    """L: the appeal deadline and its wording; the certificate only counts if later."""
    months = period.amount
    certificate_months = period.certificate_amount or 0
    raw = counting.appeal_lodging_raw(
        notice, certificate, months=months, certificate_months=certificate_months
    )
    due, adjustment = counting.adjust_lodging_date(raw, cal)
    text = f"{_plural(months, 'month')} after {event}"
    if certificate is not None:
        text += (
            f", or {_plural(certificate_months, 'month')} after the mediation certificate "
            f"issued on {format_date(certificate)} if later"
        )
    reason = _LODGING_REASON.get(adjustment)
    if reason is not None:
        text += f" ({format_date(raw)}, {reason})"
    return due, text


def _since_2014(
    amount: int, *, month: int | None = None, certificate_amount: int | None = None
) -> tuple[Period, ...]:
    return (Period(COMMENCEMENT, amount, month=month, certificate_amount=certificate_amount),)


def _weeks(
    rule_id: str,
    title: str,
    citation: str,
    trigger: str,
    event: str,
    weeks: int,
    *,
    regulation: str | None = None,
) -> Rule:
    """A plain "within N weeks of X" rule under the SEND Regulations."""
    return Rule(
        id=rule_id,
        title=title,
        regulation=regulation or f"{SEND_REGS}, {citation}",
        citation=citation,
        trigger=trigger,
        event=event,
        unit=Unit.weeks,
        convention=Convention.W,
        periods=_since_2014(weeks),
    )


def _order(rule_id: str, title: str, weeks: int) -> Rule:
    """A tribunal order under regulation 44: time runs from the order being sent."""
    return _weeks(rule_id, title, "regulation 44", "order sent", "the order sent on {start}", weeks)


_REQUEST = "the request received on {start}"
_MEETING = "the review meeting on {start}"

_ALL_RULES: tuple[Rule, ...] = (
    _weeks(
        "decision_to_assess",
        "Decision whether to assess due",
        "regulations 4(1) and 5(1)",
        "request received",
        _REQUEST,
        6,
    ),
    _weeks(
        "advice",
        "Advice due",
        "regulation 8",
        "request for advice received",
        "the request for advice received on {start}",
        6,
    ),
    _weeks(
        "decision_not_to_issue",
        "Decision not to issue a plan due",
        "regulation 10(1)",
        "request received",
        _REQUEST,
        16,
    ),
    Rule(
        id="draft_representations",
        title="Family's comments on the draft plan: window ends",
        regulation=f"{SEND_REGS}, regulation 13(1)",
        citation="regulation 13(1)",
        trigger="draft plan served",
        event="the draft plan served on {start}",
        unit=Unit.days,
        convention=Convention.D,
        periods=_since_2014(15),
        practical_target=False,
    ),
    _weeks(
        "final_plan", "Final EHC plan due", "regulation 13(2)", "request received", _REQUEST, 20
    ),
    _weeks(
        "reassessment_final_plan",
        "Final EHC plan after reassessment due",
        "regulation 27(2)",
        "reassessment notice sent",
        "the reassessment notice sent on {start}",
        14,
    ),
    Rule(
        id="annual_review",
        title="Annual review due",
        regulation="Children and Families Act 2014, section 44(1)",
        citation="section 44(1) of the Children and Families Act 2014",
        trigger="plan issued or last reviewed",
        event="the plan issued or last reviewed on {start}",
        unit=Unit.months,
        convention=Convention.Y,
        periods=_since_2014(12),
    ),
    Rule(
        id="review_notice",
        title="Review meeting invitations due",
        regulation=f"{SEND_REGS}, regulation 20(3)",
        citation="regulation 20(3)",
        trigger="review meeting",
        event=_MEETING,
        unit=Unit.weeks,
        convention=Convention.W,
        periods=_since_2014(2),
        direction=Direction.backward,
    ),
    _weeks(
        "review_report",
        "Review meeting report due",
        "regulation 20",
        "review meeting",
        _MEETING,
        2,
        regulation=f"{SEND_REGS}, regulations 20 and 21",
    ),
    _weeks(
        "review_decision",
        "Review decision due",
        "regulation 20(10)",
        "review meeting",
        _MEETING,
        4,
    ),
    Rule(
        id="review_representations",
        title="Family's comments on proposed amendments: window ends",
        regulation=f"{SEND_REGS}, regulation 22(2)(c)",
        citation="regulation 22(2)(c)",
        trigger="amendment notice served",
        event="the amendment notice served on {start}",
        unit=Unit.days,
        convention=Convention.D,
        periods=_since_2014(15),
        practical_target=False,
    ),
    _weeks(
        "review_final_amended_plan",
        "Final amended plan due",
        "regulation 22(3)",
        "amendment notice sent",
        "the amendment notice sent on {start}",
        8,
    ),
    _weeks(
        "review_longstop",
        "Final amended plan due (12 weeks from the review meeting)",
        "R (L, M and P) v Devon CC [2022] EWHC 493 (Admin)",
        "review meeting",
        _MEETING,
        12,
        regulation=(
            "R (L, M and P) v Devon County Council [2022] EWHC 493 (Admin), "
            "on SEND Regulations 2014, regulations 20 and 22"
        ),
    ),
    Rule(
        id="phase_transfer_school",
        title="Phase transfer: amended plan naming the next school due",
        regulation=f"{SEND_REGS}, regulation 18(1)(b)",
        citation="regulation 18(1)",
        trigger="year of transfer",
        event="the year of transfer ({start})",
        unit=Unit.fixed_date,
        convention=Convention.B,
        periods=_since_2014(15, month=2),
    ),
    Rule(
        id="phase_transfer_post16",
        title="Phase transfer: amended plan naming the post-16 institution due",
        regulation=f"{SEND_REGS}, regulation 18(1)(a)",
        citation="regulation 18(1)",
        trigger="year of transfer",
        event="the year of transfer ({start})",
        unit=Unit.fixed_date,
        convention=Convention.B,
        periods=(
            Period(COMMENCEMENT, 31, month=3),
            # Reg 18(3): for the first cohort (secondary to post-16 on 1 Sep 2015), 31 May 2015.
            Period(date(2015, 1, 1), 31, month=5, citation="regulation 18(3)"),
            Period(date(2016, 1, 1), 31, month=3),
        ),
    ),
    Rule(
        id="phase_transfer_post16_other",
        title="Post-16 transfer: amended plan naming the new institution due",
        regulation=f"{SEND_REGS}, regulation 18(2)",
        citation="regulation 18(2)",
        trigger="transfer date",
        event="the transfer on {start}",
        unit=Unit.months,
        convention=Convention.M,
        periods=_since_2014(5),
        direction=Direction.backward,
    ),
    _weeks(
        "transfer_in_notice",
        "Letter to the family about the transferred plan due",
        "regulation 15",
        "transfer date",
        "the transfer on {start}",
        6,
    ),
    Rule(
        id="mediation_contact",
        title="Family to contact the mediation adviser by",
        regulation=f"{SEND_REGS}, regulation 33",
        citation="regulation 33",
        trigger="decision notice sent",
        event="the decision notice sent on {start}",
        unit=Unit.months,
        convention=Convention.M,
        periods=_since_2014(2),
        practical_target=False,
    ),
    Rule(
        id="mediation_certificate",
        title="Mediation certificate due",
        regulation=f"{SEND_REGS}, regulations 34 and 39",
        citation="regulations 34 and 39",
        trigger="mediation declined or ended",
        event="mediation being declined or ending on {start}",
        unit=Unit.working_days,
        convention=Convention.R,
        periods=_since_2014(3),
    ),
    Rule(
        id="mediation_held",
        title="Mediation to take place by",
        regulation=f"{SEND_REGS}, regulations 35 to 37",
        citation="regulations 35 to 37",
        trigger="council told the family wants mediation",
        event="the council being told on {start} that the family wants mediation",
        unit=Unit.calendar_days,
        convention=Convention.W,
        periods=_since_2014(30),
    ),
    Rule(
        id="appeal_deadline",
        title="Appeal deadline (the tribunal must receive the appeal)",
        regulation=f"{TRIBUNAL_RULES}, rules 20 and 12",
        citation="rules 20 and 12",
        trigger="decision notice sent",
        event="the decision notice sent on {start}",
        unit=Unit.months,
        convention=Convention.L,
        periods=_since_2014(2, certificate_amount=1),
        parameters=(Parameter("certificate", "Mediation certificate issued", required=False),),
        practical_target=False,
    ),
    Rule(
        id="tribunal_response",
        title="Response to the appeal due",
        regulation=f"{TRIBUNAL_RULES}, rule 21",
        citation="rule 21",
        trigger="appeal received",
        event="the appeal received on {start}",
        unit=Unit.tribunal_working_days,
        convention=Convention.T,
        periods=_since_2014(30),
    ),
    _order("order_cease", "Cease to maintain the plan (tribunal order)", 0),
    _order("order_assess_notify", "Tell the family the assessment will go ahead (order)", 2),
    _order("order_assess_no_plan", "Decision not to issue after an ordered assessment due", 10),
    _order("order_assess_final", "Final EHC plan after an ordered assessment due", 14),
    _order("order_make_plan_draft", "Draft EHC plan due (order to make a plan)", 5),
    _order("order_make_plan_final", "Final EHC plan due (order to make a plan)", 11),
    _order("order_amend", "Amended plan due (order to amend)", 5),
    _order("order_name_school", "Amended plan naming the ordered school due", 2),
    _order("order_continue", "Continue to maintain the plan (tribunal order)", 0),
    _weeks(
        "recommendation_response",
        "Response to the tribunal's recommendation due",
        "the Recommendations Power Regulations 2017",
        "recommendation made",
        "the recommendation made on {start}",
        5,
        regulation=(
            "Special Educational Needs and Disability "
            "(First-tier Tribunal Recommendations Power) Regulations 2017"
        ),
    ),
    _weeks(
        "mediation_agreement_other",
        "Mediation agreement actions due",
        "regulation 42(3)",
        "mediation agreement made",
        "the mediation agreement made on {start}",
        2,
    ),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _ALL_RULES})
if len(RULES) != len(_ALL_RULES):  # pragma: no cover - guards the table above
    raise RuntimeError("duplicate rule id in the timescales table")

#: Every rule id, in the order of timescales.md section 3.
RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in _ALL_RULES)

#: The LA's own statutory time limits for an assessment (the 6, 16, 20 and 14 weeks).
LA_STATUTORY_RULES: frozenset[str] = frozenset(
    {"decision_to_assess", "decision_not_to_issue", "final_plan", "reassessment_final_plan"}
)

#: Time limits for complying with a tribunal order (regulation 44).
ORDER_RULES: frozenset[str] = frozenset(r for r in RULE_IDS if r.startswith("order_"))


def get_rule(rule_id: str) -> Rule:
    """The rule with this id, or `UnknownRule`."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def compute(
    rule_id: str,
    start: date,
    calendar: WorkingCalendar | None = None,
    **params: date | None,
) -> Due:
    """Compute one rule: `compute("final_plan", date(2025, 9, 8))`."""
    return get_rule(rule_id).compute(start, calendar, **params)
