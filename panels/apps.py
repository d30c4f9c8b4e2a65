from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Panels"

    def ready(self) -> None:
        from cases.rules import register_panel_member_children
        from panels.rules import agenda_child_ids

        # A panel member reads the records of the children on their panels' agendas.
        register_panel_member_children(agenda_child_ids)
