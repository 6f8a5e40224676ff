from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AssistanceConfig(AppConfig):
    name = "minsheng.assistance"
    label = "assistance"
    verbose_name = gettext_lazy("救助服务")
