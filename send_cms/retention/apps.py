from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RetentionConfig(AppConfig):
    name = "send_cms.retention"
    label = "retention"
    verbose_name = "Retention and subject access"

    def ready(self) -> None:
        # Each domain app says, in its own `retention.py`, which of its records are due and
        # how they are disposed of and exported (send_cms.retention.registry), as the admin
        # finds `admin.py`: cross-cutting code never imports the domain apps.
        autodiscover_modules("retention")
