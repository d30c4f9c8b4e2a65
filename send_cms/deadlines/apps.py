from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "send_cms.deadlines"
    label = "deadlines"
    verbose_name = "Statutory deadlines"

    def ready(self) -> None:
        from send_cms.deadlines.calendar import connect_request_signals

        connect_request_signals()
