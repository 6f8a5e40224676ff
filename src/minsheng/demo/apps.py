from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DemoConfig(AppConfig):
    name = "minsheng.demo"
    label = "demo"
    verbose_name = gettext_lazy("演示数据")
