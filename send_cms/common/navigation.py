"""The service navigation: one list, each entry with the roles that may use it.

Apps add their entries here as they ship, so the header never links to a page that would 403.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from send_cms.accounts.roles import Role

CW, PM, MG, AD = Role.CASEWORKER, Role.PANEL_MEMBER, Role.MANAGER, Role.ADMIN


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


NAVIGATION: list[NavItem] = [
    NavItem("Home", "home", frozenset({CW, PM, MG, AD})),
    NavItem("My caseload", "cases:caseload", frozenset({CW, MG, AD})),
    NavItem("Advice tracker", "cases:advice-tracker", frozenset({CW, MG, AD})),
    NavItem("Timescale calculator", "deadlines:calculator", frozenset({CW, PM, MG, AD})),
    NavItem("Panels", "panels:meeting-list", frozenset({CW, PM, MG, AD})),
    NavItem("Annual reviews", "reviews:review-list", frozenset({CW, MG, AD})),
    NavItem("Tribunals", "tribunals:appeal-list", frozenset({CW, PM, MG, AD})),
    NavItem("Mediation", "tribunals:mediation-list", frozenset({CW, PM, MG, AD})),
    NavItem("Reporting", "reporting:dashboard", frozenset({CW, MG, AD})),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    active: bool


def navigation_for(roles: frozenset[str], path: str) -> list[NavLink]:
    links = []
    for item in NAVIGATION:
        if not roles & item.roles:
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = path == href if href == "/" else path.startswith(href)
        links.append(NavLink(item.label, href, active))
    return links
