"""Section I of the plan: the settings it names, checked and saved as the plan (or its latest
version) names them."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from cases import messages as msg
from cases.codes import PLACEMENT_ONLY_SETTINGS, SenSetting
from cases.models import NamedSetting, Plan
from cases.services.common import Errors, add_error, fmt
from cases.services.steps import save_new


def check_named_settings(errors: Errors, named_settings: Sequence[dict[str, Any]]) -> None:
    """Section I: one rank 1, at most one rank 2, each one kind of setting, none placement-only."""
    ranks = [s.get("rank", 1) for s in named_settings]
    if any(r not in (1, 2) for r in ranks):
        add_error(errors, "named_settings", msg.RANK_INVALID)
    elif named_settings and (ranks.count(1) != 1 or ranks.count(2) > 1):
        add_error(errors, "named_settings", msg.NAMED_SETTING_RANKS)
    for setting in named_settings:
        establishment = setting.get("establishment")
        code = setting.get("sen_setting", "")
        if establishment is not None and code:
            add_error(errors, "named_settings", msg.SETTING_ONE_KIND)
        elif establishment is None and not code:
            add_error(errors, "named_settings", msg.SETTING_NEEDED)
        elif code in PLACEMENT_ONLY_SETTINGS:
            add_error(
                errors,
                "named_settings",
                msg.SETTING_NOT_IN_PLAN.format(setting=SenSetting(code).label),
            )
        elif code == SenSetting.OTH and not setting.get("sen_setting_other", "").strip():
            add_error(errors, "named_settings", msg.SETTING_OTHER_NEEDS_DETAIL)


def check_starts_on(
    errors: Errors,
    *,
    starts_on: dt.date | None,
    issued_on: dt.date,
    named_settings: Sequence[dict[str, Any]] | None,
) -> None:
    """A start date later than the plan's issue says when the child starts at the setting named
    at rank 1; without one, the child starts there on the day the plan is issued."""
    if starts_on is None:
        return
    if not any(s.get("rank", 1) == 1 for s in named_settings or ()):
        add_error(errors, "starts_on", msg.STARTS_WITHOUT_SETTING)
    elif starts_on < issued_on:
        add_error(errors, "starts_on", msg.STARTS_BEFORE_PLAN.format(issued_on=fmt(issued_on)))


def named_settings_save(*, plan: Plan, named_settings: Sequence[dict[str, Any]]) -> None:
    """Section I as the plan (or its latest version) names it: replaces what it named before."""
    plan.named_settings.all().delete()
    for setting in named_settings:
        named = NamedSetting(
            plan=plan,
            establishment=setting.get("establishment"),
            sen_setting=setting.get("sen_setting", ""),
            sen_setting_other=setting.get("sen_setting_other", ""),
            rank=setting.get("rank", 1),
            sen_unit=setting.get("sen_unit", False),
            resourced_provision=setting.get("resourced_provision", False),
        )
        save_new(named)
