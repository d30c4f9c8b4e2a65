"""Deny by default: walk every URL pattern as an anonymous user, a user with no role, and each role.

A page or endpoint that forgets its role check fails here, whichever app it belongs to.
"""

import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from send_cms.accounts.roles import ALL_ROLES, Role

# Opted out of login on purpose, with the reason.
PUBLIC = {
    "login": "the sign-in page",
    "oidc-authenticate": "single sign-on starts here (404 unless turned on)",
    "oidc-callback": "the identity provider sends people back here (404 unless turned on)",
    "healthz": "load balancers and containers poll it",
    "api:auth-token": "API clients exchange a password for a token here",
}
# Open to anyone signed in, role or not.
SIGNED_IN = {
    "logout": "everyone may sign out",
    "second-factor-verify": "sign-in's second step, before any role is used",
    "session-keep-alive": "the timeout warning's 'Stay signed in'",
    "session-status": "the timeout warning asks how long is left",
    "api:auth-logout": "a token's holder may always revoke it",
}


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry


def _concrete(route: str) -> str:
    """A real path for a route: converters get well-formed values that match no record."""
    import re

    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    route = re.sub(r"<uuid:\w+>", str(uuid.UUID(int=1)), route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(slug|str|path):\w+>", "x", route)
    route = re.sub(r"<\w+>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    route = re.sub(r"\.\(\?P<format>[^)]*\)/?\??", "", route)
    return "/" + route.replace("//", "/").replace("?", "")


def site_urls() -> list[tuple[str, str, object]]:
    found = []
    for route, name, pattern in _patterns(get_resolver()):
        if name.startswith("admin:") or route.startswith("admin/"):
            continue  # Django admin has its own staff login; tested separately below
        if "(?P<format>" in route or route.endswith("\\.(?P<format>[a-z0-9]+)/?$"):
            continue  # DRF's format-suffix duplicates of routes already walked
        found.append((_concrete(route), name, getattr(pattern.callback, "view_class", None)))
    return found


URLS = site_urls()


def test_the_walk_finds_the_site() -> None:
    names = {name for _, name, _ in URLS}
    assert {"home", "login", "healthz", "api:schema", "api:docs"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "view_class"), URLS, ids=[u[1] or u[0] for u in URLS])
def test_anonymous_users_are_sent_to_sign_in(path: str, name: str, view_class: object) -> None:
    if name in PUBLIC:
        return
    if path.startswith("/api/"):
        assert APIClient().get(path).status_code == 401, path
    else:
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/sign-in/"), path


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "view_class"), URLS, ids=[u[1] or u[0] for u in URLS])
def test_a_user_without_a_role_is_refused(
    path: str, name: str, view_class: object, roleless_user: object
) -> None:
    if name in PUBLIC or name in SIGNED_IN:
        return
    client = APIClient() if path.startswith("/api/") else Client()
    client.force_login(roleless_user)  # type: ignore[arg-type]
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code in (403, 405), (method, path, response.status_code)
    assert client.get(path).status_code == 403, path


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "view_class"), URLS, ids=[u[1] or u[0] for u in URLS])
def test_each_role_outside_a_page_allowed_roles_is_refused(
    path: str, name: str, view_class: object, make_user: object
) -> None:
    allowed = getattr(view_class, "allowed_roles", None) or getattr(view_class, "read_roles", None)
    if name in PUBLIC or allowed is None or set(allowed) >= ALL_ROLES:
        return
    for role in sorted(ALL_ROLES - set(allowed)):
        user = make_user(f"user-{role}", Role(role))  # type: ignore[operator]
        client = APIClient() if path.startswith("/api/") else Client()
        client.force_login(user)
        assert client.get(path).status_code == 403, (role, path)


@pytest.mark.django_db
def test_the_403_page_says_which_role_is_needed(roleless_client: Client) -> None:
    response = roleless_client.get("/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    assert "caseworker" in response.content.decode()


@pytest.mark.django_db
def test_admin_site_needs_staff(roleless_client: Client) -> None:
    assert Client().get("/admin/").status_code == 302
    response = roleless_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
