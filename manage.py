#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "footcare.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings now)
    except ImproperlyConfigured as exc:
        # Otherwise Django hides this behind "AppRegistryNotReady".
        sys.exit(
            f"manage.py: {exc}\n"
            "For development, set DJANGO_DEBUG=1 (make run and make test do)."
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
