"""The installable app: web app manifest, service worker and offline page.

They are served from the site root (a service worker controls only the paths
below its own URL), by the project package because they belong to no one app."""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sessions.models import MassageSession

THEME_COLOUR = "#0b6e4f"
BACKGROUND_COLOUR = "#ffffff"
SERVICE_WORKER = (Path(__file__).with_name("sw.js")).read_text()
# Bootstrap comes from its package; everything in our own static/ is ours.
PACKAGE_STATIC = (
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/js/bootstrap.bundle.min.js",
)
PRECACHED_FOLDERS = ("css", "js", "img")


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    data = {
        "id": "/",
        "name": "Footcare",
        "short_name": "Footcare",
        "description": "Keep a daily foot-massage habit: log a session in two taps.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": static("img/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": static("img/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        # A long press on the installed app's icon offers these.
        "shortcuts": [
            {
                "name": "Log a session",
                "short_name": "Log",
                "url": reverse("sessions:new"),
                "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}],
            },
            {
                "name": "Guided session",
                "short_name": "Guide",
                "url": reverse("sessions:guide"),
                "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}],
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@functools.cache
def precached_urls():
    """The static files every page may use, under their served (hashed) names,
    and the offline page."""
    root = Path(settings.STATICFILES_DIRS[0])
    names = [
        path.relative_to(root).as_posix()
        for folder in PRECACHED_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    ]
    return [reverse("offline"), *(static(name) for name in (*PACKAGE_STATIC, *names))]


@require_GET
@cache_control(no_cache=True)  # a new deployment reaches browsers at once
def service_worker(request):
    urls = precached_urls()
    # The version changes with every precached file (a hashed name changes with
    # its content) and with the offline page as its templates render it now, so
    # a release that changes either reaches browsers that installed the app.
    page = render_to_string("offline.html", offline_context())
    version = hashlib.sha256("\n".join([*urls, page]).encode()).hexdigest()[:12]
    prelude = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const OFFLINE_URL = {json.dumps(reverse('offline'))};\n"
        f"const STATIC_URL = {json.dumps(settings.STATIC_URL)};\n"
        f"const PRECACHE = {json.dumps(urls)};\n"
    )
    return HttpResponse(prelude + SERVICE_WORKER, content_type="text/javascript")


def offline_context():
    # The same for everyone: the service worker keeps one copy for all users of
    # the browser, so nothing on it may depend on who asked.
    return {
        "user": AnonymousUser(),
        "messages": [],
        # Its small log form (static/js/offline-log.js).
        "comfort_choices": MassageSession.Comfort.choices,
    }


@require_GET
def offline(request):
    return render(request, "offline.html", offline_context())
