"""The header shows each role the pages it may use, and nothing else: who sees a link is read
from the page's own view, so the header cannot drift from the pages' role checks."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from send_cms.common.navigation import NAVIGATION, navigation_for, page_roles

pytestmark = pytest.mark.django_db

EVERYONE = ["Home", "Timescale calculator", "Panels"]
CASEWORK = [
    "Home",
    "My caseload",
    "Advice tracker",
    "Timescale calculator",
    "Panels",
    "Annual reviews",
    "Tribunals",
    "Mediation",
    "Reporting",
]


def _nav_labels(client: Client) -> list[str]:
    html = client.get("/").content.decode()
    nav = html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'class="govuk-service-navigation__link" href="[^"]+"[^>]*>([^<]+)</a>', nav)


def test_a_panel_member_sees_only_the_pages_a_panel_member_can_use(
    panel_member_client: Client,
) -> None:
    assert _nav_labels(panel_member_client) == EVERYONE


def test_casework_roles_see_the_casework_pages_and_managers_retention(
    caseworker_client: Client, manager_client: Client, admin_client_: Client
) -> None:
    assert _nav_labels(caseworker_client) == CASEWORK
    for client in (manager_client, admin_client_):
        assert _nav_labels(client) == [*CASEWORK, "Retention"]


def test_every_link_opens_for_each_role_it_is_shown_to_and_no_hidden_one_does(
    caseworker_client: Client,
    panel_member_client: Client,
    manager_client: Client,
    admin_client_: Client,
) -> None:
    """The header and the pages agree: a link shown opens (200), a link hidden is refused (403)."""
    clients = {
        "caseworker": caseworker_client,
        "panel_member": panel_member_client,
        "manager": manager_client,
        "admin": admin_client_,
    }
    for role, client in clients.items():
        shown = {link.href for link in navigation_for(frozenset({role}), "/")}
        for item in NAVIGATION:
            href = reverse(item.url_name)
            status = client.get(href).status_code
            if href in shown:
                assert role in page_roles(item.url_name)
                assert status == 200, (role, href, status)
            else:
                assert status == 403, (role, href, status)
