from django.contrib import admin

from sessions.models import MassageSession, Technique


@admin.register(Technique)
class TechniqueAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "position", "archived", "created_at")
    list_filter = ("archived", ("user", admin.EmptyFieldListFilter))
    search_fields = ("name", "how_to", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        # An own technique stays with its account: its sessions are the owner's.
        return self.readonly_fields + (("user",) if obj else ())


@admin.register(MassageSession)
class MassageSessionAdmin(admin.ModelAdmin):
    list_display = (
        "local_date",
        "user",
        "started_at",
        "timezone",
        "duration_minutes",
        "comfort",
        "pressure",
    )
    list_filter = ("comfort", "pressure", "local_date")
    search_fields = ("user__username", "notes")
    date_hierarchy = "local_date"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    filter_horizontal = ("techniques",)
    # When and where decide the stored day: edit those through the app's own form.
    readonly_fields = (
        "started_at",
        "timezone",
        "local_date",
        "local_time",
        "submission_token",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request, obj=None):
        # A session stays with its account: moving it would leave the stored
        # days of both accounts wrong.
        return self.readonly_fields + (("user",) if obj else ())
