"""The home page, signing in and out (password, then the second factor where needed), setting up
an authenticator app, and one's own API tokens."""

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, TemplateView
from knox.models import AuthToken

from send_cms.accounts import services
from send_cms.accounts.actor import signed_in
from send_cms.accounts.forms import CODE_WRONG, SecondFactorForm
from send_cms.accounts.middleware import SIGNED_OUT_IDLE, SIGNED_OUT_LIMIT, seconds_left
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.second_factor import qr_svg, secret_text
from send_cms.accounts.sessions import LAST_ACTIVITY

SIGNED_OUT_BANNERS = {
    SIGNED_OUT_IDLE: "You were signed out because you had not used the service for a while. "
    "Sign in again to carry on.",
    SIGNED_OUT_LIMIT: "You were signed out because you had been signed in for the longest time "
    "allowed. Sign in again to carry on.",
    "sso-failed": "Single sign-on did not sign you in. Your account may not have a role in this "
    "service: ask an administrator.",
}
ADMIN_NEEDS_ROLE = "You need the administrator role to use the admin."
SECOND_FACTOR_SET_UP = (
    "Your authenticator app is set up. You will be asked for a code each time you sign in."
)
TOKEN_REVOKED = "The API token was revoked. Anything still using it will be refused."  # noqa: S105
TOKENS_REVOKED = "All your API tokens were revoked."


class HomeView(RoleRequiredMixin, TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roles"] = user_roles(self.request.user)
        return context


def safe_next(request: HttpRequest, default: str = "home") -> str:
    """The `next` the request carries, if it stays on this site; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


# --- signing in and out --------------------------------------------------------------------------
class SignInView(auth_views.LoginView):
    """The one sign-in page (the admin hands its sign-in here). django-axes counts failures and
    refuses a locked account or address before the password is checked."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.sign_in_succeeded(request=self.request, user=form.get_user(), method="password")
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        username, password = form.data.get("username", ""), form.data.get("password", "")
        if username and password:  # an attempt, not a form sent with a box left empty
            services.sign_in_failed(request=self.request, username=username)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signed_out_banner"] = SIGNED_OUT_BANNERS.get(self.request.GET.get("reason", ""))
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context


class SignOutView(auth_views.LogoutView):
    """Signing out; the timeout warning signs out this way too when its countdown ends."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("timed_out"):
            services.sign_out(request=request, reason=SIGNED_OUT_IDLE)
            query = urlencode({"reason": SIGNED_OUT_IDLE})
            return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
        services.sign_out(request=request)
        return super().post(request, *args, **kwargs)


@login_not_required
@require_GET
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in is the site's: one page with the lockout and the second factor."""
    if request.user.is_authenticated:
        raise PermissionDenied(ADMIN_NEEDS_ROLE)
    query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")


@method_decorator(never_cache, name="dispatch")
class SecondFactorVerifyView(FormView[SecondFactorForm]):
    """Sign-in's second step, for anyone with an authenticator app set up."""

    template_name = "accounts/second_factor_verify.html"
    form_class = SecondFactorForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if user.is_authenticated and user.is_verified():
            return HttpResponseRedirect(safe_next(request))
        if user.is_authenticated and services.second_factor_device(user=user) is None:
            query = urlencode({"next": safe_next(request)})
            return HttpResponseRedirect(f"{reverse('accounts:second-factor-setup')}?{query}")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SecondFactorForm) -> HttpResponse:
        user: Any = self.request.user
        token = form.cleaned_data["otp_token"]
        if services.second_factor_verify(request=self.request, user=user, token=token):
            return HttpResponseRedirect(safe_next(self.request))
        if getattr(self.request, "axes_locked_out", False):
            services.sign_out(request=self.request, reason="locked out")
        form.add_error("otp_token", CODE_WRONG)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request)
        return context


@method_decorator(never_cache, name="dispatch")
class SecondFactorSetupView(RoleRequiredMixin, View):
    """Set up an authenticator app: scan the QR code (or type the secret), then enter a code.

    Someone who already has one must have given its code in this session before replacing it,
    so a password alone can never swap in a new app.
    """

    template_name = "accounts/second_factor_setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and services.second_factor_device(user=user) is not None
        ):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('second-factor-verify')}?{query}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, form=SecondFactorForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            device = services.second_factor_start(user=user)
            token = form.cleaned_data["otp_token"]
            if services.second_factor_confirm(
                request=request, user=user, device=device, token=token
            ):
                messages.success(request, SECOND_FACTOR_SET_UP)
                return HttpResponseRedirect(safe_next(request, "accounts:second-factor-setup"))
            if getattr(request, "axes_locked_out", False):
                services.sign_out(request=request, reason="locked out")
            form.add_error("otp_token", CODE_WRONG)
        return self.render(request, form=form, setting_up=True)

    def render(
        self, request: HttpRequest, *, form: SecondFactorForm, setting_up: bool = False
    ) -> HttpResponse:
        user: Any = request.user
        current = services.second_factor_device(user=user)
        setting_up = setting_up or current is None or "replace" in request.GET
        context: dict[str, Any] = {
            "form": form,
            "current": current,
            "setting_up": setting_up,
            "required": settings.OTP_REQUIRED,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        }
        if setting_up:
            device = services.second_factor_start(user=user)
            context["qr_code"] = qr_svg(device)
            context["secret"] = secret_text(device)
        return render(request, self.template_name, context)


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The timeout warning's "Stay signed in": this request is the activity that counts."""
    request.session[LAST_ACTIVITY] = time.time()
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"seconds_left": seconds_left(request)})
    return HttpResponseRedirect(safe_next(request))


@never_cache
@require_GET
def session_status(request: HttpRequest) -> HttpResponse:
    """How long this session has left; asking does not count as activity (another tab may have
    kept the session alive while this one showed the warning)."""
    return JsonResponse({"seconds_left": seconds_left(request)})


# --- one's own API tokens ------------------------------------------------------------------------
@method_decorator(never_cache, name="dispatch")
class ApiTokensView(RoleRequiredMixin, View):
    """Each person's own tokens: when made and when they expire, never the token itself (only
    its hash is kept); a new one is shown once; any can be revoked."""

    template_name = "accounts/api_tokens.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        action = request.POST.get("action")
        if action == "create":
            _, token = services.token_issue(user=user, via="account page")
            return self.render(request, new_token=token)
        if action == "revoke-all":
            services.tokens_revoke_all(actor=user, user=user, reason="revoked by its owner")
            messages.success(request, TOKENS_REVOKED)
        elif action == "revoke":
            digest = request.POST.get("token", "").replace("\x00", "")
            token_row = AuthToken.objects.filter(user=user, digest=digest).first()
            if token_row is not None:
                services.token_revoke(actor=user, token=token_row, reason="revoked by its owner")
                messages.success(request, TOKEN_REVOKED)
        return HttpResponseRedirect(reverse("accounts:api-tokens"))

    def render(self, request: HttpRequest, new_token: str = "") -> HttpResponse:
        user = signed_in(request.user)
        tokens = AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")
        context = {
            "tokens": tokens,
            "new_token": new_token,
            "api_token_hours": settings.API_TOKEN_HOURS,
        }
        return render(request, self.template_name, context)
