"""Read-only admin views: every change goes through the services (audited, on the timeline)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tribunals.models import (
    Appeal,
    AppealEvent,
    ComplianceStep,
    Direction,
    Mediation,
    MediationAction,
    Order,
    Recommendation,
    ReminderSent,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["child", "appeal_type", "status", "outcome", "received_by_la_on", "decided_on"]
    list_filter = ["status", "appeal_type", "outcome"]
    search_fields = ["child__reference", "tribunal_reference", "appellant_name"]


@admin.register(Mediation)
class MediationAdmin(ReadOnlyAdmin):
    list_display = ["child", "decision_type", "decision_notice_on", "held_on", "outcome"]
    list_filter = ["decision_type", "outcome", "certificate_kind"]
    search_fields = ["child__reference"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["appeal", "kind", "made_on", "sent_on", "runs_from"]
    list_filter = ["kind"]


@admin.register(ComplianceStep)
class ComplianceStepAdmin(ReadOnlyAdmin):
    list_display = ["rule", "order", "action", "due_on", "complied_on", "applicable"]
    list_filter = ["rule", "applicable"]


@admin.register(AppealEvent)
class AppealEventAdmin(ReadOnlyAdmin):
    list_display = ["appeal", "occurred_on", "title", "recorded_by_name"]


admin.site.register(Direction, ReadOnlyAdmin)
admin.site.register(Recommendation, ReadOnlyAdmin)
admin.site.register(MediationAction, ReadOnlyAdmin)
admin.site.register(ReminderSent, ReadOnlyAdmin)
