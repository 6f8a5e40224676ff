"""The 12345 handling loop around a department's answer: time limits, the handling log (退回, 延期, reminders),
extension requests, and actions their author may take back for a few minutes (撤销)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import Organisation
from minsheng.consultation.intake.models import Campaign, Suggestion


class HandlingLimit(models.Model):
    """A department's own 办理时限 in one campaign, instead of the campaign's default."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="handling_limits")
    department = models.ForeignKey(Organisation, verbose_name=_("部门"), on_delete=models.CASCADE,
                                   related_name="+")
    days = models.PositiveSmallIntegerField(_("办理时限（天）"),
                                            validators=[MinValueValidator(1), MaxValueValidator(365)])

    class Meta:
        verbose_name = _("部门办理时限")
        verbose_name_plural = _("部门办理时限")
        constraints = [models.UniqueConstraint(fields=["campaign", "department"], name="one_limit_per_department")]


class HandlingEvent(models.Model):
    """One line of a suggestion's 办理记录 (who, when, what, why). Append-only: an answer taken back keeps its
    line, followed by the 撤销 one.

    Reminders are events too; one per suggestion, kind and due time (the unique constraint), so the reminder
    job can run any number of times and an officer hears about each deadline once — again only if an
    approved extension moves it.
    """

    class Action(models.TextChoices):
        DISPATCH = "dispatch", _("分派")
        RETURN = "return", _("退回")
        EXTENSION_REQUEST = "extension_request", _("申请延期")
        EXTENSION_APPROVE = "extension_approve", _("同意延期")
        EXTENSION_REFUSE = "extension_refuse", _("不同意延期")
        REMIND_DUE = "remind_due", _("即将到期提醒")
        REMIND_OVERDUE = "remind_overdue", _("超时提醒")
        UNDO = "undo", _("撤销")
        REASSIGN = "reassign", _("转交")
        # An answer, one line per suggestion it answers; the values are Reply.Outcome's (the event is the outcome).
        REPLIED = "replied", _("答复")
        ADOPTED = "adopted", _("采纳")
        PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
        NOTED = "noted", _("留作参考")

    REMINDERS = (Action.REMIND_DUE, Action.REMIND_OVERDUE)

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="handling_events")
    department = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    text = models.CharField(_("说明"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("办理记录")
        verbose_name_plural = gettext_lazy("办理记录")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "action", "due_at"],
                                               condition=Q(action__in=["remind_due", "remind_overdue"]),
                                               name="one_reminder_per_due_time")]
        indexes = [models.Index(fields=["action", "at"], name="handling_event_action")]


class ExtensionRequest(models.Model):
    """延期: an officer asks for more days with a reason; the campaign's manager approves or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("延长天数"), validators=[MinValueValidator(1), MaxValueValidator(60)])
    reason = models.CharField(_("延期理由"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("延期申请")
        verbose_name_plural = gettext_lazy("延期申请")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["suggestion"], condition=Q(status="pending"),
                                               name="one_pending_extension")]


class UndoableAction(models.Model):
    """A destructive or mass action, kept with what it changed so its author can take it back (撤销) for
    ``UNDO_MINUTES``: 结束征集, 吊销 an API key, an answer (to one suggestion or a whole group)."""

    class Kind(models.TextChoices):
        CAMPAIGN_CLOSE = "campaign_close", _("结束征集")
        KEY_REVOKE = "key_revoke", _("吊销密钥")
        # Stored as "group_reply": only whole groups could be taken back before single replies could too.
        REPLY = "group_reply", _("答复")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    label = models.CharField(max_length=200)
    before = models.JSONField(default=dict)
    done_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("可撤销的操作")
        verbose_name_plural = gettext_lazy("可撤销的操作")
        ordering = ["-done_at", "-id"]
        indexes = [models.Index(fields=["actor", "done_at"], name="undo_recent")]

    @property
    def deadline(self):
        from datetime import timedelta

        return self.done_at + timedelta(minutes=settings.UNDO_MINUTES)
