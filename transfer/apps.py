from django.apps import AppConfig


class TransferConfig(AppConfig):
    """Export, import and backups: above every other app (it moves all their
    data), and nothing below imports it."""

    name = "transfer"
    verbose_name = "Export, import and backups"
