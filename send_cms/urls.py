"""Site URLs. Pages under each app's namespace; the public API under /api/v1/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from send_cms.accounts.api import ObtainTokenView
from send_cms.accounts.views import HomeView
from send_cms.common.views import healthz

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("send_cms.deadlines.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("panels.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("tribunals.api.urls")),
    path("", include("reporting.api.urls")),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("timescales/", include("send_cms.deadlines.urls")),
    path("cases/", include("cases.urls")),
    path("panels/", include("panels.urls")),
    path("reviews/", include("reviews.urls")),
    path("tribunals/", include("tribunals.urls")),
    path("reporting/", include("reporting.urls")),
]

handler403 = "send_cms.common.views.permission_denied"
handler404 = "send_cms.common.views.page_not_found"
handler500 = "send_cms.common.views.server_error"
