"""Data a caseworker types is checked where it is typed: no silent default for a required choice,
UK postcodes, UPN check letters, dates of birth, the LA reference, and the signed-for date of a
posted request, each refused with the GOV.UK message on its field."""

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases import messages as msg
from cases import services
from cases.models import Child, Plan
from cases.validators import (
    POSTCODE_FORMAT,
    REFERENCE_FORMAT,
    UPN_CHECK_LETTER,
    normalise_postcode,
    postcode_error,
)
from send_cms.accounts.models import User
from tests.factories import AssessmentRequestFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _errors(response: Any) -> dict[str, list[str]]:
    """Each field's error messages as the page shows them, keyed by the field's id."""
    assert response.status_code == 200
    found: dict[str, list[str]] = {}
    for field, text in re.findall(
        r'<p id="id_(\w+)-error" class="govuk-error-message">(.*?)</p>',
        response.content.decode(),
        re.S,
    ):
        found[field] = [
            html.unescape(re.sub(r"<[^>]+>|Error:", "", part)).strip()
            for part in text.split("<br>")
        ]
    return found


def _day(name: str, value: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


# --- 2: a required choice starts blank ------------------------------------------------------------
def test_skipping_the_primary_need_is_refused_not_saved_as_the_first_need(
    caseworker_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(draft_issued=True, child__caseworker=caseworker)
    url = reverse("cases:request-final-plan", args=[request.pk])
    form = caseworker_client.get(url).content.decode()
    select = form.split('name="primary_need"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"', select)[0] == ""
    assert re.findall(r'<option value="([^"]*)" selected', select) in ([], [""])
    response = caseworker_client.post(url, _day("issued_on", dt.date(2026, 1, 12)))
    assert _errors(response)["primary_need"] == ["Choose the primary need"]
    assert not Plan.objects.exists()


def test_no_form_preselects_a_choice_the_caseworker_must_make(
    caseworker_client: Client, caseworker: User
) -> None:
    child = ChildFactory.create(caseworker=caseworker)
    contact = caseworker_client.get(reverse("cases:contact-create", args=[child.pk]))
    assert "checked" not in contact.content.decode().split('name="preferred_contact"', 1)[1]
    refused = caseworker_client.post(
        reverse("cases:contact-create", args=[child.pk]),
        {"name": "Ruth Okoro", "relationship": "Mother"},
    )
    assert _errors(refused)["preferred_contact"] == ["Select preferred way to be contacted"]
    edit = caseworker_client.get(reverse("cases:child-edit", args=[child.pk])).content.decode()
    ethnicity = edit.split('name="ethnicity"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"', ethnicity)[0] == ""


# --- 4: postcodes, UPNs, dates of birth, references, signed-for dates ----------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" M1  1AE ", "M1 1AE"),
        ("b33 8th", "B33 8TH"),
        ("cr2 6xh", "CR2 6XH"),
    ],
)
def test_a_uk_postcode_is_stored_in_its_usual_form(typed: str, stored: str) -> None:
    assert postcode_error(typed) is None
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "SW1A", "SW1A 1A", "ABC 123", "SW1A 1AAA", "1AA AA1"])
def test_anything_else_is_not_a_postcode(typed: str) -> None:
    assert postcode_error(typed) == POSTCODE_FORMAT


def test_the_services_refuse_a_bad_postcode_a_date_of_birth_before_1900_and_a_bad_reference(
    caseworker: User,
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.child_create(
            actor=caseworker,
            first_name="Ava",
            last_name="Okoro",
            date_of_birth=dt.date(1899, 12, 31),
            sex="F",
            upn_unknown="UN5",
            postcode="not a postcode",
            reference='999-2026-1"\n',
        )
    assert caught.value.message_dict == {
        "date_of_birth": [msg.DATE_OF_BIRTH_TOO_EARLY],
        "postcode": [POSTCODE_FORMAT],
        "reference": [REFERENCE_FORMAT],
    }
    child = ChildFactory.create()
    with pytest.raises(ValidationError) as changed:
        services.child_update(actor=caseworker, child=child, reference="A/1 2", postcode="X")
    assert changed.value.message_dict == {
        "postcode": [POSTCODE_FORMAT],
        "reference": [REFERENCE_FORMAT],
    }
    services.child_update(actor=caseworker, child=child, reference="NB/2026.17", postcode="n11aa")
    child.refresh_from_db()
    assert (child.reference, child.postcode) == ("NB/2026.17", "N1 1AA")


def test_the_api_refuses_a_reference_that_would_break_a_file_name(
    caseworker_api: APIClient,
) -> None:
    response = caseworker_api.post(
        "/api/v1/children/",
        {
            "first_name": "Ava",
            "last_name": "Okoro",
            "date_of_birth": "2015-03-01",
            "sex": "F",
            "upn_unknown": "UN5",
            "reference": 'AB"12',
        },
    )
    assert response.status_code == 400
    assert response.json() == {"reference": [REFERENCE_FORMAT]}
    assert not Child.objects.exists()


def test_the_request_page_checks_the_postcode_and_the_upn_with_the_other_fields(
    caseworker_client: Client,
) -> None:
    response = caseworker_client.post(
        reverse("cases:request-create"),
        {
            "first_name": "Ava",
            "last_name": "Okoro",
            **_day("date_of_birth", dt.date(2015, 3, 1)),
            "sex": "F",
            "postcode": "AB1",
            "upn": "A801200001001",  # the check letter for these digits is H
        },
    )
    errors = _errors(response)
    assert errors["postcode"] == [POSTCODE_FORMAT]
    assert errors["upn"] == [UPN_CHECK_LETTER]
    assert "received_date" in errors  # checked at the same time, not one after the other
    assert not Child.objects.exists()


def test_a_signed_for_date_before_the_request_was_posted_is_refused_on_its_field(
    caseworker_client: Client, caseworker: User
) -> None:
    child = ChildFactory.create(caseworker=caseworker)
    page = caseworker_client.get(reverse("cases:request-create") + f"?child={child.pk}")
    assert "For a request sent by post, the date it was posted" in page.content.decode()
    body = {
        **_day("received_date", dt.date(2025, 9, 8)),
        "received_time": "9:30am",
        "channel": "post",
        "source": "parent_or_young_person",
    }
    url = reverse("cases:request-create") + f"?child={child.pk}"
    refused = caseworker_client.post(url, {**body, **_day("signed_for_on", dt.date(2025, 9, 5))})
    assert _errors(refused)["signed_for_on"] == [msg.SIGNED_FOR_BEFORE_POSTING]
    # Posted on the 8th and signed for on the 10th: it counts from the day it was signed for.
    accepted = caseworker_client.post(url, {**body, **_day("signed_for_on", dt.date(2025, 9, 10))})
    assert accepted.status_code == 302
    assert child.requests.get().received_on == dt.date(2025, 9, 10)
