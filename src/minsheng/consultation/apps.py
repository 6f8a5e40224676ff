from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConsultationConfig(AppConfig):
    name = "minsheng.consultation"
    label = "consultation"
    verbose_name = gettext_lazy("建言征集")
