from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import PushSubscription, User


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
    # Every day's figures follow the target (sessions.days): changed by the
    # user on the Settings page, which works them out again.
    readonly_fields = ("weekly_target",)
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
                    "quiet_hours",
                    "quiet_from",
                    "quiet_until",
                )
            },
        ),
    )


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Devices that get notifications; removing one here stops them."""

    list_display = ("name", "user", "created_at", "last_used_at")
    search_fields = ("user__username", "name")
    list_select_related = ("user",)
    fields = ("user", "name", "endpoint", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
