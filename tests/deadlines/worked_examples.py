"""The worked examples of the timescales table, section 4: (rule, start, params, due)."""

import datetime as dt

D = dt.date

WORKED_EXAMPLES: list[tuple[str, dt.date, dict[str, dt.date], dt.date]] = [
    ("decision_to_assess", D(2025, 9, 8), {}, D(2025, 10, 20)),
    ("decision_not_to_issue", D(2025, 9, 8), {}, D(2025, 12, 29)),
    ("final_plan", D(2025, 9, 8), {}, D(2026, 1, 26)),
    ("decision_to_assess", D(2025, 11, 21), {}, D(2026, 1, 2)),
    ("draft_representations", D(2025, 9, 1), {}, D(2025, 9, 15)),
    ("annual_review", D(2025, 3, 10), {}, D(2026, 3, 9)),
    ("review_notice", D(2026, 1, 29), {}, D(2026, 1, 15)),
    ("review_report", D(2026, 1, 29), {}, D(2026, 2, 12)),
    ("review_decision", D(2026, 1, 29), {}, D(2026, 2, 26)),
    ("review_longstop", D(2026, 1, 29), {}, D(2026, 4, 23)),
    ("review_representations", D(2026, 2, 23), {}, D(2026, 3, 9)),
    ("review_final_amended_plan", D(2026, 2, 23), {}, D(2026, 4, 20)),
    ("annual_review", D(2026, 2, 23), {}, D(2027, 2, 22)),
    ("annual_review", D(2028, 2, 29), {}, D(2029, 2, 28)),
    ("phase_transfer_school", D(2026, 9, 1), {}, D(2026, 2, 14)),
    ("phase_transfer_post16", D(2026, 9, 1), {}, D(2026, 3, 30)),
    ("phase_transfer_post16_other", D(2027, 7, 31), {}, D(2027, 2, 28)),
    ("order_name_school", D(2025, 12, 10), {}, D(2025, 12, 24)),
    ("order_assess_notify", D(2025, 12, 10), {}, D(2025, 12, 24)),
    ("order_make_plan_draft", D(2025, 12, 10), {}, D(2026, 1, 14)),
    ("order_amend", D(2025, 12, 10), {}, D(2026, 1, 14)),
    ("order_assess_no_plan", D(2025, 12, 10), {}, D(2026, 2, 18)),
    ("order_make_plan_final", D(2025, 12, 10), {}, D(2026, 2, 25)),
    ("order_assess_final", D(2025, 12, 10), {}, D(2026, 3, 18)),
    ("order_continue", D(2025, 12, 10), {}, D(2025, 12, 10)),
    ("mediation_certificate", D(2025, 12, 23), {}, D(2025, 12, 30)),
    ("mediation_certificate", D(2025, 12, 31), {}, D(2026, 1, 6)),
    ("tribunal_response", D(2025, 12, 1), {}, D(2026, 1, 20)),
    ("appeal_deadline", D(2025, 10, 27), {"certificate": D(2025, 12, 4)}, D(2026, 1, 5)),
    ("appeal_deadline", D(2026, 6, 10), {}, D(2026, 9, 1)),
]
