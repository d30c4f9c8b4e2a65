from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from send_cms.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Casework", {"fields": ("job_title", "team")}),
    )
    list_display = ("username", "first_name", "last_name", "team", "is_active")
    list_filter = ("groups", "is_active", "team")
