from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Panels"

    def ready(self) -> None:
        from cases.documents import register_attachable
        from cases.rules import register_panel_member_children
        from panels.models import AgendaItem
        from panels.rules import agenda_child_ids

        # A panel member reads the records of the children on their panels' agendas.
        register_panel_member_children(agenda_child_ids)
        # Papers for an agenda item (reports, the family's views) are documents on the child.
        register_attachable(
            name="panel_item",
            label="Panel agenda item",
            model=AgendaItem,
            child_id_of=lambda item: item.child_id,
            records_of=lambda child_id: (
                AgendaItem.objects.filter(child_id=child_id)
                .select_related("meeting__panel")
                .order_by("-meeting__held_on")
            ),
            describe=lambda item: f"{item.get_kind_display()}, {item.meeting}",
        )
