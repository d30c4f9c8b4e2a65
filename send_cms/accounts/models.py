"""A custom user from the first migration, so that adding fields later needs no data surgery."""

from functools import cached_property

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
