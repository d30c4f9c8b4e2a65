"""The service navigation: one list of pages, each shown to the roles its view lets in.

Who may see a link is read from the page's own view (`RoleRequiredMixin.allowed_roles`), never
written twice, so the header cannot link to a page that would 403 nor hide one a role may use.
"""

from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, resolve, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str


NAVIGATION: list[NavItem] = [
    NavItem("Home", "home"),
    NavItem("My caseload", "cases:caseload"),
    NavItem("Advice tracker", "cases:advice-tracker"),
    NavItem("Timescale calculator", "deadlines:calculator"),
    NavItem("Panels", "panels:meeting-list"),
    NavItem("Annual reviews", "reviews:review-list"),
    NavItem("Tribunals", "tribunals:appeal-list"),
    NavItem("Mediation", "tribunals:mediation-list"),
    NavItem("Reporting", "reporting:dashboard"),
    NavItem("Retention", "retention:disposal-list"),
]


@cache
def page_roles(url_name: str) -> frozenset[str]:
    """The roles the view behind a URL name lets in. NoReverseMatch if the page is not there."""
    view = getattr(resolve(reverse(url_name)).func, "view_class", None)
    roles = getattr(view, "allowed_roles", None)
    if roles is None:
        raise ImproperlyConfigured(f"{url_name}: a linked page needs a view with allowed_roles")
    return frozenset(roles)


def may_open(roles: frozenset[str], url_name: str) -> bool:
    """Whether someone with these roles may open the page (False if it is not installed)."""
    try:
        return bool(roles & page_roles(url_name))
    except NoReverseMatch:
        return False


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    active: bool


def navigation_for(roles: frozenset[str], path: str) -> list[NavLink]:
    links = []
    for item in NAVIGATION:
        if not may_open(roles, item.url_name):
            continue
        href = reverse(item.url_name)
        active = path == href if href == "/" else path.startswith(href)
        links.append(NavLink(item.label, href, active))
    return links
