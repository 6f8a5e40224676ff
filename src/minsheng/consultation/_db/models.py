"""Infrastructure tables: counters kept by triggers and the shared rate-limit windows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class SuggestionCount(models.Model):
    """How many suggestions a campaign holds by (channel, source, status), kept by database triggers.

    Written only by the triggers in :mod:`minsheng.consultation.migrations._counters`, never by Python code; read with
    ``SUM(n)`` over the shards. ``channel_pk`` is the channel's id, 0 for the public page and file imports.
    """

    campaign = models.ForeignKey("consultation.Campaign", on_delete=models.CASCADE, related_name="+", db_index=False)
    channel_pk = models.BigIntegerField(default=0)
    source = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    shard = models.SmallIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("建议计数")
        verbose_name_plural = gettext_lazy("建议计数")
        constraints = [models.UniqueConstraint(fields=["campaign", "channel_pk", "source", "status", "shard"],
                                               name="unique_suggestion_count")]


class RateWindow(models.Model):
    """A fixed one-minute (or one-day) counter shared by all server processes through the database."""

    key = models.CharField(max_length=120)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("频率限制窗口")
        verbose_name_plural = gettext_lazy("频率限制窗口")
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="unique_rate_window")]
