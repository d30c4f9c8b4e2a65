"""Pages of the reporting app (high needs): the census of plans by DSG category and age band with
their cost, committed spend, independent placements, places used against places commissioned;
each return period's entered figures, safety-valve conditions, pressures and mitigations, with
their history; and the council's place funding rates and commissioned places.

Managers (the finance lead) and administrators enter; caseworkers read (the census covers their
team's children, like every reporting figure); panel members are refused. Forms check shape and
reporting.services.high_needs has the last word.
"""

from reporting.views.high_needs.census import PLACEMENTS_VIEWED, high_needs_tabs
from reporting.views.high_needs.urls import urlpatterns

__all__ = ["PLACEMENTS_VIEWED", "high_needs_tabs", "urlpatterns"]
