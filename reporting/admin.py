"""Published scorecards in the admin, read-only: a published month never changes."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from reporting.models import MetricSnapshot, Scorecard


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SnapshotInline(ReadOnly, admin.TabularInline[MetricSnapshot, Scorecard]):
    model = MetricSnapshot
    fields = (
        "metric_id",
        "definition_version",
        "value",
        "numerator",
        "denominator",
        "target",
        "floor",
        "computed_at",
    )
    readonly_fields = fields
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnly, admin.ModelAdmin[Scorecard]):
    list_display = ("period", "published_at", "published_by")
    fields = ("period", "published_at", "published_by", "download")
    readonly_fields = fields
    inlines = (SnapshotInline,)

    @admin.display(description="PDF")
    def download(self, obj: Scorecard) -> str:
        """The stored PDF through the page that records the download (no public media URL)."""
        url = reverse("reporting:scorecard-pdf", kwargs={"period": obj.period})
        return format_html('<a href="{}">{}</a>', url, obj.pdf.name)
