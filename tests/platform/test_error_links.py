"""Every error in the error summary links to the element that takes focus for it.

Each form class of the project that can be made from posted data alone is posted empty, every
field is given an error, and each link of the error summary must name an input, select or
textarea on the rendered form: a date's first box in error, a radio group's first radio.
"""

import contextlib
import importlib
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import get_resolver

from send_cms.common.forms import (
    GovukCheckboxSelectMultiple,
    GovukDateField,
    GovukForm,
    GovukRadioSelect,
)

pytestmark = pytest.mark.django_db

PROJECT = ("cases", "panels", "reviews", "tribunals", "reporting", "send_cms")
FOCUSABLE = {"input", "select", "textarea", "button"}


class _Elements(HTMLParser):
    """The tag of every element with an id, and the links of the error summary."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.tags[str(found["id"])] = tag
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.links.append(str(found["href"])[1:])


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class the project defines (forms modules and the views that define forms)."""
    get_resolver().url_patterns  # noqa: B018 - imports every view, and the forms they define
    for config in apps.get_app_configs():
        if config.name.startswith(PROJECT):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{config.name}.forms")
    return sorted(
        (
            cls
            for cls in _subclasses(forms.BaseForm)
            if cls.__module__.startswith(PROJECT)
            and not cls.__module__.endswith(".admin")
            and not cls.__name__.endswith("Mixin")
        ),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def _posted_empty(cls: type[forms.BaseForm]) -> forms.BaseForm | None:
    try:
        return cls(data={})
    except TypeError:  # needs more than posted data (the case, the meeting): made by its view
        return None
    except ValueError:  # an abstract base (a ModelForm with no model)
        return None


def test_every_error_link_names_the_element_that_takes_focus() -> None:
    checked, links = [], 0
    for cls in project_forms():
        form = _posted_empty(cls)
        if form is None or not form.fields:
            continue
        form.is_valid()
        for name, field in form.fields.items():
            if not field.widget.is_hidden and name not in form.errors:
                form.add_error(name, "An error")
        page = _Elements()
        page.feed(render_to_string("includes/_error_summary.html", {"form": form}) + str(form))
        assert page.links, cls
        empty_groups = {
            form[name].auto_id
            for name, field in form.fields.items()
            if isinstance(field.widget, forms.RadioSelect) and not list(field.widget.choices)
        }
        for target in page.links:
            expected = {"div"} if target in empty_groups else FOCUSABLE
            assert page.tags.get(target) in expected, (cls.__qualname__, target, page.tags)
        checked.append(cls)
        links += len(page.links)
    assert len(checked) >= 40, [c.__qualname__ for c in checked]
    assert links >= 150


class _Example(GovukForm):
    received_on = GovukDateField(label="Date received")
    channel = forms.ChoiceField(
        label="How it came", choices=[("email", "Email"), ("post", "Post")], widget=GovukRadioSelect
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds",
        choices=[("ep", "EP"), ("health", "Health")],
        widget=GovukCheckboxSelectMultiple,
    )
    name = forms.CharField(label="Name")


def _summary_links(form: forms.BaseForm) -> list[str]:
    page = _Elements()
    page.feed(render_to_string("includes/_error_summary.html", {"form": form}))
    return page.links


def _outlined(form: forms.BaseForm) -> list[str]:
    """The date boxes drawn in red."""
    html = str(form["received_on"])
    return [
        part
        for part in ("day", "month", "year")
        if re.search(rf'govuk-input--error" id="id_received_on_{part}"', html)
    ]


@pytest.mark.parametrize(
    ("day", "month", "year", "target", "outlined"),
    [
        ("", "", "", "id_received_on_day", ["day", "month", "year"]),
        ("8", "", "2025", "id_received_on_month", ["month"]),
        ("", "", "2025", "id_received_on_day", ["day", "month"]),
        ("8", "9", "25", "id_received_on_year", ["year"]),
        ("8", "nine", "2025", "id_received_on_month", ["month"]),
        ("30", "2", "2026", "id_received_on_day", ["day", "month", "year"]),
    ],
)
def test_a_date_error_links_to_its_first_box_in_error_and_outlines_those_boxes(
    day: str, month: str, year: str, target: str, outlined: list[str]
) -> None:
    form = _Example({"received_on_day": day, "received_on_month": month, "received_on_year": year})
    assert not form.is_valid()
    assert _summary_links(form)[0] == target
    assert f'id="{target}" name="{target.removeprefix("id_")}"' in str(form)
    assert _outlined(form) == outlined


def test_a_radio_or_checkbox_group_links_to_its_first_option_and_a_text_box_to_itself() -> None:
    form = _Example({"received_on_day": "1", "received_on_month": "2", "received_on_year": "2025"})
    assert not form.is_valid()
    assert _summary_links(form) == ["id_channel_0", "id_kinds_0", "id_name"]
    html = str(form)
    for target in ("id_channel_0", "id_kinds_0", "id_name"):
        assert f'id="{target}"' in html
