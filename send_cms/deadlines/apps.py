from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "send_cms.deadlines"
    label = "deadlines"
    verbose_name = "Statutory deadlines"
