"""High needs: the DSG management plan's census of EHC plans by placement category, age band and
need with their cost, and what finance enters each return period (allocation, balances, the
safety-valve conditions, pressures and mitigations).

Costs follow reporting.md section 6: a placement's annual cost is the place funding for its kind
of setting plus its top-up (the funding band's value, or an individual fee with a reason),
pro-rated by days (`costs`). Return periods are financial-year quarters (`periods`).
"""
