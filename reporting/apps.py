from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting and statutory returns"

    def ready(self) -> None:
        # Celery's autodiscovery imports only reporting.tasks: register the SEN2 build task too.
        import reporting.high_needs.tasks  # the high-needs pack's build
        import reporting.sen2.validation_tasks  # noqa: F401  (the nightly validation count)
        from reporting.sen2 import tasks  # noqa: F401
