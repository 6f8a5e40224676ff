from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WebConfig(AppConfig):
    """The project as an app only so that its sign-in signals connect at start-up (web sits above the apps)."""

    name = "minsheng.web"
    label = "web"
    verbose_name = gettext_lazy("民声")

    def ready(self) -> None:
        from minsheng.web import signin  # noqa: F401  (connects the short staff session on sign-in)
