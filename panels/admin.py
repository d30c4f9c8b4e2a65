"""Council configuration in the Django admin: panels, members, funding bands. Meetings and
decisions are shown read-only: they change only through the service (pages and API)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from panels.models import FundingBand, PanelMeeting, PanelMember, PanelType
from panels.services.bands import BAND_ENDS_BEFORE_START, overlapping_band
from send_cms.audit.services import record
from send_cms.common.versioning import VersionedAdminForm, VersionedAdminMixin


@admin.register(PanelType)
class PanelTypeAdmin(VersionedAdminMixin, admin.ModelAdmin[PanelType]):
    list_display = ("name", "slug", "quorum_minimum", "cost_threshold", "is_active")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: PanelType, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action="panel.updated" if change else "panel.created",
            obj=obj,
            changes={f: form.cleaned_data.get(f) for f in form.changed_data},
        )


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin[PanelMember]):
    list_display = ("user", "professional_role", "organisation", "is_active")
    list_filter = ("professional_role", "panel_types", "is_active")
    filter_horizontal = ("panel_types",)
    raw_id_fields = ("user",)

    def save_model(self, request: HttpRequest, obj: PanelMember, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action="panel_member.updated" if change else "panel_member.created",
            obj=obj,
            changes={f: form.cleaned_data.get(f) for f in form.changed_data},
        )


class FundingBandForm(VersionedAdminForm):
    class Meta:
        model = FundingBand
        fields = ["kind", "code", "name", "annual_value", "effective_from", "effective_to"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", BAND_ENDS_BEFORE_START)
        elif start and data.get("kind") and data.get("code"):
            candidate = FundingBand(
                pk=self.instance.pk,
                kind=data["kind"],
                code=data["code"],
                effective_from=start,
                effective_to=end,
            )
            clash = overlapping_band(candidate)
            if clash is not None:
                self.add_error(
                    "effective_from", f"This period overlaps {clash} from {clash.effective_from}"
                )
        return data


@admin.register(FundingBand)
class FundingBandAdmin(VersionedAdminMixin, admin.ModelAdmin[FundingBand]):
    form = FundingBandForm
    list_display = ("code", "name", "kind", "annual_value", "effective_from", "effective_to")
    list_filter = ("kind",)

    def save_model(self, request: HttpRequest, obj: FundingBand, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action="funding_band.updated" if change else "funding_band.created",
            obj=obj,
            changes={f: form.cleaned_data.get(f) for f in form.changed_data},
        )


@admin.register(PanelMeeting)
class PanelMeetingAdmin(admin.ModelAdmin[PanelMeeting]):
    list_display = ("panel", "held_on", "chair", "status")
    list_filter = ("panel", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
