"""The scorecard's metrics, one `Metric` per id of reporting.md section 2.

A metric is data: its words (the title and the definition printed in the scorecard's annex),
its unit, polarity and kind, what its numerator and denominator count, and the `Measure` that
computes it. Changing what a metric counts is a new `version`, so a published figure keeps the
definition it was computed under.
"""

from collections.abc import Mapping
from types import MappingProxyType

from reporting.metrics import casework as cw
from reporting.metrics import reviews_tribunals as rt
from reporting.metrics.definition import Kind, Metric, Polarity, Section, Unit
from reporting.metrics.engine import Combination, Part

__all__ = ["BY_ID", "METRICS", "Kind", "Metric", "Polarity", "Section", "Unit", "get_metric"]


H, L, N = Polarity.HIGHER_BETTER, Polarity.LOWER_BETTER, Polarity.NEUTRAL
FLOW, STOCK = Kind.FLOW, Kind.STOCK

METRICS: tuple[Metric, ...] = (
    # Demand and the front door
    Metric(
        id="requests_received",
        title="Requests for assessment received",
        definition="Requests for an EHC needs assessment whose legal received date is in the "
        "period.",
        unit=Unit.COUNT,
        polarity=N,
        kind=FLOW,
        section=Section.DEMAND,
        numerator="requests received in the period",
        denominator="",
        measure=cw.requests_received,
    ),
    Metric(
        id="requests_parent_pct",
        title="Requests made by parents or young people",
        definition="Of the requests received in the period, the percentage made by a parent or "
        "the young person.",
        unit=Unit.PERCENT,
        polarity=N,
        kind=FLOW,
        section=Section.DEMAND,
        numerator="requests received in the period from a parent or young person",
        denominator="requests received in the period",
        measure=cw.requests_from_parents,
    ),
    Metric(
        id="decision_6wk_pct",
        title="Decisions to assess made within 6 weeks",
        definition="Of the decisions whether to assess made in the period, the percentage made "
        "within 6 weeks (42 days) of the request being received (regulation 4(1)).",
        unit=Unit.PERCENT,
        polarity=H,
        kind=FLOW,
        section=Section.DEMAND,
        numerator="decisions made at most 42 days after the request was received",
        denominator="decisions whether to assess made in the period",
        measure=cw.decisions_within_6_weeks,
    ),
    Metric(
        id="refusal_rate_pct",
        title="Refusals to assess",
        definition="Of the decisions whether to assess made in the period, the percentage that "
        "were decisions not to assess.",
        unit=Unit.PERCENT,
        polarity=N,
        kind=FLOW,
        section=Section.DEMAND,
        numerator="decisions not to assess made in the period",
        denominator="decisions whether to assess made in the period",
        measure=cw.refusals,
    ),
    Metric(
        id="conversion_pct",
        title="Requests that became a plan",
        definition="Of the requests received in the period (the cohort) that have had a decision "
        "whether to assess, the percentage for which a final EHC plan has been issued.",
        unit=Unit.PERCENT,
        polarity=N,
        kind=FLOW,
        section=Section.DEMAND,
        numerator="requests in the cohort with a final plan issued",
        denominator="requests received in the period with a decision whether to assess",
        measure=cw.conversion,
    ),
    # Assessment timeliness
    Metric(
        id="final_20wk_inc_exc_pct",
        title="Final plans issued within 20 weeks (including exceptions)",
        definition="Of the final EHC plans issued in the period, the percentage issued within 20 "
        "weeks (140 days) of the request being received, every plan counted (regulation 13(2)).",
        unit=Unit.PERCENT,
        polarity=H,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="final plans issued at most 140 days after the request was received",
        denominator="final plans issued in the period",
        measure=cw.final_within_20_weeks,
    ),
    Metric(
        id="final_20wk_exc_exc_pct",
        title="Final plans issued within 20 weeks (excluding exceptions)",
        definition="As the 20-week figure including exceptions, with the plans where a permitted "
        "exception to the 20-week limit was recorded removed from both numerator and "
        "denominator (the Department for Education's headline measure).",
        unit=Unit.PERCENT,
        polarity=H,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="final plans without an exception issued at most 140 days after the request",
        denominator="final plans issued in the period without a recorded exception",
        measure=cw.final_within_20_weeks_excluding_exceptions,
        variant_of="final_20wk_inc_exc_pct",
    ),
    Metric(
        id="final_issue_avg_weeks",
        title="Average weeks from request to final plan",
        definition="For the final EHC plans issued in the period, the mean number of weeks from "
        "the request being received to the final plan being issued.",
        unit=Unit.WEEKS,
        polarity=L,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="total weeks from request to final plan",
        denominator="final plans issued in the period",
        measure=cw.final_issue_weeks,
    ),
    Metric(
        id="final_over_20wk_to_52wk",
        title="Final plans issued after 20 and up to 52 weeks",
        definition="Final EHC plans issued in the period more than 140 and at most 364 days "
        "after the request was received.",
        unit=Unit.COUNT,
        polarity=L,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="final plans issued after 20 weeks and up to 52 weeks",
        denominator="",
        measure=cw.final_over_20_to_52_weeks,
    ),
    Metric(
        id="final_over_52wk",
        title="Final plans issued after more than 52 weeks",
        definition="Final EHC plans issued in the period more than 364 days after the request was "
        "received.",
        unit=Unit.COUNT,
        polarity=L,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="final plans issued after more than 52 weeks",
        denominator="",
        measure=cw.final_over_52_weeks,
    ),
    Metric(
        id="not_to_issue_16wk_pct",
        title="Decisions not to issue made within 16 weeks",
        definition="Of the decisions not to issue a plan made in the period, the percentage made "
        "within 16 weeks (112 days) of the request being received (regulation 10(1)).",
        unit=Unit.PERCENT,
        polarity=H,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="decisions not to issue made at most 112 days after the request",
        denominator="decisions not to issue made in the period",
        measure=cw.not_to_issue_within_16_weeks,
    ),
    Metric(
        id="waiting_over_30wk",
        title="Requests waiting more than 30 weeks",
        definition="At the end of the period, requests still open (no decision not to assess, not "
        "withdrawn or transferred, no final plan, no decision not to issue) that were received "
        "more than 30 weeks (210 days) earlier.",
        unit=Unit.COUNT,
        polarity=L,
        kind=STOCK,
        section=Section.TIMELINESS,
        numerator="open requests received more than 210 days before the period's end",
        denominator="",
        measure=cw.waiting_over_30_weeks,
    ),
    Metric(
        id="ep_advice_6wk_pct",
        title="Educational psychology advice within 6 weeks",
        definition="Of the educational psychology advice received in the period, the percentage "
        "received within 6 weeks (42 days) of the request for advice (regulation 8(1)).",
        unit=Unit.PERCENT,
        polarity=H,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="advice received at most 42 days after it was requested",
        denominator="educational psychology advice received in the period",
        measure=cw.ep_advice,
    ),
    Metric(
        id="health_advice_6wk_pct",
        title="Health advice within 6 weeks",
        definition="Of the health advice received in the period, the percentage received within "
        "6 weeks (42 days) of the request for advice (regulation 8(1)).",
        unit=Unit.PERCENT,
        polarity=H,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="advice received at most 42 days after it was requested",
        denominator="health advice received in the period",
        measure=cw.health_advice,
    ),
    Metric(
        id="social_care_advice_6wk_pct",
        title="Social care advice within 6 weeks",
        definition="Of the social care advice received in the period, the percentage received "
        "within 6 weeks (42 days) of the request for advice (regulation 8(1)).",
        unit=Unit.PERCENT,
        polarity=H,
        kind=FLOW,
        section=Section.TIMELINESS,
        numerator="advice received at most 42 days after it was requested",
        denominator="social care advice received in the period",
        measure=cw.social_care_advice,
    ),
    Metric(
        id="assessments_overdue",
        title="Assessments past 20 weeks",
        definition="At the end of the period, open assessments (decided to assess, no final plan "
        "or decision not to issue, not withdrawn or transferred) whose 20-week due date "
        "(140 days after the request was received) had passed.",
        unit=Unit.COUNT,
        polarity=L,
        kind=STOCK,
        section=Section.TIMELINESS,
        numerator="open assessments more than 140 days after the request",
        denominator="",
        measure=cw.assessments_overdue,
    ),
    # Caseload
    Metric(
        id="open_plans",
        title="EHC plans in force",
        definition="At the end of the period, EHC plans issued in final on or before that day and "
        "not ceased on or before it.",
        unit=Unit.COUNT,
        polarity=N,
        kind=STOCK,
        section=Section.CASELOAD,
        numerator="plans in force at the period's end",
        denominator="",
        measure=cw.plans_in_force,
    ),
    Metric(
        id="new_plans",
        title="New EHC plans",
        definition="First final EHC plans issued by this council in the period (plans transferred "
        "in from another council are not new plans).",
        unit=Unit.COUNT,
        polarity=N,
        kind=FLOW,
        section=Section.CASELOAD,
        numerator="first final plans issued in the period",
        denominator="",
        measure=cw.new_plans,
    ),
    Metric(
        id="ceased_plans",
        title="EHC plans ceased",
        definition="EHC plans that ceased in the period (by the date the plan ended), by SEN2 "
        "cease reason.",
        unit=Unit.COUNT,
        polarity=N,
        kind=FLOW,
        section=Section.CASELOAD,
        numerator="plans ceased in the period",
        denominator="",
        measure=cw.ceased_plans,
    ),
    Metric(
        id="net_flow",
        title="Net change in plans",
        definition="New plans plus plans transferred in, less plans ceased and plans transferred "
        "out (ceased because the young person moved to another council in England), in the "
        "period.",
        unit=Unit.COUNT,
        polarity=N,
        kind=FLOW,
        section=Section.CASELOAD,
        numerator="new + transferred in - ceased - transferred out",
        denominator="",
        measure=Combination(
            numerator=(
                Part("New plan", cw.new_plans),
                Part("Transferred in", cw.plans_transferred_in),
                Part("Ceased", cw.plans_ceased_not_moving, -1),
                Part("Transferred out", cw.plans_transferred_out, -1),
            )
        ),
    ),
    Metric(
        id="awaiting_placement",
        title="Plans awaiting a placement",
        definition="At the end of the period, plans in force with no placement in force on a "
        "school's or provider's roll: awaiting placement, none recorded, or not in education.",
        unit=Unit.COUNT,
        polarity=L,
        kind=STOCK,
        section=Section.CASELOAD,
        numerator="plans in force without a placement on a roll",
        denominator="",
        measure=cw.awaiting_placement,
    ),
    *rt.METRICS,
)

BY_ID: Mapping[str, Metric] = MappingProxyType({m.id: m for m in METRICS})
if len(BY_ID) != len(METRICS):  # pragma: no cover - a duplicated id is a programming error
    raise ValueError("metric ids must be unique")


class UnknownMetric(KeyError):
    pass


def get_metric(metric_id: str) -> Metric:
    try:
        return BY_ID[metric_id]
    except KeyError:
        raise UnknownMetric(metric_id) from None
