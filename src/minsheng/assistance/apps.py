from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "minsheng.assistance"
    label = "assistance"
    verbose_name = "救助服务"
