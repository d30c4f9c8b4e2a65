"""Admin: the council's closure days (editable), stored deadlines and digests (read only)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from send_cms.deadlines import services
from send_cms.deadlines.models import (
    ClosureDay,
    Deadline,
    DigestSent,
    RecomputeChunk,
    RecomputeRun,
)


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin[ClosureDay]):
    list_display = ["date", "reason"]
    date_hierarchy = "date"
    search_fields = ["reason"]

    def save_model(self, request: HttpRequest, obj: ClosureDay, form: Any, change: bool) -> None:
        services.closure_day_save(actor=request.user, closure=obj)

    def delete_model(self, request: HttpRequest, obj: ClosureDay) -> None:
        services.closure_day_delete(actor=request.user, closure=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ClosureDay]) -> None:
        for closure in queryset:
            services.closure_day_delete(actor=request.user, closure=closure)


class _ReadOnly:
    """Derived or historical rows: look, never touch (the services own every write)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(_ReadOnly, admin.ModelAdmin[Deadline]):
    list_display = ["title", "due_on", "status", "met_on", "case_open", "owner", "child_id"]
    list_filter = ["status", "case_open", "rule", "excused", "due_overridden"]
    search_fields = ["=child_id", "=subject_id", "rule"]
    date_hierarchy = "due_on"
    list_select_related = ["owner"]


@admin.register(DigestSent)
class DigestSentAdmin(_ReadOnly, admin.ModelAdmin[DigestSent]):
    list_display = ["user", "sent_on", "deadline_count", "sent_at"]
    list_filter = ["sent_on"]
    list_select_related = ["user"]


class RecomputeChunkInline(admin.TabularInline[RecomputeChunk, RecomputeRun]):
    model = RecomputeChunk
    fields = readonly_fields = (
        "number",
        "status",
        "children",
        "changed",
        "attempts",
        "started_at",
        "finished_at",
    )
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RecomputeRun)
class RecomputeRunAdmin(_ReadOnly, admin.ModelAdmin[RecomputeRun]):
    """Each full recompute and its chunks: how far it has gone, and whether it finished."""

    list_display = ["pk", "reason", "children", "chunk_size", "created_at", "finished_at"]
    list_select_related = ["requested_by"]
    inlines = [RecomputeChunkInline]
