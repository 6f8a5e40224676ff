from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "minsheng.accounts"
    label = "accounts"
    verbose_name = "账户与组织"

    def ready(self) -> None:
        from minsheng.web import signin  # noqa: F401  (connects the short staff session on sign-in)
