from django.contrib import admin

from streaks.models import ReminderDelivery, ReminderSend


class ReminderDeliveryInline(admin.TabularInline):
    model = ReminderDelivery
    fields = ("channel", "subscription", "status", "attempts", "error", "sent_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ReminderSend)
class ReminderSendAdmin(admin.ModelAdmin):
    """What send_reminders did: to see a failure's error, not to edit."""

    list_display = ("date", "user", "slot", "round", "status", "attempts", "claimed_at")
    inlines = [ReminderDeliveryInline]
    list_filter = ("status", "date")
    search_fields = ("user__username", "user__email", "error")
    list_select_related = ("user", "slot")
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
