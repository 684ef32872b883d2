from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    It comes first, so static files and /healthz get them too; Django's own
    SecurityMiddleware (nosniff, Referrer-Policy, Cross-Origin-Opener-Policy,
    HSTS) already wraps WhiteNoise. The pages have no inline script, so the
    policy needs no nonce."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": "; ".join(
                f"{name} {' '.join(sources)}"
                for name, sources in settings.CONTENT_SECURITY_POLICY.items()
            ),
            "Permissions-Policy": ", ".join(
                f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED
            ),
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
