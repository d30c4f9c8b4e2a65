"""Turn a demo story into records, every step through its casework service.

So the demo obeys the same rules as real work (a step out of order, a date in the future or a
final plan inside the family's 15 days would be refused here too) and writes the same audit
trail and case timeline. Steps are recorded in the order they happened; the caseworker holding
the case is the actor and the manager approves the exceptions.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from cases import services
from cases.codes import AdviceKind, CeaseReason, Channel, RequestSource, SenType
from cases.codes import EstablishmentKind as K
from cases.demo import data
from cases.demo.children import Case, Caseload, pick
from cases.demo.plan_content import write_plan
from cases.demo.schools import Setting, setting_on, transfers
from cases.demo.stories import OPEN, WITH_PLAN, Story, strain
from cases.models import AssessmentRequest, DraftConsultation, Establishment, Plan
from send_cms.timescales import (
    ExceptionType,
    add_months,
    advice_requested_in_closure_window,
    compute,
)

LONDON = ZoneInfo("Europe/London")
DAY = dt.timedelta(days=1)
ADULT_DAYS = 18 * 365


class Journey:
    """Records one story's steps in the order they happened."""

    def __init__(self, caseload: Caseload, story: Story, rng: random.Random, case: Case) -> None:
        self.caseload, self.story, self.rng, self.case = caseload, story, rng, case
        self.child, self.actor, self.received = case.child, case.caseworker, case.received
        self.today = caseload.today
        self.schools = caseload.schools
        self.counts = caseload.counts
        self.advice: list[Any] = []
        self.request: AssessmentRequest

    def on(self, days: int) -> dt.date:
        return self.received + DAY * days

    def setting(self, days: int) -> Setting:
        """Where the child was `days` after the request."""
        return setting_on(self.case.path, self.on(days))

    def run(self) -> None:
        story, journey = self.story, self.story.journey
        self._receive()
        if journey == "not_assessing":
            self._decide("not_assess")
        elif story.assessed:
            self._decide("assess")
            self._advice()
        if journey in ("not_issuing", "issuing", "draft_issued", *WITH_PLAN):
            self._issue_decision("not_issue" if journey == "not_issuing" else "issue")
        if journey in ("issuing", "draft_issued", *WITH_PLAN):
            self._draft_and_consult()
        plan = self._final() if journey in WITH_PLAN else None
        self._exceptions()
        if plan is not None:
            self._after_plan(plan)
        if journey == "withdrawn":
            services.assessment_request_withdraw(
                actor=self.actor,
                request=self.request,
                withdrawn_on=self.on(story.limit),
                reason=self.rng.choice(data.WITHDRAWALS),
            )
        elif journey == "transferred_out":
            services.assessment_request_transfer_out(
                actor=self.actor,
                request=self.request,
                transferred_on=self.on(story.limit),
                new_la_code=self.rng.choice(data.NEW_LA_CODES),
            )

    # --- the assessment ------------------------------------------------------------------------

    def _receive(self) -> None:
        rng = self.rng
        channel = pick(rng, data.CHANNELS)
        if channel == Channel.POST:  # posted the day before
            received_at = services.received_at_for_date(self.received, channel)
        else:
            moment = dt.time(rng.randint(8, 16), rng.randint(0, 59))
            received_at = dt.datetime.combine(self.received, moment, tzinfo=LONDON)
        source = pick(rng, data.SOURCES)
        requester = ""
        school = self.setting(0)
        if source == RequestSource.PARENT_OR_YOUNG_PERSON:
            contact = self.child.contacts.order_by("created_at").first()
            requester = contact.name if contact else ""
        elif source == RequestSource.SCHOOL and isinstance(school, Establishment):
            requester = f"SENCO, {school.name}"
        self.request = services.assessment_request_create(
            actor=self.actor,
            child=self.child,
            received_at=received_at,
            channel=channel,
            source=source,
            requester_name=requester,
        )
        self.received = self.request.received_on

    def _decide(self, decision: str) -> None:
        decided = self.on(self.story.decide)
        self.request = services.assessment_request_decide(
            actor=self.actor,
            request=self.request,
            decision=decision,
            decided_on=decided,
            reasons=data.ASSESS_REASONS[decision],
            letter_sent_on=min(decided + DAY * self.rng.randint(0, 3), self.today),
        )

    def _advice(self) -> None:
        limit, actor = self.story.limit, self.actor
        for planned in self.story.advice:
            school = self.setting(planned.requested)
            teacher = school.name if isinstance(school, Establishment) else "Tutor and SENCO"
            advice = services.advice_request_create(
                actor=actor,
                request=self.request,
                kind=planned.kind,
                requested_on=self.on(planned.requested),
                provider=data.PROVIDERS.get(planned.kind, teacher),
            )
            self.advice.append(advice)
            if planned.back <= limit:
                advice = services.advice_request_receive(
                    actor=actor, advice=advice, received_on=self.on(planned.back)
                )
            if planned.returned is not None and planned.returned <= limit:
                advice = services.advice_request_return_for_quality(
                    actor=actor, advice=advice, returned_on=self.on(planned.returned)
                )
                self.counts["advice returned for quality"] += 1
            if planned.re_back is not None and planned.re_back <= limit:
                services.advice_request_re_receive(
                    actor=actor, advice=advice, received_on=self.on(planned.re_back)
                )

    def _issue_decision(self, decision: str) -> None:
        self.request = services.assessment_request_decide_issue(
            actor=self.actor,
            request=self.request,
            decision=decision,
            decided_on=self.on(self.story.issue),
            reasons=data.ISSUE_REASONS[decision],
        )

    def _draft_and_consult(self) -> None:
        """The draft, and the settings consulted about being named (the family's preference
        first), in date order; their replies as they came."""
        story, limit = self.story, self.story.limit
        named = self.setting(story.final)
        preferred = named if isinstance(named, Establishment) else self.schools.one(K.SPECIAL)
        consulted = [preferred, self.schools.like(preferred, self.rng)]
        drafted = False
        sent: list[tuple[DraftConsultation, int, bool]] = []
        for (sent_on, reply_on, can_meet), establishment in zip(
            story.consults, consulted, strict=False
        ):
            if sent_on > limit:
                break
            if not drafted and story.draft <= sent_on:
                self._draft(preferred)
                drafted = True
            consultation = services.consultation_add(
                actor=self.actor,
                request=self.request,
                establishment=establishment,
                sent_on=self.on(sent_on),
            )
            sent.append((consultation, reply_on, can_meet))
        if not drafted and story.draft <= limit:
            self._draft(preferred)
        for consultation, reply_on, can_meet in sent:
            if reply_on <= limit:
                reply = DraftConsultation.Reply
                services.consultation_reply(
                    actor=self.actor,
                    consultation=consultation,
                    replied_on=self.on(reply_on),
                    reply=reply.CAN_MEET if can_meet else reply.CANNOT_MEET,
                )

    def _draft(self, preferred: Establishment) -> None:
        write_plan(actor=self.actor, child=self.request.child, need=self.case.need)
        self.request = services.draft_plan_issue(
            actor=self.actor,
            request=self.request,
            issued_on=self.on(self.story.draft),
            preferred_setting=preferred,
        )

    # --- the plan ------------------------------------------------------------------------------

    def _final(self) -> Plan:
        """The final plan names where the child will be; it places them there from its issue
        (the service does), unless no place is free yet."""
        rng, need = self.rng, self.case.need
        assert self.request.draft_issued_on is not None
        earliest = services.earliest_final_on(self.request.draft_issued_on)
        named = self.setting(self.story.final)
        section_i: dict[str, Any] = (
            {"establishment": named, "resourced_provision": named.kind == K.RESOURCED_PROVISION}
            if isinstance(named, Establishment)
            else {"sen_setting": named}
        )
        secondary = (
            rng.choice([n for n in SenType.values if n != need]) if rng.random() < 0.35 else ""
        )
        awaiting = rng.random() < 0.14 and self.story.cease is None
        plan = services.final_plan_issue(
            actor=self.actor,
            request=self.request,
            issued_on=max(self.on(self.story.final), earliest),
            primary_need=need,
            secondary_need=secondary,
            named_settings=[{**section_i, "rank": 1}],
            awaiting_placement=awaiting,
            **({} if awaiting else self._cost(named)),
        )
        self.counts["plans issued"] += 1
        return plan

    def _cost(self, setting: Setting) -> dict[str, Any]:
        """The band and yearly cost of a placement at `setting`."""
        rng = self.rng
        if not isinstance(setting, Establishment):
            return {
                "annual_cost": Decimal(rng.randint(20, 30) * 1000),
                "cost_reason": data.TUITION_REASON,
            }
        band, cost = rng.choice(data.BANDS.get(setting.kind, (("", 0),)))
        reason = ""
        if setting.kind == K.INDEPENDENT_SPECIAL:
            cost, reason = rng.randint(45, 75) * 1000, data.INDEPENDENT_FEE_REASON
        return {"band": band, "annual_cost": Decimal(cost), "cost_reason": reason}

    def _place(self, plan: Plan, setting: Setting, starts_on: dt.date) -> None:
        where: dict[str, Any] = (
            {
                "establishment": setting,
                "resourced_provision": setting.kind == K.RESOURCED_PROVISION,
            }
            if isinstance(setting, Establishment)
            else {"sen_setting": setting}
        )
        services.placement_create(
            actor=self.actor, plan=plan, starts_on=starts_on, **where, **self._cost(setting)
        )

    def _after_plan(self, plan: Plan) -> None:
        """Placements over time with the plan amended for each move between phases; some
        children waited for a place (longer when the service was stretched; a few still wait);
        for some plans a proposal to cease, or the ceasing."""
        rng, today = self.rng, self.today
        ceasing = self.story.cease is not None
        placed_on: dt.date | None = plan.issued_on
        if plan.placements.filter(awaiting_placement=True).exists():
            longest = 60 + int(150 * strain((today - plan.issued_on).days))
            placed_on = plan.issued_on + DAY * rng.randint(20, longest)
            if placed_on > today:
                placed_on = None
                self.counts["awaiting a placement"] += 1
            else:
                self._place(plan, setting_on(self.case.path, placed_on), placed_on)
        if placed_on is not None and not ceasing:
            self._phase_transfers(plan, placed_on)
        if self.story.cease is not None:
            self._cease(plan, *(self.on(days) for days in self.story.cease))
        elif rng.random() < 0.04 and (today - plan.issued_on).days > 60:
            proposed = max(plan.issued_on, today - DAY * rng.randint(3, 40))
            services.plan_cease_propose(actor=self.actor, plan=plan, proposed_on=proposed)
            self.counts["ceasing proposed"] += 1

    def _phase_transfers(self, plan: Plan, placed_on: dt.date) -> None:
        """For each move between phases since the plan was issued: the plan amended to name the
        next setting (mostly by the statutory date, some late, a few not yet), and the
        placement there from 1 September (unless the child was first placed after it)."""
        rng, today, issued = self.rng, self.today, plan.issued_on
        last_version = issued
        for moves_on, _group, rule in transfers(self.child.date_of_birth):
            if moves_on <= issued:
                continue
            due = compute(rule, moves_on, self.caseload.calendar).due
            if due > today:
                continue
            before = setting_on(self.case.path, moves_on - DAY)
            after = setting_on(self.case.path, moves_on)
            if issued > due:  # the plan came after the date: amended soon after
                amended = issued + DAY * rng.randint(14, 60)
            elif rng.random() < 0.15:
                amended = due + DAY * rng.randint(1, 60)
            else:
                amended = due - DAY * rng.randint(3, 45)
            amended = max(amended, add_months(moves_on, -12), last_version)
            forgotten = (today - due).days < 300 and rng.random() < 0.06
            if amended <= min(today, moves_on) and not forgotten:
                services.plan_version_issue(
                    actor=self.actor,
                    plan=plan,
                    issued_on=amended,
                    changes=self._transfer_changes(after, moves_on, changed=after != before),
                )
                last_version = amended
                self.counts["amended for a phase transfer"] += 1
            if after != before and placed_on < moves_on <= today:
                self._place(plan, after, moves_on)

    @staticmethod
    def _transfer_changes(setting: Setting, moves_on: dt.date, *, changed: bool) -> str:
        name = setting.name if isinstance(setting, Establishment) else str(setting)
        if changed:
            return f"Section I names {name} from September {moves_on.year} (phase transfer)."
        return (
            f"Sections B, F and I reviewed for the move into the next phase in September "
            f"{moves_on.year}; {name} is still named."
        )

    def _cease(self, plan: Plan, proposed: dt.date, decided: dt.date) -> None:
        rng = self.rng
        services.plan_cease_propose(actor=self.actor, plan=plan, proposed_on=proposed)
        if (decided - self.child.date_of_birth).days >= ADULT_DAYS:
            reasons = [
                CeaseReason.HIGHER_EDUCATION,
                CeaseReason.PAID_EMPLOYMENT,
                CeaseReason.NO_LONGER_ENGAGES,
                CeaseReason.NEEDS_MET,
            ]
        else:
            reasons = [CeaseReason.NEEDS_MET] * 3 + [CeaseReason.MOVED_LA_ENGLAND] * 2
            reasons += [CeaseReason.MOVED_OUTSIDE_ENGLAND]
        reason = rng.choice(reasons)
        if reason in services.CEASE_WITHOUT_APPEAL:
            ceased = decided + DAY * rng.randint(0, 10)
        else:  # in force until the family's time to appeal has passed
            ceased = services.appeal_deadline_for(decided) + DAY * rng.randint(1, 20)
        services.plan_cease(
            actor=self.actor,
            plan=plan,
            decided_on=decided,
            ceased_on=min(ceased, self.today),
            reason=reason,
        )
        self.counts["plans ceased"] += 1

    # --- exceptions ----------------------------------------------------------------------------

    def _exceptions(self) -> None:
        for planned in self.story.exceptions:
            advice = self.advice[planned.advice] if planned.advice is not None else None
            self._exception(
                kind=planned.kind,
                rule=planned.rule,
                starts_on=self.on(planned.starts),
                ends_on=self.on(planned.ends) if planned.ends is not None else None,
                advice=advice,
            )
        if self.story.journey not in (*WITH_PLAN, *OPEN) or not self.story.late_plan:
            return  # a closure only matters where it made the plan late
        for advice in self.advice:  # advice asked of a school just before the summer holidays
            year = advice.requested_on.year
            closed, reopens = dt.date(year, 7, 22), dt.date(year, 9, 3)
            if (
                advice.kind == AdviceKind.EDUCATIONAL
                and closed <= self.today
                and advice_requested_in_closure_window(advice.requested_on, closed, reopens)
            ):
                self._exception(
                    kind=ExceptionType.school_closure,
                    rule="final_plan",
                    starts_on=closed,
                    ends_on=reopens,
                    advice=advice,
                )

    def _exception(
        self,
        *,
        kind: ExceptionType,
        rule: str,
        starts_on: dt.date,
        ends_on: dt.date | None,
        advice: Any,
    ) -> None:
        services.timescale_exception_add(
            actor=self.actor,
            request=self.request,
            kind=kind.value,
            rule=rule,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=data.EXCEPTION_REASONS[kind],
            approved_by=self.caseload.manager,
            family_told_on=min(starts_on + DAY * self.rng.randint(1, 7), self.today),
            advice_request=advice,
        )
        self.counts["exceptions"] += 1
