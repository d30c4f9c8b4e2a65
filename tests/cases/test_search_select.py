"""A setting found by its name and a child by name, reference or UPN wherever one is chosen
(issue 13, item 8): a search step without JavaScript, suggestions with it."""

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases.fields import (
    CHILD_CHOOSE,
    MATCH_LIMIT,
    SETTING_CHOOSE,
    SETTING_NONE,
    SETTING_TOO_MANY,
)
from cases.models import AssessmentRequest, Child, Establishment
from cases.selectors import establishment_search
from panels.models import ItemKind, MeetingStatus
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.factories import AssessmentRequestFactory, ChildFactory, EstablishmentFactory
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def settings_register() -> dict[str, Establishment]:
    return {
        "oak_primary": EstablishmentFactory.create(
            urn="100001", name="Oak Primary School", postcode="AB1 2CD"
        ),
        "oak_academy": EstablishmentFactory.create(
            urn="100002", name="Oak Hill Academy", postcode="AB3 4EF"
        ),
        "old_oak": EstablishmentFactory.create(
            urn="100003", name="Old Oak Infants", postcode="ZZ9 9ZZ", is_open=False
        ),
        "brook": EstablishmentFactory.create(
            urn="100004", ukprn="10012345", name="Brook Special School", kind="special"
        ),
    }


@pytest.fixture
def issuing(caseworker: User) -> AssessmentRequest:
    return AssessmentRequestFactory.create(issuing=True, child__caseworker=caseworker)


def day(name: str, value: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def summary(response: Any) -> list[str]:
    assert response.status_code == 200
    body = response.content.decode().split('govuk-error-summary__list">', 1)[1]
    items = re.findall(r"<li>(.*?)</li>", body.split("</ul>", 1)[0], re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def choices(response: Any, name: str) -> list[tuple[str, str]]:
    """The matches offered to choose from: (value, label) of each radio button."""
    page = response.content.decode()
    found = re.findall(
        rf'name="{name}_choice" id="([^"]+)" value="([^"]+)">\s*'
        r'<label class="govuk-label govuk-radios__label" for="\1">([^<]+)</label>',
        page,
    )
    return [(value, html.unescape(label)) for _, value, label in found]


# --- the selector ------------------------------------------------------------------------------
def test_settings_are_found_by_name_urn_ukprn_or_postcode_open_ones_first(
    settings_register: dict[str, Establishment],
) -> None:
    def names(q: str) -> list[str]:
        return [e.name for e in establishment_search(q=q)]

    assert names("oak") == ["Oak Hill Academy", "Oak Primary School", "Old Oak Infants"]
    assert names("oak primary") == ["Oak Primary School"]
    assert names("AB3") == ["Oak Hill Academy"]
    assert names("100004") == ["Brook Special School"]
    assert names("10012345") == ["Brook Special School"]
    assert names("   ") == []


# --- the search step, without JavaScript --------------------------------------------------------
def test_a_setting_named_in_full_enough_is_taken_at_once(
    caseworker_client: Client, issuing: AssessmentRequest, settings_register: dict[str, Any]
) -> None:
    response = caseworker_client.post(
        reverse("cases:request-consultation", args=[issuing.pk]),
        {"establishment": "brook special", **day("sent_on", dt.date(2025, 12, 10))},
    )

    assert response.status_code == 302
    assert issuing.consultations.get().establishment == settings_register["brook"]


def test_several_matches_are_offered_to_choose_from_and_the_form_is_kept(
    caseworker_client: Client, issuing: AssessmentRequest, settings_register: dict[str, Any]
) -> None:
    url = reverse("cases:request-consultation", args=[issuing.pk])
    searched = caseworker_client.post(
        url, {"establishment": "Oak", **day("sent_on", dt.date(2025, 12, 10))}
    )

    assert summary(searched) == [SETTING_CHOOSE.format(count=3, text="Oak")]
    oak = settings_register["oak_primary"]
    assert choices(searched, "establishment") == [
        (f"id:{settings_register['oak_academy'].pk}", "Oak Hill Academy (100002), AB3 4EF"),
        (f"id:{oak.pk}", "Oak Primary School (100001), AB1 2CD"),
        (f"id:{settings_register['old_oak'].pk}", "Old Oak Infants (100003), ZZ9 9ZZ (closed)"),
    ]
    page = searched.content.decode()
    assert re.search(r'name="sent_on_day"[^>]*value="10"', page)
    assert 'value="Oak"' in page

    chosen = caseworker_client.post(
        url,
        {
            "establishment": "Oak",
            "establishment_choice": f"id:{oak.pk}",
            **day("sent_on", dt.date(2025, 12, 10)),
        },
    )

    assert chosen.status_code == 302
    assert issuing.consultations.get().establishment == oak


def test_no_match_says_what_to_try(
    caseworker_client: Client, issuing: AssessmentRequest, settings_register: dict[str, Any]
) -> None:
    response = caseworker_client.post(
        reverse("cases:request-consultation", args=[issuing.pk]),
        {"establishment": "Elm Tree", **day("sent_on", dt.date(2025, 12, 10))},
    )

    assert summary(response) == [SETTING_NONE.format(text="Elm Tree")]


def test_too_many_matches_offer_the_first_and_ask_for_more_of_the_name(
    caseworker_client: Client, issuing: AssessmentRequest
) -> None:
    for n in range(MATCH_LIMIT + 1):
        EstablishmentFactory.create(urn=f"{200000 + n}", name=f"St Mary's School {n:02d}")

    response = caseworker_client.post(
        reverse("cases:request-consultation", args=[issuing.pk]),
        {"establishment": "St Mary", **day("sent_on", dt.date(2025, 12, 10))},
    )

    assert summary(response) == [SETTING_TOO_MANY.format(limit=MATCH_LIMIT, text="St Mary")]
    assert len(choices(response, "establishment")) == MATCH_LIMIT


def test_section_i_names_a_setting_typed_as_a_suggestion_reads(
    caseworker_client: Client, caseworker: User, settings_register: dict[str, Any]
) -> None:
    request = AssessmentRequestFactory.create(draft_issued=True, child__caseworker=caseworker)

    response = caseworker_client.post(
        reverse("cases:request-final-plan", args=[request.pk]),
        {
            **day("issued_on", dt.date(2026, 1, 12)),
            "primary_need": "ASD",
            # What a chosen suggestion puts in the box: the name and the URN.
            "establishment": "Oak Primary School (100001)",
        },
    )

    assert response.status_code == 302, summary(response)
    named = request.plan.named_settings.get()
    assert named.establishment == settings_register["oak_primary"]


# --- suggestions, with JavaScript ----------------------------------------------------------------
def test_the_settings_suggestions_are_json_for_every_role(
    caseworker_client: Client, panel_member_client: Client, settings_register: dict[str, Any]
) -> None:
    url = reverse("cases:establishment-search")

    body = caseworker_client.get(url, {"q": "oak pri"}).json()
    assert body == {
        "results": [
            {
                "value": "Oak Primary School (100001)",
                "label": "Oak Primary School (100001), AB1 2CD",
            }
        ]
    }
    assert panel_member_client.get(url, {"q": "oak"}).status_code == 200
    assert caseworker_client.get(url, {"q": "o"}).json() == {"results": []}


def test_the_childrens_suggestions_are_scoped_and_audited(
    caseworker_client: Client, panel_member_client: Client, caseworker: User
) -> None:
    ava = ChildFactory.create(first_name="Ava", last_name="Okoro", reference="999-2026-00007")
    ChildFactory.create(first_name="Noah", last_name="Baker")
    url = reverse("cases:child-search")

    body = caseworker_client.get(url, {"q": "okoro"}).json()

    assert [r["value"] for r in body["results"]] == ["Ava Okoro (999-2026-00007)"]
    event = AuditEvent.objects.get(action="list.viewed", actor=caseworker)
    assert event.changes["children"] == [str(ava.pk)]
    assert panel_member_client.get(url, {"q": "okoro"}).status_code == 403


def test_the_form_pages_load_the_suggestions_script_and_mark_the_box(
    caseworker_client: Client, issuing: AssessmentRequest
) -> None:
    page = caseworker_client.get(
        reverse("cases:request-consultation", args=[issuing.pk])
    ).content.decode()

    assert 'data-module="search-select"' in page
    assert f'data-source="{reverse("cases:establishment-search")}"' in page


# --- finding a child: the tribunal and the panel agenda ------------------------------------------
@pytest.fixture
def children() -> dict[str, Child]:
    return {
        "ava": ChildFactory.create(
            first_name="Ava",
            last_name="Okoro",
            reference="LA-0001",
            upn="A123456789012",
            upn_unknown="",
        ),
        "amy": ChildFactory.create(first_name="Amy", last_name="Okoro", reference="LA-0002"),
        "noah": ChildFactory.create(first_name="Noah", last_name="Baker", reference="LA-0003"),
    }


@pytest.mark.parametrize(
    ("typed", "who"),
    [("noah", "noah"), ("la-0002", "amy"), ("A123456789012", "ava"), ("Ava Okoro", "ava")],
)
def test_the_tribunal_finds_a_child_by_name_reference_or_upn(
    caseworker_client: Client, children: dict[str, Child], typed: str, who: str
) -> None:
    response = caseworker_client.post(reverse("tribunals:appeal-find-child"), {"reference": typed})

    assert response.status_code == 302
    assert response["Location"] == f"/tribunals/children/{children[who].pk}/appeals/new/"


def test_the_tribunal_offers_the_children_who_match_and_audits_the_list(
    caseworker_client: Client, caseworker: User, children: dict[str, Child]
) -> None:
    url = reverse("tribunals:appeal-find-child")
    searched = caseworker_client.post(url, {"reference": "okoro"})

    assert summary(searched) == [CHILD_CHOOSE.format(count=2, text="okoro")]
    ava, amy = children["ava"], children["amy"]
    dob = f"{ava.date_of_birth:%-d %b %Y}"
    assert choices(searched, "reference") == [
        (f"id:{amy.pk}", f"Amy Okoro (LA-0002), born {dob}"),
        (f"id:{ava.pk}", f"Ava Okoro (LA-0001), born {dob}"),
    ]
    event = AuditEvent.objects.get(action="list.viewed", actor=caseworker)
    assert sorted(event.changes["children"]) == sorted([str(ava.pk), str(amy.pk)])

    chosen = caseworker_client.post(url, {"reference": "okoro", "reference_choice": f"id:{amy.pk}"})

    assert chosen["Location"] == f"/tribunals/children/{amy.pk}/appeals/new/"


def test_the_panel_agenda_adds_a_child_found_by_name(caseworker_client: Client) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"), status=MeetingStatus.PLANNED)
    request = f.assessment_request(received_on=dt.date(2026, 1, 26))
    name = request.child.full_name

    added = caseworker_client.post(
        reverse("panels:item-create", args=[meeting.pk]),
        {"kind": ItemKind.DECISION_TO_ASSESS, "reference": name, "summary": "Due"},
    )

    assert added.status_code == 302
    assert meeting.items.get().request == request
