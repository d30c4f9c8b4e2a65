"""Site URLs. Pages under each app's namespace; the public API under /api/v1/."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from send_cms.accounts import oidc
from send_cms.accounts import views as accounts_views
from send_cms.accounts.api import LogoutView, ObtainTokenView
from send_cms.accounts.views import HomeView
from send_cms.common.views import healthz
from send_cms.retention.api import SubjectAccessAPIView

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include("send_cms.deadlines.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("panels.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("tribunals.api.urls")),
    path("", include("reporting.api.urls")),
    path(
        "children/<uuid:child_id>/subject-access/",
        SubjectAccessAPIView.as_view(),
        name="child-subject-access",
    ),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("sign-in/", accounts_views.SignInView.as_view(), name="login"),
    path(
        "sign-in/second-factor/",
        accounts_views.SecondFactorVerifyView.as_view(),
        name="second-factor-verify",
    ),
    path("sign-in/sso/", oidc.oidc_authenticate, name="oidc-authenticate"),
    path("sign-in/sso/callback/", oidc.oidc_callback, name="oidc-callback"),
    path("sign-out/", accounts_views.SignOutView.as_view(), name="logout"),
    path("session/keep-alive/", accounts_views.keep_alive, name="session-keep-alive"),
    path("session/status/", accounts_views.session_status, name="session-status"),
    path("account/", include("send_cms.accounts.urls")),
    path("healthz", healthz, name="healthz"),
    # The admin signs in and out through the site's own pages (lockout, second factor, audit).
    path("admin/login/", accounts_views.admin_sign_in, name="admin-sign-in"),
    path("admin/logout/", accounts_views.SignOutView.as_view(), name="admin-sign-out"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("timescales/", include("send_cms.deadlines.urls")),
    path("cases/", include("cases.urls")),
    path("panels/", include("panels.urls")),
    path("reviews/", include("reviews.urls")),
    path("tribunals/", include("tribunals.urls")),
    path("reporting/", include("reporting.urls")),
    path("reports/", include("reporting.document_urls")),
    path("records/", include("send_cms.retention.urls")),
]

handler400 = "send_cms.common.views.bad_request"
handler403 = "send_cms.common.views.permission_denied"
handler404 = "send_cms.common.views.page_not_found"
handler500 = "send_cms.common.views.server_error"
