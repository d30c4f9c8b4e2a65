from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "send_cms.common"
    label = "common"
    verbose_name = "Common"
