from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WebConfig(AppConfig):
    """The project as an app only so that its sign-in signals connect at start-up (web sits above the apps)."""

    name = "minsheng.web"
    label = "web"
    verbose_name = gettext_lazy("民声")

    def ready(self) -> None:
        from django.apps import apps

        from minsheng.web import signin  # noqa: F401  (connects the short staff session on sign-in)

        # Third-party apps the admin lists, named in Chinese (their own names are English and not translatable).
        apps.get_app_config("axes").verbose_name = gettext_lazy("登录防护")
        apps.get_app_config("django_tasks_database").verbose_name = gettext_lazy("后台任务")
        signin.name_sign_in_records()
        from minsheng.web.second_factor import admin_requires_verified_session, check_roles

        admin_requires_verified_session()
        check_roles()
