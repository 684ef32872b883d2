from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API for personal tokens (shortcuts, home automation, scripts):
    a thin layer over the logbook's model functions and form rules, above
    every app it reads, and imported by none of them."""

    name = "api"
    verbose_name = "API"
