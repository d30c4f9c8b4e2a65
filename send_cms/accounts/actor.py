"""Who is acting, for the signatures of services, selectors and rules.

`Actor` is what a page or the API hands over as `request.user`: a signed-in user, or an
anonymous one (which every rule refuses). A scheduled task acts as nobody (`None`, recorded as
the system), so a service that tasks call takes `Actor | None`. Typed this way, mypy checks
that permission code only reads what a user has.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from send_cms.accounts.models import User

Actor: TypeAlias = User | AnonymousUser

__all__ = ["Actor"]


def account_of(actor: Actor | None) -> User | None:
    """The account behind `actor`, for a "recorded by" column or a lookup by user: None for the
    system or an anonymous user (so a lookup by it matches nothing)."""
    return actor if isinstance(actor, User) else None


def signed_in(actor: Actor) -> User:
    """The account behind a page only a signed-in user reaches (LoginRequiredMiddleware sends
    anyone else to sign in first); an anonymous user here is refused, never served."""
    if not isinstance(actor, User):
        raise PermissionDenied
    return actor
