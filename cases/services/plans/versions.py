"""Versions of a plan after the final one (an amended plan after a review), and the hook that lets
another app act in the same transaction as a final plan's issue."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from django.db import transaction

from cases import messages as msg
from cases.models import Plan, PlanVersion
from cases.plan_content.services import plan_content_issue_version
from cases.services.common import Errors, actor_user, add_error, check_not_future, fmt, raise_if
from cases.services.plans.named_settings import (
    check_named_settings,
    check_starts_on,
    named_settings_save,
)
from cases.services.plans.placements import place_at_named_setting
from cases.services.plans.state import active_plan
from cases.services.steps import case_step, save_new
from send_cms.accounts.actor import Actor


@transaction.atomic
def plan_version_issue(
    *,
    actor: Actor | None,
    plan: Plan,
    issued_on: dt.date,
    changes: str,
    kind: str = "amended",
    named_settings: Sequence[dict[str, Any]] | None = None,
    starts_on: dt.date | None = None,
) -> PlanVersion:
    """Issue a new version of the plan (an amended plan after a review); every version is kept.

    `named_settings` is section I when the amended plan changes it: the child is placed at the
    new rank 1 setting from the issue date, or from `starts_on` when they start later.
    """
    active_plan(plan)
    errors: Errors = {}
    if named_settings is not None:
        check_named_settings(errors, named_settings)
    check_starts_on(errors, starts_on=starts_on, issued_on=issued_on, named_settings=named_settings)
    check_not_future(errors, "issued_on", issued_on, "The date the plan was issued")
    if kind != PlanVersion.Kind.AMENDED:
        add_error(errors, "kind", msg.VERSION_KIND_INVALID)
    if not changes.strip():
        add_error(errors, "changes", msg.VERSION_NEEDS_CHANGES)
    last = plan.versions.order_by("-number").first()
    if last is not None and issued_on < last.issued_on:
        add_error(
            errors,
            "issued_on",
            msg.VERSION_BEFORE_PREVIOUS.format(number=last.number, issued_on=fmt(last.issued_on)),
        )
    raise_if(errors)
    version = PlanVersion(
        plan=plan,
        number=(last.number + 1) if last is not None else 1,
        kind=kind,
        issued_on=issued_on,
        changes=changes.strip(),
        issued_by=actor_user(actor),
    )
    save_new(version)
    case_step(
        actor=actor,
        subject=plan,
        action="plan.version_issued",
        title=f"Amended EHC plan issued (version {version.number})",
        occurred_on=issued_on,
        changes={"number": version.number, "issued_on": issued_on, "changes": version.changes},
        obj=version,
        detail=version.changes,
    )
    if named_settings is not None:
        named_settings_save(plan=plan, named_settings=named_settings)
        place_at_named_setting(
            actor=actor, plan=plan, named_settings=named_settings, starts_on=starts_on or issued_on
        )
    plan_content_issue_version(actor=actor, version=version)
    return version


class PlanIssuedListener(Protocol):
    """Called in the same transaction as a final plan's issue (`register_plan_issued`)."""

    def __call__(self, *, actor: Actor | None, plan: Plan) -> object: ...


_plan_issued_listeners: list[PlanIssuedListener] = []


def register_plan_issued(listener: PlanIssuedListener) -> None:
    """Let an app act in the same transaction as a final plan's issue (the reviews app opens the
    plan's first annual review, so the case shows it at once); called once in its
    AppConfig.ready: that app imports casework, so casework cannot import it."""
    if listener not in _plan_issued_listeners:
        _plan_issued_listeners.append(listener)


def plan_issued(*, actor: Actor | None, plan: Plan) -> None:
    """Tell every registered app that `plan` was issued (inside the issuing transaction)."""
    for listener in _plan_issued_listeners:
        listener(actor=actor, plan=plan)
