"""Writes to accounts: creating users with roles (demo data and tests use this too)."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from send_cms.accounts.models import User
from send_cms.accounts.roles import Role


@transaction.atomic
def user_create_or_update(
    *,
    username: str,
    password: str,
    roles: Iterable[Role],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: str = "",
    job_title: str = "",
) -> User:
    """Idempotent: the same call twice leaves one user with exactly these roles."""
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.team, user.job_title = team, job_title
    user.set_password(password)
    # Administrators run the Django admin (users, roles, code lists): staff and superuser.
    user.is_staff = user.is_superuser = Role.ADMIN in set(roles)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
    return user
