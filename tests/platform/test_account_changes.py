"""Role and user changes are recorded: in the admin (groups, edits, new users, deletions) and by
the service single sign-on uses."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.accounts.services import user_set_roles
from send_cms.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def change_form(user: User, **overrides: object) -> dict[str, object]:
    """What the admin's change form posts for `user`, with some fields changed."""
    joined = timezone.localtime(user.date_joined).replace(microsecond=0)
    User.objects.filter(pk=user.pk).update(date_joined=joined)  # as the form shows it
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": list(user.groups.values_list("pk", flat=True)),
        "user_permissions": [],
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "job_title": user.job_title,
        "team": user.team,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def group(role: Role) -> int:
    return Group.objects.get(name=role).pk


def test_giving_a_role_in_the_admin_is_recorded(caseworker, admin_client_: Client) -> None:
    response = admin_client_.post(
        f"/admin/accounts/user/{caseworker.pk}/change/",
        change_form(caseworker, groups=[group(Role.CASEWORKER), group(Role.MANAGER)]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="accounts.roles_changed")
    assert (event.actor_name, event.object_id) == ("Alex Morgan", str(caseworker.pk))
    assert event.changes == {
        "before": ["caseworker"],
        "after": ["caseworker", "manager"],
        "reason": "admin",
    }
    assert not AuditEvent.objects.filter(action="accounts.user_changed").exists()


def test_making_someone_a_superuser_is_a_role_change(caseworker, admin_client_: Client) -> None:
    admin_client_.post(
        f"/admin/accounts/user/{caseworker.pk}/change/",
        change_form(caseworker, is_staff="on", is_superuser="on"),
    )

    roles = AuditEvent.objects.get(action="accounts.roles_changed").changes
    assert (roles["before"], roles["after"]) == (["caseworker"], ["admin", "caseworker"])
    edit = AuditEvent.objects.get(action="accounts.user_changed").changes
    assert edit == {
        "fields": ["is_staff", "is_superuser"],
        "values": {"is_staff": True, "is_superuser": True},
    }


def test_editing_a_user_is_recorded_with_the_new_values(caseworker, admin_client_) -> None:
    admin_client_.post(
        f"/admin/accounts/user/{caseworker.pk}/change/",
        change_form(caseworker, is_active="", team="North"),
    )

    event = AuditEvent.objects.get(action="accounts.user_changed")
    assert event.actor_name == "Alex Morgan"
    assert event.changes == {
        "fields": ["is_active", "team"],
        "values": {"is_active": False, "team": "North"},
    }


def test_adding_a_user_in_the_admin_needs_a_12_character_password(admin_client_) -> None:
    short = admin_client_.post(
        "/admin/accounts/user/add/",
        {
            "username": "newbie",
            "password1": "Short-pw-1",
            "password2": "Short-pw-1",
            "usable_password": "true",
        },
    )
    made = admin_client_.post(
        "/admin/accounts/user/add/",
        {
            "username": "newbie",
            "password1": "A-longer-passw0rd",
            "password2": "A-longer-passw0rd",
            "usable_password": "true",
        },
    )

    assert short.status_code == 200
    assert "It must contain at least 12 characters" in short.content.decode()
    assert made.status_code == 302
    event = AuditEvent.objects.get(action="accounts.user_created")
    assert event.actor_name == "Alex Morgan"
    assert event.changes == {"username": "newbie", "via": "admin"}


def test_deleting_a_user_is_recorded(roleless_user, admin_client_) -> None:
    pk = roleless_user.pk

    response = admin_client_.post(f"/admin/accounts/user/{pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="accounts.user_deleted")
    assert event.changes == {"user_id": pk, "username": "nobody"}


def test_the_roles_service_records_only_a_change(caseworker, admin_user) -> None:
    assert (
        user_set_roles(actor=admin_user, user=caseworker, roles=["caseworker"], reason="test")
        is False
    )
    assert user_set_roles(actor=admin_user, user=caseworker, roles=["manager"], reason="test")

    [event] = AuditEvent.objects.filter(action="accounts.roles_changed")
    assert event.changes == {"before": ["caseworker"], "after": ["manager"], "reason": "test"}
    caseworker.refresh_from_db()
    assert list(caseworker.groups.values_list("name", flat=True)) == ["manager"]
