"""Users and roles in the admin, every change recorded; and the sign-in controls administrators
need: unlock a locked account or address, reset a lost authenticator app, revoke API tokens.

No administrator can read another person's token or authenticator secret: tokens are stored as
hashes and the admin shows only who owns them and when they expire; devices show no key.
"""

from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from send_cms.accounts import services
from send_cms.accounts.actor import signed_in
from send_cms.accounts.models import User
from send_cms.audit.services import record

# Fields whose new values the audit row keeps; any other changed field is named only.
AUDITED_VALUES = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "team",
    "job_title",
)
ROLES_BEFORE = "_audit_roles_before"


def _actor(request: HttpRequest) -> User:
    return signed_in(request.user)


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Casework", {"fields": ("job_title", "team")}),
    )
    list_display = ("username", "first_name", "last_name", "team", "is_active")
    list_filter = ("groups", "is_active", "team")
    actions = ["unlock_sign_in", "reset_second_factor", "revoke_api_tokens"]

    def save_model(self, request: HttpRequest, obj: User, form: Form, change: bool) -> None:
        stored = User.objects.filter(pk=obj.pk).first() if change else None
        setattr(request, ROLES_BEFORE, services.role_names(stored) if stored else [])
        super().save_model(request, obj, form, change)
        if not change:
            services.record_account_created(user=obj, via="admin", actor=_actor(request))
            return
        # What really changed: a form can report a field it only re-rendered (a date and time).
        changed = [
            f
            for f in form.changed_data
            if f not in ("groups", "user_permissions")
            and getattr(stored, f, None) != getattr(obj, f, None)
        ]
        if changed:
            record(
                actor=_actor(request),
                action="accounts.user_changed",
                obj=obj,
                changes={
                    "fields": changed,
                    "values": {f: getattr(obj, f) for f in changed if f in AUDITED_VALUES},
                },
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        before = getattr(request, ROLES_BEFORE, [])
        after = services.role_names(form.instance)
        if before != after:
            record(
                actor=_actor(request),
                action="accounts.roles_changed",
                obj=form.instance,
                changes={"before": before, "after": after, "reason": "admin"},
            )

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        self.delete_queryset(request, User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        gone = list(queryset.values("pk", "username"))
        super().delete_queryset(request, queryset)
        for row in gone:
            record(
                actor=_actor(request),
                action="accounts.user_deleted",
                changes={"user_id": row["pk"], "username": row["username"]},
            )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response: HttpResponse = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            record(
                actor=_actor(request),
                action="accounts.password_changed",
                obj=user,
                changes={"by": "administrator"},
            )
        return response

    @admin.action(description="Unlock sign-in for the selected users")
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = services.sign_in_unlock_users(actor=_actor(request), users=queryset)
        self.message_user(request, f"Cleared {count} locked or failing sign-in records.")

    @admin.action(description="Reset the second factor (a lost authenticator app)")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = services.second_factor_reset(actor=_actor(request), users=queryset)
        self.message_user(
            request,
            f"Removed the authenticator app of {count} users: they set up a new one at "
            "their next sign-in.",
        )

    @admin.action(description="Revoke all API tokens of the selected users")
    def revoke_api_tokens(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = sum(
            services.tokens_revoke_all(
                actor=_actor(request), user=user, reason="revoked by an administrator"
            )
            for user in queryset
        )
        self.message_user(request, f"Revoked {count} API tokens.")


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(_ReadOnly):
    """Who holds a token and until when; never the token, which only its owner ever saw."""

    list_display = ("user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    fields = ("user", "created", "expiry")
    actions = ["revoke"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoke is the audited way
        return actions

    def delete_model(self, request: HttpRequest, obj: AuthToken) -> None:
        services.token_revoke(
            actor=_actor(request), token=obj, reason="revoked by an administrator"
        )

    @admin.action(description="Revoke the selected API tokens", permissions=["delete"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[AuthToken]) -> None:
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            services.token_revoke(
                actor=_actor(request), token=token, reason="revoked by an administrator"
            )
        self.message_user(request, f"Revoked {len(tokens)} API tokens.", messages.SUCCESS)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(_ReadOnly):
    """Failed sign-ins per account and address; unlocking clears them, and is recorded."""

    list_display = ("attempt_time", "username", "ip_address", "failures_since_start", "path_info")
    list_filter = ("attempt_time",)
    search_fields = ("username", "ip_address")
    fields = list_display
    actions = ["unlock"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # unlock (below) is the audited way to clear attempts

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Unlock: clear the selected failed sign-ins")
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        count = services.sign_in_unlock(actor=_actor(request), attempts=queryset)
        self.message_user(request, f"Unlocked {count} accounts or addresses.", messages.SUCCESS)


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(_ReadOnly):
    """Who has an authenticator app set up; never its secret. Deleting one is a reset."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = list_display

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the users' "reset second factor" is audited
        return actions

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        services.second_factor_reset(actor=_actor(request), users=[obj.user])
