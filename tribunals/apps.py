from django.apps import AppConfig


class TribunalsConfig(AppConfig):
    name = "tribunals"
    verbose_name = "Mediation and tribunal appeals"

    def ready(self) -> None:
        from cases.documents import register_attachable
        from cases.services.plans import register_cease_appeals
        from send_cms.deadlines import registry
        from tribunals.deadlines import steps_for_children
        from tribunals.models import Appeal
        from tribunals.selectors.cease import cease_appeals_for

        registry.register(steps_for_children)
        # A plan must not cease while the family may still appeal, or an appeal is open.
        register_cease_appeals(cease_appeals_for)
        # An appeal's papers (the bundle, evidence, the decision) are documents on the child.
        register_attachable(
            name="appeal",
            label="Appeal",
            model=Appeal,
            child_id_of=lambda appeal: appeal.child_id,
            records_of=lambda child_id: Appeal.objects.filter(child_id=child_id).order_by(
                "-received_by_la_on"
            ),
            describe=lambda appeal: (
                f"{appeal.get_appeal_type_display()}, received {appeal.received_by_la_on:%-d %b %Y}"
                + (f" ({appeal.tribunal_reference})" if appeal.tribunal_reference else "")
            ),
        )
