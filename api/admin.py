from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and revoked (deleted) here, never made: a token is
    shown once, to its owner, on Settings → Apps and shortcuts."""

    list_display = ("name", "user", "scope", "created_at", "last_used_at")
    list_filter = ("scope",)
    search_fields = ("name", "user__username")
    readonly_fields = ("user", "name", "scope", "created_at", "last_used_at")
    exclude = ("token_hash",)

    def has_add_permission(self, request):
        return False
