"""Choosing a setting or a child by what a person knows of it: a name, a reference, a number.

Without JavaScript the field is a search step. The person types some of a setting's name (or its
URN, UKPRN or postcode), or a child's name, LA reference or UPN, and submits the form: one match
is taken; several come back as radio buttons under the box to choose from, with the rest of the
form kept; none is an error that says what to try. With JavaScript (static/js/search-select.js)
the box suggests matches as the person types, from the JSON search of the same selectors, and a
suggestion is text the field resolves exactly ("Oak Primary School (100001)").
"""

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.urls import reverse_lazy
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise

from cases.models import Child, Establishment
from cases.selectors import child_matching, establishment_search
from send_cms.audit.services import record

#: How many matches a search step offers; more asks for more of the name.
MATCH_LIMIT = 20
#: A chosen match travels as "id:<uuid>" (the radio buttons' value).
CHOSEN = "id:"
#: "Some Name (REFERENCE)": what a chosen match or a suggestion reads as in the box.
_TRAILING_REFERENCE = re.compile(r"\(([^()]+)\)\s*$")

SETTING_HINT = "Some of the setting's name, or its URN, UKPRN or postcode"
SETTING_REQUIRED = "Enter the setting's name, URN or UKPRN"
SETTING_NONE = (
    'No setting matches "{text}". Check the spelling, or enter its 6-digit URN or 8-digit UKPRN'
)
SETTING_CHOOSE = 'Choose the setting from the {count} that match "{text}"'
SETTING_TOO_MANY = (
    'More than {limit} settings match "{text}": choose one of these, or add more of its name'
)
CHILD_HINT = "Their name, LA reference or UPN"
CHILD_REQUIRED = "Enter the child's name, LA reference or UPN"
CHILD_NONE = (
    'No child or young person matches "{text}". Check the spelling, or try their LA reference '
    "or UPN"
)
CHILD_CHOOSE = 'Choose the child or young person from the {count} that match "{text}"'
CHILD_TOO_MANY = (
    'More than {limit} children match "{text}": choose one of these, or add more of their name'
)


def _is_uuid(text: str) -> bool:
    """A record's id, as a select posted it before (an API client or an old page may still)."""
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


class SearchSelectWidget(forms.TextInput):
    """A search box, and under it, after a search with several matches, the matches to choose
    from (radio buttons named `<name>_choice`)."""

    template_name = "cases/widgets/search_select.html"

    def __init__(self, *, source: str | Promise, noun: str, attrs: dict[str, Any] | None = None):
        super().__init__({"class": "govuk-input--width-30", "autocomplete": "off", **(attrs or {})})
        self.source = source
        self.noun = noun
        self.matches: list[tuple[str, str]] = []

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Keep the width class beside the GOV.UK class the bound field adds."""
        attrs = super().build_attrs(base_attrs, extra_attrs)
        own, added = base_attrs.get("class", ""), (extra_attrs or {}).get("class", "")
        if own and added and own not in added:
            attrs["class"] = f"{added} {own}"
        return attrs

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> Any:
        chosen = data.get(f"{name}_choice")
        return chosen if chosen else data.get(name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {"data-module": "search-select", "data-source": str(self.source)}
        )
        context["widget"]["matches"] = self.matches
        context["widget"]["noun"] = self.noun
        return context


class SearchSelectField(forms.Field):
    """One record, found by a search: subclasses say how to search and how a match reads."""

    widget: SearchSelectWidget
    model: type[Model]
    messages: Mapping[str, str]

    def __init__(self, *, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        self.queryset = queryset
        self.actor: Any = None
        kwargs.setdefault("error_messages", {"required": self.messages["required"]})
        super().__init__(**kwargs)

    # --- what subclasses say -------------------------------------------------------------------
    def scope(self) -> QuerySet[Any]:
        assert self.queryset is not None, "set the field's queryset (the records one may choose)"
        return self.queryset

    def exact(self, reference: str) -> Any:
        """The one record a reference names exactly, or None."""
        raise NotImplementedError

    def search(self, text: str) -> QuerySet[Any]:
        raise NotImplementedError

    def label_for(self, obj: Any) -> str:
        """How a record reads in the box: "Name (reference)"."""
        raise NotImplementedError

    def describe(self, obj: Any) -> str:
        """How a match reads in the list to choose from (more than its name)."""
        return self.label_for(obj)

    def listed(self, text: str, shown: list[Any]) -> None:
        """The matches are about to be shown (children's reads are audited)."""

    # --- the field -----------------------------------------------------------------------------
    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, self.model):
            return self.label_for(value)
        found = self._by_id(value) if value not in self.empty_values else None
        return self.label_for(found) if found is not None else value

    def _by_id(self, value: Any) -> Any:
        raw = str(value).removeprefix(CHOSEN)
        try:
            pk = uuid.UUID(raw)
        except ValueError:
            return None
        return self.scope().filter(pk=pk).first()

    def to_python(self, value: Any) -> Any:
        if isinstance(value, self.model):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        if text.startswith(CHOSEN) or _is_uuid(text):
            found = self._by_id(text)
            if found is None:
                raise ValidationError(self.messages["none"].format(text=text), code="not_found")
            return found
        trailing = _TRAILING_REFERENCE.search(text)
        for reference in ([trailing[1].strip()] if trailing else []) + [text]:
            found = self.exact(reference)
            if found is not None:
                return found
        matches = list(self.search(text)[: MATCH_LIMIT + 1])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(self.messages["none"].format(text=text), code="not_found")
        shown = matches[:MATCH_LIMIT]
        self.widget.matches = [(f"{CHOSEN}{obj.pk}", self.describe(obj)) for obj in shown]
        self.listed(text, shown)
        if len(matches) > MATCH_LIMIT:
            message = self.messages["too_many"].format(limit=MATCH_LIMIT, text=text)
        else:
            message = self.messages["choose"].format(count=len(matches), text=text)
        raise ValidationError(message, code="choose")


class EstablishmentField(SearchSelectField):
    """A setting from the register, by name, URN, UKPRN or postcode."""

    model = Establishment
    messages: Mapping[str, str] = {
        "required": SETTING_REQUIRED,
        "none": SETTING_NONE,
        "choose": SETTING_CHOOSE,
        "too_many": SETTING_TOO_MANY,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", SETTING_HINT)
        kwargs.setdefault(
            "widget",
            SearchSelectWidget(source=reverse_lazy("cases:establishment-search"), noun="settings"),
        )
        super().__init__(**kwargs)

    def scope(self) -> QuerySet[Establishment]:
        return self.queryset if self.queryset is not None else Establishment.objects.all()

    def exact(self, reference: str) -> Establishment | None:
        if not (reference.isdigit() and len(reference) in (6, 8)):
            return None
        return self.scope().filter(urn=reference).first() or (
            self.scope().filter(ukprn=reference).first()
        )

    def search(self, text: str) -> QuerySet[Establishment]:
        return establishment_search(q=text, among=self.scope())

    def label_for(self, obj: Establishment) -> str:
        reference = obj.urn or obj.ukprn
        return f"{obj.name} ({reference})" if reference else obj.name

    def describe(self, obj: Establishment) -> str:
        where = f", {obj.postcode}" if obj.postcode else ""
        closed = " (closed)" if not obj.is_open else ""
        return f"{self.label_for(obj)}{where}{closed}"


class ChildField(SearchSelectField):
    """A child or young person the user may see, by name, LA reference or UPN.

    The form sets `queryset` to the user's children (`cases.selectors.child_list`)."""

    model = Child
    messages: Mapping[str, str] = {
        "required": CHILD_REQUIRED,
        "none": CHILD_NONE,
        "choose": CHILD_CHOOSE,
        "too_many": CHILD_TOO_MANY,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", CHILD_HINT)
        kwargs.setdefault(
            "widget",
            SearchSelectWidget(
                source=reverse_lazy("cases:child-search"), noun="children and young people"
            ),
        )
        super().__init__(**kwargs)

    def exact(self, reference: str) -> Child | None:
        found = self.scope().filter(reference__iexact=reference).first()
        if found is None and len(reference) == 13:
            found = self.scope().filter(upn__iexact=reference).first()
        return found

    def search(self, text: str) -> QuerySet[Child]:
        return child_matching(self.scope(), text).order_by("last_name", "first_name", "reference")

    def label_for(self, obj: Child) -> str:
        return f"{obj.full_name} ({obj.reference})"

    def describe(self, obj: Child) -> str:
        return f"{self.label_for(obj)}, born {obj.date_of_birth:%-d %b %Y}"

    def listed(self, text: str, shown: list[Any]) -> None:
        record_child_matches(actor=self.actor, name="child search step", q=text, found=shown)


def record_child_matches(*, actor: Any, name: str, q: str, found: list[Child]) -> None:
    """A search that showed children: one audit row naming them (as lists and searches are)."""
    record(
        actor=actor,
        action="list.viewed",
        changes={
            "list": name,
            "query": {"q": q[:200]},
            "rows": len(found),
            "children": sorted(str(child.pk) for child in found),
        },
    )


def set_scope(form: forms.Form, name: str, queryset: QuerySet[Any], *, actor: Any = None) -> None:
    """Give a search field the records this user may choose from (and who is searching, for
    the audit trail when children are listed)."""
    field = form.fields[name]
    assert isinstance(field, SearchSelectField)
    field.queryset = queryset
    field.actor = actor
