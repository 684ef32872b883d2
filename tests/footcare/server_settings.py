"""Production settings for app servers started by tests: everything from the
environment (PostgreSQL, Redis, secure defaults) except the static files
manifest, which would need a collectstatic first."""

from footcare.settings import *  # noqa: F403
from footcare.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
