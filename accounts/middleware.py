from django.utils import timezone
from django.utils.cache import patch_cache_control


class UserTimezoneMiddleware:
    """Show and read every date and time in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            timezone.activate(request.user.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class NoStoreForAuthenticatedMiddleware:
    """Keep signed-in pages out of browser and shared caches, so that after logging
    out the back button cannot bring them back from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
