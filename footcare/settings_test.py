"""Settings for the test suite: production settings with test-only relaxations.

Tests run over plain HTTP (the test client and live_server), without a
collectstatic manifest, and hash passwords fast."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-tests-only")

from footcare.settings import *  # noqa: E402, F403
from footcare.settings import STORAGES  # noqa: E402

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
# No page needs a cache to be right or fast: the whole suite runs with the
# cache off. Tests of the cache itself (/healthz) or of Redis (tests/footcare/
# servers.py) configure one for themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
SLOW_QUERY_MS = 0
# A fixed Web Push key for tests only (never a real site's): pages need no query
# for it. tests/accounts/test_vapid_key.py empties it to test the stored key.
VAPID_PRIVATE_KEY = "Dr2PDztQQFqbKoYctuoe5b0bPfLPCUQmAtJX5WVuNWs"
VAPID_SUBJECT = "mailto:tests@example.com"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the race tests run real threads, and each thread's own
    # connection must wait on the busy timeout as in production (an in-memory
    # shared-cache database answers "table is locked" at once instead). One file
    # per run, so two runs at once (the suite and the browser tests) never meet.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test_footcare_{os.getpid()}.sqlite3")  # noqa: F405
    }
