"""Writes to accounts: users and roles, sign-in and sign-out, the second factor, API tokens.

Every sign-in event is recorded here with an explicit `record(...)`: the sign-in page, the
admin (which hands its sign-in to that page), single sign-on and the token endpoint all call
these functions.
"""

from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_login_failed
from django.db import models, transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from send_cms.accounts.lockout import client_address
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.accounts.sessions import HAS_SECOND_FACTOR
from send_cms.audit.services import record

WRONG_CODE = "wrong second-factor code"
WRONG_PASSWORD = "wrong username or password"  # noqa: S105 - a reason, not a password
REFUSED_LOCKED = "refused: locked out"
IDENTITY_PROVIDER = "identity provider (single sign-on)"


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


def role_names(user: User) -> list[str]:
    """The user's roles as stored now (not the cached property), for before-and-after records."""
    names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    if user.is_superuser:
        names.add(Role.ADMIN)
    return sorted(names)


def record_account_created(*, user: User, via: str, actor: Any = None) -> None:
    record(
        actor=actor,
        actor_name=None if actor is not None else IDENTITY_PROVIDER,
        action="accounts.user_created",
        obj=user,
        changes={"username": user.get_username(), "via": via},
    )


@transaction.atomic
def user_set_roles(*, actor: Any, user: User, roles: Iterable[str], reason: str) -> bool:
    """Give the user exactly these roles; recorded when they change. True if they changed.

    `actor` None is the identity provider (single sign-on sets roles from its groups)."""
    wanted = sorted(set(roles) & set(Role.values))
    before = role_names(user)
    is_admin = Role.ADMIN in wanted
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.set(Group.objects.filter(name__in=wanted))
    after = role_names(user)
    if before == after:
        return False
    record(
        actor=actor,
        actor_name=None if actor is not None else IDENTITY_PROVIDER,
        action="accounts.roles_changed",
        obj=user,
        changes={"before": before, "after": after, "reason": reason},
    )
    return True


# --- sign-in and sign-out ----------------------------------------------------------------------
def sign_in_succeeded(*, request: HttpRequest, user: User, method: str) -> None:
    from send_cms.accounts.middleware import second_factor_needed

    record(
        actor=user,
        action="auth.signed_in",
        obj=user,
        changes={
            "method": method,
            "address": client_address(request),
            "second_factor": "pending" if second_factor_needed(request) else "not required",
        },
    )


def failed_actor_name(username: str) -> str:
    return f'not signed in (tried "{username}")' if username else "not signed in"


def sign_in_failed(
    *, request: HttpRequest, username: str, reason: str = WRONG_PASSWORD, method: str = "password"
) -> None:
    """Record a failed attempt, and the lockout when this attempt reached the limit.

    django-axes has already counted the failure (from Django's user_login_failed signal) and
    flagged the request when the account or address is locked.
    """
    username = username.replace("\x00", "")[:150]  # as typed, but storable
    failures = getattr(request, "axes_failures_since_start", None)
    locked = bool(getattr(request, "axes_locked_out", False))
    if locked and failures is not None and failures > settings.AXES_FAILURE_LIMIT:
        reason = REFUSED_LOCKED
    target = User.objects.filter(username=username).first() if username else None
    address = client_address(request)
    name = failed_actor_name(username)
    record(
        actor=None,
        actor_name=name,
        action="auth.sign_in_failed",
        obj=target,
        changes={
            "username": username,
            "address": address,
            "page": request.path,
            "method": method,
            "reason": reason,
        },
    )
    if locked and failures == settings.AXES_FAILURE_LIMIT:
        record(
            actor=None,
            actor_name=name,
            action="auth.locked_out",
            obj=target,
            changes={"username": username, "address": address, "failures": failures},
        )


SIGN_OUT_REASONS = {"idle": "idle timeout", "limit": "session time limit"}


def sign_out(*, request: HttpRequest, reason: str = "signed out") -> None:
    user: Any = request.user
    if user.is_authenticated:
        reason = SIGN_OUT_REASONS.get(reason, reason)
        record(actor=user, action="auth.signed_out", obj=user, changes={"reason": reason})
    logout(request)


@transaction.atomic
def sign_in_unlock(*, actor: User, attempts: "models.QuerySet[AccessAttempt]") -> int:
    """An administrator clears failed attempts: the accounts and addresses may sign in again."""
    unlocked = list(attempts.values("username", "ip_address", "failures_since_start"))
    for row in unlocked:
        record(
            actor=actor,
            action="auth.unlocked",
            changes={
                "username": row["username"] or "",
                "address": row["ip_address"] or "",
                "failures": row["failures_since_start"],
            },
        )
    attempts.delete()
    return len(unlocked)


def sign_in_unlock_users(*, actor: User, users: Iterable[User]) -> int:
    names = [u.get_username() for u in users]
    return sign_in_unlock(actor=actor, attempts=AccessAttempt.objects.filter(username__in=names))


# --- the second factor -------------------------------------------------------------------------
def second_factor_needed_for(*, user: User) -> bool:
    """From the database, for callers without a session (the token endpoint): anyone with an
    authenticator app set up; managers and administrators while OTP_REQUIRED is on."""
    if user_has_device(user):
        return True
    return bool(settings.OTP_REQUIRED and user.has_role(Role.MANAGER, Role.ADMIN))


def second_factor_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def second_factor_start(*, user: User) -> TOTPDevice:
    """The device being set up: the same one until confirmed, so a reload shows the same code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def _second_factor_refused(*, request: HttpRequest, user: User) -> None:
    """A wrong code counts towards the lockout like a wrong password (Django's own signal, so
    django-axes counts it), and is recorded."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    sign_in_failed(request=request, username=user.get_username(), reason=WRONG_CODE)


@transaction.atomic
def second_factor_confirm(
    *, request: HttpRequest, user: User, device: TOTPDevice, token: str
) -> bool:
    """Set up: the first right code confirms the device, which replaces any earlier one."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token):
        _second_factor_refused(request=request, user=user)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    request.session[HAS_SECOND_FACTOR] = True
    record(actor=user, action="auth.second_factor_enrolled", obj=user)
    return True


def second_factor_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """Sign-in's second step: a right code marks this session as verified."""
    device = second_factor_device(user=user)
    verified = verify_token(user, device.persistent_id, token) if device is not None else None
    if verified is None:
        _second_factor_refused(request=request, user=user)
        return False
    otp_login(request, verified)
    record(actor=user, action="auth.second_factor_verified", obj=user)
    return True


def second_factor_check(*, request: HttpRequest, user: User, token: str) -> bool:
    """For the token endpoint: is the code right? A wrong one counts towards the lockout."""
    device = second_factor_device(user=user)
    if device is not None and verify_token(user, device.persistent_id, token) is not None:
        return True
    _second_factor_refused(request=request, user=user)
    return False


@transaction.atomic
def second_factor_reset(*, actor: User, users: Iterable[User]) -> int:
    """An administrator removes a lost authenticator: the person sets up a new one next time."""
    count = 0
    for user in users:
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            record(actor=actor, action="auth.second_factor_reset", obj=user)
            count += 1
    return count


# --- API tokens ----------------------------------------------------------------------------------
def token_issue(*, user: User, via: str) -> tuple[AuthToken, str]:
    """A new token: the caller sees it once; only its hash is kept."""
    instance, token = AuthToken.objects.create(user=user)
    record(
        actor=user,
        action="auth.token_issued",
        obj=user,
        changes={"via": via, "expires": instance.expiry},
    )
    return instance, token


def token_revoke(*, actor: Any, token: AuthToken, reason: str) -> None:
    owner = token.user
    created, expiry = token.created, token.expiry
    token.delete()
    record(
        actor=actor,
        action="auth.token_revoked",
        obj=owner,
        changes={"reason": reason, "created": created, "expires": expiry},
    )


def tokens_revoke_all(*, actor: Any, user: User, reason: str) -> int:
    count: int
    count, _ = AuthToken.objects.filter(user=user).delete()
    if count:
        record(
            actor=actor,
            action="auth.token_revoked",
            obj=user,
            changes={"reason": reason, "tokens": count},
        )
    return count
