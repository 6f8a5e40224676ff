"""The department workbench: moves between departments, replies (to one or many suggestions), notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from minsheng.accounts.models import Organisation
from minsheng.consultation.analysis.models import DigestSuggestion, Theme
from minsheng.consultation.intake.models import Campaign, Suggestion


class DepartmentAssignment(models.Model):
    """Every change of a suggestion's department, by a run or a person; people's changes train the router."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    from_department = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    to_department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    is_correction = models.BooleanField(default=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("分办记录")
        verbose_name_plural = gettext_lazy("分办记录")
        ordering = ["-created_at", "-id"]


class Reply(models.Model):
    """A department's answer; one reply may answer a whole duplicate group or theme (``suggestions``)."""

    class Outcome(models.TextChoices):
        REPLIED = "replied", gettext_lazy("已答复")
        ADOPTED = "adopted", gettext_lazy("采纳")
        PARTLY_ADOPTED = "partly_adopted", gettext_lazy("部分采纳")
        NOTED = "noted", gettext_lazy("留作参考")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="replies")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(gettext_lazy("处理结果"), max_length=20, choices=Outcome.choices, default=Outcome.REPLIED)
    text = models.TextField(gettext_lazy("答复内容"))
    note = models.TextField(gettext_lazy("采纳说明"), blank=True)
    scope = models.CharField(max_length=20, default="one")  # one | group | theme | digest
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    digest = models.ForeignKey(DigestSuggestion, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="replies")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("答复")
        verbose_name_plural = gettext_lazy("答复")
        ordering = ["-created_at", "-id"]

    @property
    def note_heading(self) -> str:
        """What the note is, on the receipt and in the message to the citizen: 留作参考 must give its reason."""
        return gettext("未采纳的原因：") if self.outcome == self.Outcome.NOTED else gettext("采纳说明：")


class SuggestionReply(models.Model):
    """Which reply answers which suggestion; a suggestion keeps its latest reply as its answer."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="links")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="reply_links")

    class Meta:
        verbose_name = gettext_lazy("建议的答复")
        verbose_name_plural = gettext_lazy("建议的答复")
        constraints = [models.UniqueConstraint(fields=["reply", "suggestion"], name="unique_reply_link")]


class Notification(models.Model):
    """One message to a contributor about one outcome. The unique key makes a second send impossible."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20)  # the outcome that was announced
    channel = models.CharField(max_length=10)  # email | sms
    reply = models.ForeignKey(Reply, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("通知")
        verbose_name_plural = gettext_lazy("通知")
        constraints = [models.UniqueConstraint(fields=["suggestion", "kind"], name="unique_notification")]


class ReplyRating(models.Model):
    """The citizen's own verdict on a reply, from the receipt page (12345: 满意 / 基本满意 / 不满意).

    One per reply and suggestion; 不满意 sends the suggestion back to the department's 未办.
    """

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", gettext_lazy("满意")
        BASICALLY = "basically", gettext_lazy("基本满意")
        UNSATISFIED = "unsatisfied", gettext_lazy("不满意")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="ratings")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(gettext_lazy("评价"), max_length=12, choices=Rating.choices)
    comment = models.CharField(gettext_lazy("意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("答复评价")
        verbose_name_plural = gettext_lazy("答复评价")
        constraints = [models.UniqueConstraint(fields=["suggestion", "reply"], name="one_rating_per_reply")]


class ReplyTemplate(models.Model):
    """常用语: a department's standard wording that an officer starts a reply from (and then edits)."""

    department = models.ForeignKey(Organisation, verbose_name=gettext_lazy("部门"), on_delete=models.CASCADE,
                                   related_name="reply_templates")
    title = models.CharField(gettext_lazy("名称"), max_length=50)
    text = models.TextField(gettext_lazy("内容"), max_length=2000)

    class Meta:
        verbose_name = gettext_lazy("答复常用语")
        verbose_name_plural = gettext_lazy("答复常用语")
        ordering = ["department", "title"]

    def __str__(self) -> str:
        return f"{self.department} · {self.title}"
