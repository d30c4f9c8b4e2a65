"""Sensible defaults a council edits: four common panels, and example funding bands.

The band values are Devon's published 2023/24 figures (mainstream bands 1-3; the lowest and
highest special-school top-ups), effective from 1 April 2023 with no end date: a council adds
each year's uplift from its effective date, which ends the earlier period.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

PANELS = [
    {
        "slug": "needs-assessment",
        "name": "Needs assessment panel",
        "purpose": "Decides whether to carry out an EHC needs assessment, within 6 weeks of "
        "the request.",
        "decision_kinds": ["decision_to_assess"],
        "quorum_minimum": 3,
        "quorum_roles": ["educational_psychologist", "la_officer"],
        "cost_threshold": None,
    },
    {
        "slug": "provision-and-placement",
        "name": "Provision and placement panel",
        "purpose": "After the assessment: decides whether to issue an EHC plan, which setting "
        "and which funding band.",
        "decision_kinds": ["issue_decision", "placement"],
        "quorum_minimum": 3,
        "quorum_roles": ["educational_psychologist", "la_officer"],
        "cost_threshold": None,
    },
    {
        "slug": "high-cost-placement",
        "name": "High-cost placement panel",
        "purpose": "Decides placements costing more than its threshold a year (usually "
        "independent or non-maintained special schools), once local options are exhausted.",
        "decision_kinds": ["placement"],
        "quorum_minimum": 4,
        "quorum_roles": ["la_officer", "educational_psychologist", "health"],
        "cost_threshold": Decimal("25000.00"),
    },
    {
        "slug": "cease",
        "name": "Cease panel",
        "purpose": "Decides whether to cease to maintain an EHC plan.",
        "decision_kinds": ["cease"],
        "quorum_minimum": 3,
        "quorum_roles": ["la_officer"],
        "cost_threshold": None,
    },
]

FROM = dt.date(2023, 4, 1)
BANDS = [
    ("mainstream", "M1", "Mainstream band 1", Decimal("1600.00")),
    ("mainstream", "M2", "Mainstream band 2", Decimal("3100.00")),
    ("mainstream", "M3", "Mainstream band 3", Decimal("4500.00")),
    ("special", "S1", "Special school top-up, lower band", Decimal("11412.00")),
    ("special", "S2", "Special school top-up, upper band", Decimal("17556.00")),
]


def add_defaults(apps, schema_editor):
    PanelType = apps.get_model("panels", "PanelType")
    FundingBand = apps.get_model("panels", "FundingBand")
    for panel in PANELS:
        PanelType.objects.get_or_create(slug=panel["slug"], defaults=panel)
    for kind, code, name, value in BANDS:
        FundingBand.objects.get_or_create(
            kind=kind,
            code=code,
            effective_from=FROM,
            defaults={"name": name, "annual_value": value},
        )


def remove_defaults(apps, schema_editor):
    PanelType = apps.get_model("panels", "PanelType")
    FundingBand = apps.get_model("panels", "FundingBand")
    slugs = [p["slug"] for p in PANELS]
    PanelType.objects.filter(slug__in=slugs, meetings__isnull=True).delete()
    for kind, code, _name, _value in BANDS:
        FundingBand.objects.filter(
            kind=kind, code=code, effective_from=FROM, decisions__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("panels", "0001_panels_meetings_items_decisions_bands")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
