"""Bounds on a search: a person types a name, a reference or a few words, never a page of text.

Each word is a condition in the query, so an unbounded search (1,000 words) is a query the
database should never be asked. Forms and API filters refuse a longer one with a message on the
field; `search_words` bounds what reaches a query whatever the caller did.
"""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 10
SEARCH_TOO_LONG = f"Search must be {SEARCH_MAX_LENGTH} characters or fewer"
SEARCH_TOO_MANY_WORDS = f"Search for {SEARCH_MAX_WORDS} words or fewer"
#: The largest id PostgreSQL's integer column holds.
ID_MAX = 2**31 - 1
ID_INVALID = "Enter an id as a whole number, like 12"


def validate_search(value: str) -> None:
    """Refuse a search longer than a person would type, with the field's message."""
    if len(value) > SEARCH_MAX_LENGTH:
        raise ValidationError(SEARCH_TOO_LONG, code="max_length")
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(SEARCH_TOO_MANY_WORDS, code="max_words")


def search_words(value: str) -> list[str]:
    """The words of a search, at most `SEARCH_MAX_WORDS` of at most `SEARCH_MAX_LENGTH`
    characters each: what a query may be built from."""
    return [word[:SEARCH_MAX_LENGTH] for word in value.split()[:SEARCH_MAX_WORDS]]


class SearchField(forms.CharField):
    """A search box: free text within the bounds above."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("validators", [validate_search])
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No maxlength: a pasted search is cut silently; the message says what to change.
        return {k: v for k, v in super().widget_attrs(widget).items() if k != "maxlength"}


class SearchFilter(django_filters.CharFilter):  # type: ignore[misc]  # django-filter ships no types
    """An API `q`: a 400 with the field's message past the bounds."""

    field_class = SearchField


class IdField(forms.IntegerField):
    default_error_messages = {
        "invalid": ID_INVALID,
        "min_value": ID_INVALID,
        "max_value": ID_INVALID,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]  # django-filter ships no types
    """An integer id in the API (a user's, say): `1e30` or `1.5` is a 400, not a server error."""

    field_class = IdField
