"""A custom user from the first migration, so that adding fields later needs no data surgery."""

from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from send_cms.accounts.roles import Role


class User(AbstractUser):
    job_title = models.CharField(max_length=150, blank=True)
    team = models.CharField(max_length=150, blank=True, help_text="Casework team, for reports.")

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles; a superuser holds the administrator role."""
        if not self.is_active:
            return frozenset()
        names = {g.name for g in self.groups.all()} & set(Role.values)
        if self.is_superuser:
            names.add(Role.ADMIN)
        return frozenset(names)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new password revokes every API token, however it was set (the admin, a command,
        a service): a token must not outlive the password that was used to get it."""
        password_changed = self._password is not None and not self._state.adding  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if password_changed:
            from send_cms.accounts.services import tokens_revoke_all

            tokens_revoke_all(actor=None, user=self, reason="password changed")
