from django.apps import AppConfig


class StreaksConfig(AppConfig):
    name = "streaks"
    verbose_name = "Streaks"
