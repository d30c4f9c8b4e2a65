from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "send_cms.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from send_cms.accounts import sessions

        sessions.connect()
