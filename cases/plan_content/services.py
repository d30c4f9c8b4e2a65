"""Every write of the plan's content: start an edition, write its sections, issue it.

The edition being written is the only one that changes. Issuing the draft, the final plan or an
amended plan fixes the edition (the casework issue services call `plan_content_issue_*` in their
own transaction), and the next edition starts as a copy of the one before it.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import (
    AssessmentRequest,
    Child,
    Plan,
    PlanStatus,
    PlanVersion,
    RequestStatus,
)
from cases.plan_content import messages as msg
from cases.plan_content.models import (
    PlanContent,
    PlanNeed,
    PlanOutcome,
)
from cases.services.common import Errors, actor_user, add_error, fmt, lock, raise_if
from send_cms.audit.services import record

#: A request at one of these steps has a plan being drafted (advice arrives while assessing).
DRAFTING = (RequestStatus.ASSESSING, RequestStatus.ISSUING, RequestStatus.DRAFT_ISSUED)
#: The fields of the edition itself (sections A, I and J) a writer may change.
EDITION_FIELDS = (
    "views",
    "interests",
    "aspirations",
    "placement",
    "personal_budget_requested",
    "personal_budget_amount",
    "personal_budget_details",
)


def _audit(*, actor: Any, content: PlanContent, action: str, changes: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=action,
        obj=content,
        child_id=content.child_id,
        changes={"stage": content.stage, **changes},
    )


def latest_issued(*, child: Child) -> PlanContent | None:
    """The child's last issued edition (a draft, the final plan or an amended plan)."""
    return (
        PlanContent.objects.filter(child=child, issued_on__isnull=False)
        .order_by("-issued_on", "-created_at")
        .first()
    )


def being_written(*, child: Child) -> PlanContent | None:
    return PlanContent.objects.filter(child=child, issued_on__isnull=True).first()


def _still_current(content: PlanContent) -> bool:
    """An edition being written for a request that ended, or a plan that ceased, is stale."""
    if content.plan_id is not None:
        return content.plan is not None and content.plan.status == PlanStatus.ACTIVE
    return content.request is not None and content.request.status in DRAFTING


def _copy_items(source: PlanContent, target: PlanContent) -> None:
    """Carry every row of `source` into `target`, keeping each row's key and its links."""
    needs: dict[Any, PlanNeed] = {}
    for need in source.needs.all():
        old = need.pk
        need.pk = None
        need.id = None
        need._state.adding = True
        need.content = target
        need.save(force_insert=True)
        needs[old] = need
    outcomes: dict[Any, PlanOutcome] = {}
    for outcome in source.outcomes.prefetch_related("needs"):
        linked = [needs[n.pk] for n in outcome.needs.all() if n.pk in needs]
        old = outcome.pk
        outcome.pk = None
        outcome.id = None
        outcome._state.adding = True
        outcome.content = target
        outcome.save(force_insert=True)
        outcome.needs.set(linked)
        outcomes[old] = outcome
    for item in source.provision.prefetch_related("outcomes"):
        linked_outcomes = [outcomes[o.pk] for o in item.outcomes.all() if o.pk in outcomes]
        item.pk = None
        item.id = None
        item._state.adding = True
        item.content = target
        item.save(force_insert=True)
        item.outcomes.set(linked_outcomes)
    for advice in source.advice.all():
        advice.pk = None
        advice.id = None
        advice._state.adding = True
        advice.content = target
        advice.save(force_insert=True)


def _new_edition(
    *,
    actor: Any,
    child: Child,
    stage: str,
    request: AssessmentRequest | None,
    plan: Plan | None,
    based_on: PlanContent | None,
) -> PlanContent:
    content = PlanContent(
        child=child,
        request=request,
        plan=plan,
        stage=stage,
        based_on=based_on,
        written_by=actor_user(actor),
    )
    if based_on is not None:
        for field in EDITION_FIELDS:
            setattr(content, field, getattr(based_on, field))
        content.named_settings = list(based_on.named_settings)
    content.full_clean()
    content.save(force_insert=True)
    if based_on is not None:
        _copy_items(based_on, content)
    _audit(
        actor=actor,
        content=content,
        action="plan_content.started",
        changes={"based_on": based_on, "request": request, "plan": plan},
    )
    return content


@transaction.atomic
def plan_content_start(*, actor: Any, child: Child) -> PlanContent:
    """The edition of the child's plan being written, started if there is none.

    While an assessment is drafting the plan it is the draft (or, once the draft is issued,
    the final plan, starting from the draft); with a plan in force it is the next amended plan,
    starting from the version in force. A repeated start returns the same edition.
    """
    lock(child)
    current = being_written(child=child)
    if current is not None:
        if _still_current(current):
            return current
        _audit(actor=actor, content=current, action="plan_content.discarded", changes={})
        current.delete()
    request = (
        AssessmentRequest.objects.filter(child=child, status__in=DRAFTING)
        .order_by("-received_on")
        .first()
    )
    if request is not None:
        previous = (
            PlanContent.objects.filter(request=request, issued_on__isnull=False)
            .order_by("-issued_on", "-created_at")
            .first()
        )
        issued_draft = request.draft_issued_on is not None
        return _new_edition(
            actor=actor,
            child=child,
            stage=PlanContent.Stage.FINAL if issued_draft else PlanContent.Stage.DRAFT,
            request=request,
            plan=None,
            based_on=previous,
        )
    plan = Plan.objects.filter(child=child, status=PlanStatus.ACTIVE).first()
    if plan is None:
        raise ValidationError({"__all__": [msg.NOTHING_TO_WRITE.format(name=child.full_name)]})
    in_force = (
        PlanContent.objects.filter(plan=plan, version__isnull=False)
        .order_by("-version__number")
        .first()
    )
    return _new_edition(
        actor=actor,
        child=child,
        stage=PlanContent.Stage.AMENDED,
        request=None,
        plan=plan,
        based_on=in_force,
    )


def _editable(content: PlanContent) -> PlanContent:
    lock(content)
    if content.issued_on is not None:
        from send_cms.common.exceptions import TransitionNotAllowed

        raise TransitionNotAllowed(
            msg.CONTENT_ISSUED.format(
                stage=content.get_stage_display().lower(), issued_on=fmt(content.issued_on)
            )
        )
    return content


@transaction.atomic
def plan_content_update(*, actor: Any, content: PlanContent, **fields: Any) -> PlanContent:
    """Sections A (views, interests, aspirations), I (the type of setting) and J (the personal
    budget): only the fields given change."""
    _editable(content)
    unknown = set(fields) - set(EDITION_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of the plan's content: {', '.join(sorted(unknown))}")
    errors: Errors = {}
    amount: Decimal | None = fields.get("personal_budget_amount", content.personal_budget_amount)
    requested = fields.get("personal_budget_requested", content.personal_budget_requested)
    if amount is not None and amount < 0:
        add_error(errors, "personal_budget_amount", msg.BUDGET_NEGATIVE)
    elif amount is not None and not requested:
        add_error(errors, "personal_budget_amount", msg.BUDGET_WITHOUT_REQUEST)
    raise_if(errors)
    changed: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(content, name) != value:
            changed[name] = {"from": getattr(content, name), "to": value}
            setattr(content, name, value)
    if changed:
        content.full_clean()
        content.save()
        _audit(actor=actor, content=content, action="plan_content.updated", changes=changed)
    return content


def plan_content_issue_draft(*, actor: Any, request: AssessmentRequest, issued_on: dt.date) -> None:
    """Called as the draft plan is issued: the draft being written is fixed on that date."""
    content = (
        PlanContent.objects.select_for_update()
        .filter(request=request, issued_on__isnull=True, stage=PlanContent.Stage.DRAFT)
        .first()
    )
    if content is None:
        return
    content.issued_on = issued_on
    content.full_clean()
    content.save(update_fields=["issued_on", "updated_at"])
    _audit(
        actor=actor, content=content, action="plan_content.issued", changes={"issued_on": issued_on}
    )


def _named_settings(plan: Plan) -> list[dict[str, Any]]:
    named = []
    for setting in plan.named_settings.select_related("establishment").order_by("rank"):
        if setting.establishment is not None:
            name = str(setting.establishment)
        else:
            name = setting.get_sen_setting_display()
            if setting.sen_setting_other:
                name = f"{name}: {setting.sen_setting_other}"
        named.append({"rank": setting.rank, "name": name})
    return named


def plan_content_issue_version(*, actor: Any, version: PlanVersion) -> PlanContent | None:
    """Called as a final or amended plan is issued: the edition being written (or, when nothing
    was written since, a copy of the last issued one) becomes that version's content, with the
    settings section I names."""
    plan = version.plan
    child = plan.child
    content = (
        PlanContent.objects.select_for_update()
        .filter(child=child, issued_on__isnull=True)
        .filter(plan=plan)
        .first()
    ) or (
        PlanContent.objects.select_for_update()
        .filter(child=child, issued_on__isnull=True, request_id=plan.request_id)
        .exclude(request=None)
        .first()
    )
    stage = (
        PlanContent.Stage.FINAL
        if version.kind == PlanVersion.Kind.FINAL
        else PlanContent.Stage.AMENDED
    )
    if content is None:
        previous = latest_issued(child=child)
        if previous is None or (previous.plan_id not in (None, plan.pk)):
            return None
        if previous.request_id is not None and previous.request_id != plan.request_id:
            return None
        content = _new_edition(
            actor=actor,
            child=child,
            stage=stage,
            request=previous.request,
            plan=plan,
            based_on=previous,
        )
    content.stage = stage
    content.plan = plan
    content.version = version
    content.issued_on = version.issued_on
    content.named_settings = _named_settings(plan)
    content.full_clean()
    content.save()
    _audit(
        actor=actor,
        content=content,
        action="plan_content.issued",
        changes={"issued_on": version.issued_on, "version": version.number},
    )
    return content
