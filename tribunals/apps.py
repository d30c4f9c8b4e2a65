from django.apps import AppConfig


class TribunalsConfig(AppConfig):
    name = "tribunals"
    verbose_name = "Mediation and tribunal appeals"

    def ready(self) -> None:
        from send_cms.deadlines import registry
        from tribunals.deadlines import steps_for_children

        registry.register(steps_for_children)
