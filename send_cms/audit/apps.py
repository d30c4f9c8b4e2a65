from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "send_cms.audit"
    label = "audit"
    verbose_name = "Audit trail"
