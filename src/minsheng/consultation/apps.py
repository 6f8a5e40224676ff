from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "minsheng.consultation"
    label = "consultation"
    verbose_name = "建言征集"
