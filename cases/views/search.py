"""The JSON behind the search boxes' suggestions (static/js/search-select.js): settings by name,
URN, UKPRN or postcode, and the children the user may see by name, LA reference or UPN.

Each suggestion's `value` is the text the form field resolves exactly ("Name (reference)"), so a
chosen suggestion is submitted like typed text; without JavaScript these are never called.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views import View

from cases import selectors
from cases.fields import ChildField, EstablishmentField, record_child_matches
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import ALL_ROLES, CASEWORK_READ
from send_cms.common.search import SEARCH_MAX_LENGTH

#: Suggestions offered at once; the field's search step offers more.
SUGGESTIONS = 10
#: Fewer letters than this suggest nothing (too many matches to be useful).
MIN_LENGTH = 2


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "")[:SEARCH_MAX_LENGTH].split())


class EstablishmentSearchView(RoleRequiredMixin, View):
    """The register of settings is not personal data: every role may search it (panels name
    settings too)."""

    allowed_roles = ALL_ROLES

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        text = _query(request)
        field = EstablishmentField()
        found = (
            list(selectors.establishment_search(q=text)[:SUGGESTIONS])
            if len(text) >= MIN_LENGTH
            else []
        )
        return JsonResponse(
            {"results": [{"value": field.label_for(e), "label": field.describe(e)} for e in found]}
        )


class ChildSearchView(RoleRequiredMixin, View):
    """Children the user may see; the read is in the audit trail like any search of children."""

    allowed_roles = CASEWORK_READ

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        text = _query(request)
        field = ChildField(queryset=selectors.child_list(user=request.user))
        found = list(field.search(text)[:SUGGESTIONS]) if len(text) >= MIN_LENGTH else []
        if found:
            record_child_matches(actor=request.user, name="cases:child-search", q=text, found=found)
        return JsonResponse(
            {"results": [{"value": field.label_for(c), "label": field.describe(c)} for c in found]}
        )
