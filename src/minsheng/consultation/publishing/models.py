"""The public results page of a campaign."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from minsheng.consultation.analysis.models import AnalysisRun
from minsheng.consultation.intake.models import Campaign


class PublishedResults(models.Model):
    """The campaign's public results page: off until the owner publishes it, with an optional foreword."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="published")
    run = models.ForeignKey(AnalysisRun, null=True, on_delete=models.SET_NULL, related_name="+")
    foreword = models.TextField(gettext_lazy("说明"), blank=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("公开的征集结果")
        verbose_name_plural = gettext_lazy("公开的征集结果")

