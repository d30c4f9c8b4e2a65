"""Pages of the deadlines app (the timescale calculator)."""

from django.urls import URLPattern, URLResolver, path

from send_cms.deadlines.views import TimescaleCalculatorView

app_name = "deadlines"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", TimescaleCalculatorView.as_view(), name="calculator"),
]
