from django.apps import AppConfig


class StreaksConfig(AppConfig):
    name = "streaks"
    verbose_name = "Streaks"

    def ready(self):
        from streaks import signals

        signals.connect()
