from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Casework: children, assessment requests and plans"

    def ready(self) -> None:
        from cases.deadlines import all_child_ids, steps_for_children
        from send_cms.deadlines import registry

        registry.register(steps_for_children)
        registry.register_children(all_child_ids)
