"""One's own account: the second factor and API tokens."""

from django.urls import path

from send_cms.accounts import views

app_name = "accounts"

urlpatterns = [
    path("second-factor/", views.SecondFactorSetupView.as_view(), name="second-factor-setup"),
    path("api-tokens/", views.ApiTokensView.as_view(), name="api-tokens"),
]
