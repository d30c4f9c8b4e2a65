"""Saved trajectory scenarios: a manager names a scenario they ran, with the trajectory the
council agreed, and may delete it later. Both are audited.

What is saved is the run's inputs (every parameter as run and the fitted "do nothing" parameters
it was compared with), never its figures: a saved scenario is rerun from them, against the
actuals as they come in.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reporting.models import Scenario
from reporting.periods import Period
from reporting.trajectory import MAX_YEARS
from send_cms.audit.services import record

NAME_REQUIRED = "Enter a name for the scenario"
NAME_TOO_LONG = "The name must be 120 characters or fewer"
NAME_TAKEN = "There is already a scenario called {name}: choose another name"
NOTE_TOO_LONG = "The note must be 2,000 characters or fewer"
YEARS_RANGE = f"Enter a number of years from 1 to {MAX_YEARS}"
TRAJECTORY_TOO_LONG = "Enter at most {years} figures: one for the end of each year"
TRAJECTORY_NEGATIVE = "Each figure of the agreed trajectory must be 0 or more"
SAVED = "report.trajectory.save"
DELETED = "report.trajectory.delete"


@transaction.atomic
def scenario_save(
    *,
    actor: Any,
    name: str,
    start: Period,
    years: int,
    parameters: Mapping[str, Any],
    defaults: Mapping[str, Any],
    agreed_trajectory: Sequence[int] = (),
    note: str = "",
) -> Scenario:
    """Save a scenario under a new name (names are unique, whatever their case)."""
    name, note = name.strip(), note.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [NAME_REQUIRED]
    elif len(name) > 120:
        errors["name"] = [NAME_TOO_LONG]
    elif Scenario.objects.filter(name__iexact=name).exists():
        errors["name"] = [NAME_TAKEN.format(name=name)]
    if len(note) > 2000:
        errors["note"] = [NOTE_TOO_LONG]
    if not 1 <= years <= MAX_YEARS:
        errors["years"] = [YEARS_RANGE]
    agreed = [int(n) for n in agreed_trajectory]
    if len(agreed) > years:
        errors["agreed_trajectory"] = [TRAJECTORY_TOO_LONG.format(years=years)]
    elif any(n < 0 for n in agreed):
        errors["agreed_trajectory"] = [TRAJECTORY_NEGATIVE]
    if errors:
        raise ValidationError(errors)
    scenario = Scenario(
        name=name,
        start=start.key,
        years=years,
        parameters=dict(parameters),
        defaults=dict(defaults),
        agreed_trajectory=agreed,
        note=note,
        created_by=actor,
    )
    scenario.full_clean(exclude=["name"])
    try:
        with transaction.atomic():
            scenario.save(force_insert=True)
    except IntegrityError:  # saved under the same name a moment ago
        raise ValidationError({"name": [NAME_TAKEN.format(name=name)]}) from None
    record(
        actor=actor,
        action=SAVED,
        obj=scenario,
        changes={
            "name": name,
            "start": start.key,
            "years": years,
            "parameters": dict(parameters),
            "agreed_trajectory": agreed,
        },
    )
    return scenario


@transaction.atomic
def scenario_delete(*, actor: Any, scenario: Scenario) -> None:
    """Delete a saved scenario; the audit event keeps what it was."""
    record(
        actor=actor,
        action=DELETED,
        obj=scenario,
        changes={
            "name": scenario.name,
            "start": scenario.start,
            "years": scenario.years,
            "parameters": scenario.parameters,
            "agreed_trajectory": scenario.agreed_trajectory,
        },
    )
    scenario.delete()
