"""Demo high needs: place funding rates, commissioned places at the demo's special schools, and a
return for the current quarter (and the one before) with Cambridgeshire's eight safety-valve
conditions, its progress narrative of November 2023, and pressures and mitigations from the same
Schools Forum report. Made through reporting.services.high_needs by the demo manager, after the
casework seeders; idempotent (each part is made once).
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from cases.codes import EstablishmentKind as K
from cases.models import Establishment
from reporting.high_needs.periods import academic_year_of, return_period_of
from reporting.models import CommissionedPlaces, PlaceFunding, SafetyValveCondition
from reporting.selectors.high_needs import places_used, return_entries
from reporting.services.high_needs import (
    FigureInput,
    commissioned_places_set,
    condition_update_enter,
    high_needs_figures_enter,
    place_funding_set,
    pressure_enter,
    safety_valve_condition_add,
)

RATES_FROM = dt.date(2023, 4, 1)
RATES = (
    (K.SPECIAL, "10000", "Elements 1 and 2: place funding of a special school place"),
    (K.ALTERNATIVE_PROVISION, "10000", "Elements 1 and 2: place funding of an AP place"),
    (K.RESOURCED_PROVISION, "6000", "Element 2: pupils on the host school's roll"),
    (K.MAINSTREAM, "6000", "Element 2: the school meets the first £6,000"),
    (K.FURTHER_EDUCATION, "6000", "Element 2: post-16 place funding"),
)

# Cambridgeshire County Council's safety-valve conditions (Schools Forum, December 2023).
CONDITIONS = (
    "Improve decision making on awarding EHCPs.",
    "Review the Needs Assessment and Post-Assessment process to ensure appropriate and "
    "consistent provision is put into place.",
    "Develop a special school outreach model to facilitate supporting CYP with SEN in "
    "mainstream provision.",
    "Review current tuition packages to ensure appropriate and successful reintegration to "
    "mainstream school settings.",
    "Develop a model of investment in OAP to support schools in meeting need without an EHCP. "
    "This will include developing a system for funding which will provide consistent resources "
    "and support across a graduated approach to need including those pupils without an EHCP.",
    "Strengthen processes around mediation and dispute resolution in order to reduce the "
    "requirement for tribunals.",
    "Increase independence of CYP by targeting reviews to ensure provision is appropriate, "
    "meets needs and promotes independence.",
    "Continue offering free access to SEND District Team support to identify training needs, "
    "emerging themes and focus less on individualised support and more on upskilling staff "
    "knowledge and skills in all areas of SEND.",
)
# Their progress as reported in November 2023, with a demo RAG rating.
PROGRESS = (
    (
        "green",
        "Where needs assessment panel agree to decline an application, the school will be "
        "offered a 'SEND District Team assessment'. This will aim for CYP to get support "
        "sooner, improve parent confidence and support schools to meet need appropriately. "
        "Letter for parents and school redrafted to more clearly articulate decision making.",
        "Redrafted decision letters for parents and schools.",
    ),
    (
        "green",
        "Panel framework refreshed and relaunched in October creating a single panel for all "
        "finalisation and provision decision. Multiagency panel are deciding on appropriate "
        "placement and banding to ensure a consistent transparent approach to resources. "
        "Banding descriptors are being piloted. Work beginning on logistics of needs assessment "
        "to ensure advice writing and family conversation is coordinated.",
        "Provision and placement panel terms of reference, October.",
    ),
    (
        "amber",
        "Following initial outreach pilot 2022-23. Launch of revised model expected by Spring "
        "Term 2024. Now fully aligned with the provision and placement function to ensure "
        "outreach is focused on most impactful areas.",
        "",
    ),
    (
        "red",
        "Data review in relation to provision for open cases including AP and tuition packages "
        "is complete and all placements reviewed through provision and placement panel. High "
        "level of complexity assessed and majority of YP needs cannot be met in mainstream. "
        "Tuition packages will be maintained until specialist places available but fully "
        "tracked and monitored.",
        "Review of AP and tuition placements through the provision and placement panel.",
    ),
    (
        "amber",
        "Beginning to develop process for distribution of funding and QA. Cambridgeshire Local "
        "Inclusion Partnership funding pilot will begin in autumn 2023, using allocated budget. "
        "This will include 10 schools in Cambridge and 10 in Huntingdon with a plan to roll out "
        "wider in Spring 2024 following evaluation. Aligning to local inclusion strategy to "
        "ensure all investment in schools is impactful.",
        "",
    ),
    (
        "green",
        "Improvement action plan agreed and activity in progress. Commissioning reviewed "
        "performance of mediation contract to inform decision regarding any future procurement. "
        "Consultation letter/guidance to schools updated to advise how to respond to placement "
        "requests. SAT team restructured to provide dedicated team for mediation and tribunals.",
        "Mediation and tribunals improvement action plan.",
    ),
    (
        "amber",
        "Planning, prioritisation and mobilisation has commenced. Launch of revised 14-26 "
        "Additional Needs Team offer to support increasing independence by end of September "
        "2023. We have identified a number of EHCPs which are in a position to de-escalate.",
        "",
    ),
    (
        "green",
        "SEND District Team new service offer from Sept 2023. The new offer will upskill "
        "specialist school staff to support CYP with SEND. SEND service redesign is taking "
        "place will be in place by March 24.",
        "",
    ),
)
FIGURES_NOTE = "Demo figures on the scale of Cambridgeshire's December 2023 Schools Forum report."
FIGURES = {
    "hnb_allocation": "108000000",
    "block_transfers": "0",
    "other_spend": "14500000",
    "forecast_outturn": "114100000",
    "in_year_balance": "-6100000",
    "in_year_profile": "-2500000",
    "cumulative_balance": "-56100000",
    "cumulative_profile": "-50000000",
}
# The figures as first entered last quarter: the history shows them replaced.
EARLIER_FIGURES = {"forecast_outturn": "111600000", "in_year_balance": "-3600000"}
PRESSURES = (
    (
        "pressure",
        "Growth and demand",
        "2600000",
        "Open EHCPs above forecast; new requests up 20.5% on the year before.",
    ),
    (
        "pressure",
        "Placement inflation",
        "2400000",
        "Placements rising 5% to 8% a year against a 2.8% funding increase; pay award of at "
        "least 6.5%.",
    ),
    (
        "pressure",
        "Complexity",
        "900000",
        "Needs in tuition and AP cannot be met in mainstream; more primary permanent "
        "exclusions needing AP.",
    ),
    (
        "pressure",
        "Delay in new special schools",
        None,
        "A DfE-delivered special free school expected a year late: more AP for children "
        "without a place.",
    ),
    (
        "mitigation",
        "Time Limited Inclusion Grant pilot",
        "400000",
        "Investment in ordinarily available provision with 12 schools, meeting need without "
        "an EHCP.",
    ),
    (
        "mitigation",
        "Increasing independence reviews",
        "650000",
        "Reviews targeted to de-escalate plans where provision can step down.",
    ),
    (
        "mitigation",
        "Local specialist places",
        "1100000",
        "Enhanced resource bases and special school expansion in place of independent places.",
    ),
)


def _rates(actor: Any) -> int:
    if PlaceFunding.objects.exists():
        return 0
    for kind, value, note in RATES:
        place_funding_set(
            actor=actor,
            kind=kind,
            annual_value=Decimal(value),
            effective_from=RATES_FROM,
            note=note,
        )
    return len(RATES)


def _places(actor: Any, rng: random.Random, today: dt.date) -> int:
    """Places at the demo's special schools and units: around what is used, one full."""
    year = academic_year_of(today)
    if CommissionedPlaces.objects.filter(academic_year=year).exists():
        return 0
    rows = places_used(on=today).rows
    for n, row in enumerate(rows):
        spare = -1 if n == 0 else rng.randint(0, 6)
        commissioned_places_set(
            actor=actor,
            establishment=Establishment.objects.get(pk=row.establishment_id),
            academic_year=year,
            places=max(row.used + spare, 0),
        )
    return len(rows)


def _return(actor: Any, today: dt.date) -> str:
    if SafetyValveCondition.objects.exists():
        return "return already entered"
    period = return_period_of(today)
    earlier = period.previous()
    conditions = [
        safety_valve_condition_add(actor=actor, number=n, title=title)
        for n, title in enumerate(CONDITIONS, start=1)
    ]
    high_needs_figures_enter(
        actor=actor,
        period=earlier,
        figures={item: FigureInput(Decimal(v), FIGURES_NOTE) for item, v in FIGURES.items()}
        | {item: FigureInput(Decimal(v), FIGURES_NOTE) for item, v in EARLIER_FIGURES.items()},
    )
    # The same quarter's forecast revised: a new version; the first stays in the history.
    high_needs_figures_enter(
        actor=actor,
        period=earlier,
        figures={
            item: FigureInput(Decimal(FIGURES[item]), "Revised forecast after the DfE meeting.")
            for item in EARLIER_FIGURES
        },
    )
    high_needs_figures_enter(
        actor=actor,
        period=period,
        figures={item: FigureInput(Decimal(v), FIGURES_NOTE) for item, v in FIGURES.items()},
    )
    for condition, (rag, narrative, evidence) in zip(conditions, PROGRESS, strict=True):
        condition_update_enter(
            actor=actor,
            condition=condition,
            period=period,
            rag=rag,
            narrative=narrative,
            evidence=evidence,
        )
    for kind, title, amount, narrative in PRESSURES:
        pressure_enter(
            actor=actor,
            period=period,
            kind=kind,
            title=title,
            amount=None if amount is None else Decimal(amount),
            narrative=narrative,
        )
    entries = return_entries(period=period)
    return (
        f"{len(entries.conditions)} safety-valve conditions, {len(entries.figures)} figures, "
        f"{len(entries.pressures)} pressures and {len(entries.mitigations)} mitigations "
        f"for {period.key}"
    )


@transaction.atomic
def seed(*, rng: random.Random, users: dict[str, Any], children: int, stdout: TextIO) -> str:
    actor = users["manager"]
    today = timezone.localdate()
    rates = _rates(actor)
    places = _places(actor, rng, today)
    entered = _return(actor, today)
    return f"high needs: {rates} place funding rates, places at {places} settings; {entered}"
