from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "send_cms.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
