"""The SEN2 validation rules as data, each with a set-based check of the records that fail it.

This package is the one registry (`RULES`, `BY_ID`): what every rule shares is in `base`, and each
group of rules (header, person, request, assessment, plan, active plan) has its own module.

Rule ids are ours (the domain notes' "Validation" list; the DfE's own numbers are not published
to us, so `dfe_rule` waits for them). Each check is a queryset of the failing records, computed in
the database from the casework tables as they are now, so the data-quality page always shows the
latest change. The return a year's checks look at:

- plans in force on the census day, and plans ceased in the calendar year before it;
- requests received by the census day that were open on it, had a step (received, decided,
  decided whether to issue, final plan, withdrawn, transferred out) in that calendar year, or led
  to a plan in the return. A request whose final plan came before the year is historical (H):
  exempt from the rules the return waives for H;
- every child with one of those; and the placements of plans in force on the census day that
  were open at some time from the start of the year to the census day.

The plans, requests and children are the export's own definitions (reporting.sen2.selectors), and
the code lists and which items are mandatory come from the year's layout (send_cms.sen2), so what
passes here is what the file holds. The settings, placements and reviews of those plans are read
through `in_force_on` and `plan_in_return` with a path, which say the same as the export's.

Several rules are also database constraints of the casework tables (`guaranteed_by`): their
checks stay, so a row written around the constraints (a restore, an import) is still caught.
"""

from reporting.sen2.validation_rules import (
    active_plans,
    assessments,
    header,
    person,
    plans,
    requests,
)
from reporting.sen2.validation_rules.base import (
    FIRST_PERSON_LEVEL_YEAR,
    Rule,
    current_year,
    sen2_year,
)

RULES: tuple[Rule, ...] = (
    *header.RULES,
    *person.RULES,
    *requests.RULES,
    *assessments.RULES,
    *plans.RULES,
    *active_plans.RULES,
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

__all__ = ["BY_ID", "FIRST_PERSON_LEVEL_YEAR", "RULES", "Rule", "current_year", "sen2_year"]
