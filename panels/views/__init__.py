"""Panel pages: thin views that read through selectors and act through services."""

from panels.views.items import (
    DecisionCreateView,
    DeclarationCreateView,
    ItemCreateView,
    ItemDetailView,
)
from panels.views.meetings import (
    MeetingAttendanceView,
    MeetingCloseView,
    MeetingCreateView,
    MeetingDetailView,
    MeetingListView,
    MeetingStartView,
    PapersPackView,
)
from panels.views.records import (
    BandListView,
    ConsistencyView,
    DecisionListView,
    FamilyLetterView,
    SettingLetterView,
)

__all__ = [
    "BandListView",
    "ConsistencyView",
    "DecisionCreateView",
    "DecisionListView",
    "DeclarationCreateView",
    "FamilyLetterView",
    "ItemCreateView",
    "ItemDetailView",
    "MeetingAttendanceView",
    "MeetingCloseView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingStartView",
    "PapersPackView",
    "SettingLetterView",
]
