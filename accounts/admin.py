from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "email",
        "timezone",
        "date_joined",
        "last_login",
        "is_staff",
    )
    list_filter = ("is_staff", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "Practice",
            {
                "fields": (
                    "timezone",
                    "day_start_hour",
                    "weekly_target",
                    "email_reminders",
                )
            },
        ),
    )
