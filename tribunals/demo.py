"""Demo mediation and appeals on the casework seeder's children, made through the services.

Runs after the casework seeder (settings.DEMO_SEEDERS). Takes the refusals to assess, the
refusals to issue and the plans it made, over its two years of history, and gives a share of
them a mediation and an appeal (unless the mediation settled it, or the family went no further):
older appeals are closed with a realistic mix of outcomes, costs and orders (some complied with,
some overdue), so the similar-appeals figure and the manager's view have a history to count;
recent ones are open at each stage. Every date is in the past and obeys the services' rules.
Running it again changes nothing: it does nothing once any mediation or appeal exists.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from cases.codes import EstablishmentKind
from cases.demo.checks import checks_left_to_the_database
from cases.models import AssessmentRequest, Plan, PlanStatus, RequestStatus
from send_cms.timescales import compute
from tribunals import services
from tribunals.codes import ORDER_RULES, AppealType, Outcome, Representation
from tribunals.models import Appeal, Mediation

#: How often a decision is challenged at all, how often the family wants mediation, how often
#: an agreement at mediation ends it, how often a family goes no further, and how an old
#: appeal ends.
CHALLENGED = 0.35
MEDIATION_WANTED, SETTLED, NOT_PURSUED = 0.65, 0.8, 0.15
OUTCOMES = [
    (Outcome.UPHELD, 0.5),
    (Outcome.UPHELD_IN_PART, 0.15),
    (Outcome.DISMISSED, 0.1),
    (Outcome.CONCEDED, 0.15),
    (Outcome.WITHDRAWN, 0.1),
]
ORDER_FOR: dict[str, str] = {
    AppealType.REFUSAL_TO_ASSESS: "assess",
    AppealType.REFUSAL_TO_ISSUE: "make_plan",
    AppealType.CONTENTS: "amend",
    AppealType.CEASE: "continue",
}
MEDIATION_ABOUT: dict[str, str] = {
    AppealType.REFUSAL_TO_ASSESS: "refusal_to_assess",
    AppealType.REFUSAL_TO_ISSUE: "refusal_to_issue",
    AppealType.CONTENTS: "plan_contents",
    AppealType.CEASE: "cease",
}
SETTINGS_SOUGHT = [
    EstablishmentKind.SPECIAL,
    EstablishmentKind.INDEPENDENT_SPECIAL,
    EstablishmentKind.MAINSTREAM,
    EstablishmentKind.RESOURCED_PROVISION,
]
APPELLANTS = ["Ms Khan", "Mr and Mrs Patel", "Ms Williams", "Mr Nowak", "Ms O'Brien", "Mr Adeyemi"]


def _outcome(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for outcome, share in OUTCOMES:
        total += share
        if roll < total:
            return outcome
    return Outcome.DISMISSED


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


class _Seeder:
    def __init__(self, actor: Any, rng: random.Random, today: dt.date) -> None:
        self.actor, self.rng, self.today = actor, rng, today
        self.counts = {"mediations": 0, "appeals": 0, "closed": 0, "orders": 0}

    def challenge(
        self,
        *,
        child: Any,
        notice: dt.date,
        appeal_type: str,
        request: Any = None,
        plan: Any = None,
    ) -> None:
        rng, today = self.rng, self.today
        certificate, settled = None, False
        if appeal_type != AppealType.CONTENTS or rng.random() < 0.7:
            certificate, settled = self.mediation(
                child=child, notice=notice, appeal_type=appeal_type, request=request, plan=plan
            )
        if settled or rng.random() < NOT_PURSUED:
            return  # agreed at mediation, or the family took it no further
        received = (certificate or notice) + _days(rng, 20, 45)
        if received > today - dt.timedelta(days=3):
            return
        sections: list[str] = []
        setting = ""
        if appeal_type == AppealType.CONTENTS:
            sections = rng.choice([["B", "F"], ["F"], ["I"], ["B", "F", "I"], ["F", "I"]])
            setting = rng.choice(SETTINGS_SOUGHT) if "I" in sections else ""
        appeal = services.appeal_register(
            actor=self.actor,
            child=child,
            appeal_type=appeal_type,
            request=request,
            plan=plan,
            sections=sections,
            setting_kind_sought=setting,
            decision_notice_on=notice,
            certificate_issued_on=certificate,
            lodged_on=received - _days(rng, 2, 10),
            received_by_la_on=received,
            appellant_name=rng.choice(APPELLANTS),
            tribunal_reference=self.reference(received),
            la_representation=rng.choice(Representation.values),
        )
        self.counts["appeals"] += 1
        self.progress(appeal)

    def reference(self, received: dt.date) -> str:
        """A tribunal-style appeal number: EH123/25/04567."""
        return f"EH{self.rng.randint(100, 999)}/{received:%y}/{self.rng.randint(1, 99999):05d}"

    def mediation(
        self, *, child: Any, notice: dt.date, appeal_type: str, request: Any, plan: Any
    ) -> tuple[dt.date | None, bool]:
        """The mediation certificate's date (None if not issued yet), and whether the
        mediation settled the disagreement."""
        rng = self.rng
        decision_type = MEDIATION_ABOUT[appeal_type]
        contacted = notice + _days(rng, 5, 40)
        if contacted > self.today - dt.timedelta(days=10):
            return None, False
        wanted = rng.random() < MEDIATION_WANTED
        mediation = services.mediation_create(
            actor=self.actor,
            child=child,
            decision_type=decision_type,
            request=request,
            plan=plan,
            decision_notice_on=notice,
            family_contacted_on=contacted,
            mediation_wanted=wanted,
            la_informed_on=contacted + _days(rng, 1, 3) if wanted else None,
            mediator="Global Mediation" if wanted else "",
        )
        self.counts["mediations"] += 1
        event, settled = contacted, False
        if wanted:
            held = contacted + _days(rng, 10, 28)
            if held > self.today:
                return None, False
            outcome = "agreement" if rng.random() < 0.3 else "no_agreement"
            settled = outcome == "agreement" and rng.random() < SETTLED
            services.mediation_record_held(
                actor=self.actor, mediation=mediation, held_on=held, outcome=outcome
            )
            if outcome == "agreement":
                services.mediation_action_add(
                    actor=self.actor,
                    mediation=mediation,
                    matter="other",
                    description="Refer to the short breaks team.",
                )
            event = held
        issued = compute("mediation_certificate", event).due
        if issued > self.today:
            return None, False
        services.mediation_issue_certificate(
            actor=self.actor, mediation=mediation, issued_on=issued
        )
        return issued, settled

    def progress(self, appeal: Appeal) -> None:
        rng, today, actor = self.rng, self.today, self.actor
        response_due = compute("tribunal_response", appeal.received_by_la_on).due
        if response_due > today and rng.random() < 0.6:
            return  # still waiting for the response
        if rng.random() < 0.15 and appeal.received_by_la_on + dt.timedelta(days=10) <= today:
            conceded = appeal.received_by_la_on + _days(rng, 5, 10)
            services.appeal_record_outcome(
                actor=actor, appeal=appeal, outcome=Outcome.CONCEDED, decided_on=conceded
            )
            self.counts["closed"] += 1
            self.orders(appeal, conceded)
            return
        submitted = min(response_due - _days(rng, -3, 5), today)
        if submitted < appeal.received_by_la_on:
            return
        appeal = services.appeal_submit_response(actor=actor, appeal=appeal, submitted_on=submitted)
        hearing = submitted + _days(rng, 40, 120)
        appeal = services.appeal_list_hearing(actor=actor, appeal=appeal, hearing_on=hearing)
        decided = hearing + _days(rng, 7, 21)
        if decided > today:
            return
        outcome = _outcome(rng)
        if outcome == Outcome.CONCEDED:
            decided = hearing - _days(rng, 3, 20)
        services.appeal_record_outcome(
            actor=actor, appeal=appeal, outcome=outcome, decided_on=decided
        )
        self.counts["closed"] += 1
        services.appeal_update_details(
            actor=actor,
            appeal=appeal,
            legal_costs=Decimal(rng.randint(8, 60) * 100),
            counsel_costs=Decimal(rng.choice([0, 0, 2500, 4000, 6500])),
            expert_costs=Decimal(rng.choice([0, 900, 1800])),
        )
        if outcome in (Outcome.UPHELD, Outcome.UPHELD_IN_PART, Outcome.CONCEDED):
            self.orders(appeal, decided)

    def orders(self, appeal: Appeal, decided: dt.date) -> None:
        kind = ORDER_FOR.get(appeal.appeal_type)
        if kind is None:
            return
        rng, today = self.rng, self.today
        appeal.refresh_from_db()
        sent = decided if appeal.unopposed else decided + _days(rng, 1, 5)
        if sent > today:
            return
        order = services.appeal_order_add(
            actor=self.actor, appeal=appeal, kind=kind, made_on=decided, sent_on=sent
        )
        self.counts["orders"] += 1
        start = order.runs_from
        for rule in ORDER_RULES[kind]:
            if rule == "order_assess_no_plan":
                continue
            due = compute(rule, start).due
            done = due - _days(rng, -10, 10)  # a few late
            if done > today or rng.random() < 0.15:
                break  # left open (some of them overdue)
            services.order_complied(
                actor=self.actor, order=order, complied_on=max(done, order.made_on), step=rule
            )


@transaction.atomic
def seed(*, rng: random.Random, users: dict[str, Any], children: int, stdout: TextIO) -> str:
    if Appeal.objects.exists() or Mediation.objects.exists():
        return "tribunals: mediation and appeals already recorded"
    seeder = _Seeder(users["caseworker"], rng, timezone.localdate())
    with checks_left_to_the_database():
        _challenge_decisions(seeder, rng)
    c = seeder.counts
    return (
        f"tribunals: {c['mediations']} mediations, {c['appeals']} appeals ({c['closed']} closed), "
        f"{c['orders']} orders"
    )


def _challenge_decisions(seeder: _Seeder, rng: random.Random) -> None:
    """A share of the refusals and of the plans in force challenged, oldest first."""
    refusals = (
        AssessmentRequest.objects.filter(
            status__in=[RequestStatus.NOT_ASSESSING, RequestStatus.NOT_ISSUING]
        )
        .select_related("child")
        .order_by("received_on", "child__reference")
    )
    for request in refusals:
        if rng.random() >= CHALLENGED:
            continue
        if request.status == RequestStatus.NOT_ASSESSING and request.decided_on:
            notice = request.decision_letter_sent_on or request.decided_on
            seeder.challenge(
                child=request.child,
                notice=notice,
                appeal_type=AppealType.REFUSAL_TO_ASSESS,
                request=request,
            )
        elif request.issue_decided_on:
            seeder.challenge(
                child=request.child,
                notice=request.issue_decided_on,
                appeal_type=AppealType.REFUSAL_TO_ISSUE,
                request=request,
            )
    plans = (
        Plan.objects.filter(status=PlanStatus.ACTIVE)
        .select_related("child")
        .order_by("issued_on", "child__reference")
    )
    for plan in plans:
        if rng.random() >= CHALLENGED / 3:
            continue
        seeder.challenge(
            child=plan.child, notice=plan.issued_on, appeal_type=AppealType.CONTENTS, plan=plan
        )
