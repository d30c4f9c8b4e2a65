"""Annual reviews in the Django admin: read-only, because every change goes through a service
(which audits it and writes the case timeline)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reviews.models import AnnualReview, ReminderSent


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AnnualReview)
class AnnualReviewAdmin(ReadOnlyAdmin):
    list_display = ["plan", "sequence", "due_on", "status", "meeting_on", "decision_issued_on"]
    list_filter = ["status", "decision", "phase_transfer"]
    date_hierarchy = "due_on"
    list_select_related = ["plan"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["review", "kind", "recipient", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["review"]
