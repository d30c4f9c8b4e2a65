"""Read-only in the admin: nobody adds, changes or deletes audit events by hand."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from send_cms.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("occurred_at", "actor_name", "action", "object_type", "object_id", "child_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_id", "request_id")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
