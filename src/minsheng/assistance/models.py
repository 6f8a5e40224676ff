"""Recipients, their needs, and everything that happens to a need from intake to closure.

A need walks one path (see ``Need.Status``): 待沟通 → 待派单 → 待接单 → 已接单 → 服务中 → 待回访 → 已办结, and a
dissatisfied revisit sends it back to 待派单. Every table that can change carries the area it belongs to (directly
or through its need), because area-scoped access is the rule every read obeys.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import Area, Organisation
from minsheng.engine.masking import is_phone


def phone_validator(value: str) -> None:
    """A number a phone plan dials (:func:`minsheng.engine.masking.is_phone`: a mainland mobile, a landline with
    its area code and an optional extension); anything else is refused: the phone is dialled by providers and
    written into CSV exports. One rule with the engine's: this field's own looser pattern took 0734-1234567 (no
    local number starts with 1) and refused (0734)8123456, which the engine reads as a phone."""
    if not is_phone(value):
        raise ValidationError(gettext_lazy("请填写11位手机号或带区号的固定电话，如 13812345678、0734-8123456"),
                              code="invalid")


class NeedType(models.TextChoices):
    DAILY_CARE = "daily_care", gettext_lazy("生活照料")
    COMPANIONSHIP = "companionship", gettext_lazy("精神慰藉")
    DEVICE_TEACHING = "device_teaching", gettext_lazy("智能设备教学")
    MEDICAL_ESCORT = "medical_escort", gettext_lazy("医疗陪护")
    POLICY = "policy", gettext_lazy("政策咨询")
    COUNSELLING = "counselling", gettext_lazy("心理疏导")
    RECREATION = "recreation", gettext_lazy("文体活动")
    MATERIAL = "material", gettext_lazy("物质救助")
    PAPERWORK = "paperwork", gettext_lazy("代办帮办")
    OTHER = "other", gettext_lazy("其他")


class Category(models.TextChoices):
    DIBAO = "dibao", gettext_lazy("低保")
    TEKUN = "tekun", gettext_lazy("特困")
    LOW_INCOME = "low_income", gettext_lazy("低收入")
    DISABLED = "disabled", gettext_lazy("残疾")
    LEFT_BEHIND_ELDERLY = "left_elderly", gettext_lazy("留守老人")
    LEFT_BEHIND_CHILD = "left_child", gettext_lazy("留守儿童")
    OTHER = "other", gettext_lazy("其他")


class Urgency(models.TextChoices):
    URGENT = "urgent", gettext_lazy("紧急")
    HIGH = "high", gettext_lazy("较急")
    NORMAL = "normal", gettext_lazy("一般")
    LOW = "low", gettext_lazy("不急")


class Provider(models.Model):
    """A person who delivers services: a social worker, volunteer, work-team member or cadre."""

    class Kind(models.TextChoices):
        SOCIAL_WORKER = "social_worker", gettext_lazy("社工")
        VOLUNTEER = "volunteer", gettext_lazy("志愿者")
        WORK_TEAM = "work_team", gettext_lazy("驻村工作队员")
        CADRE = "cadre", gettext_lazy("村干部")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("账号"),
                                on_delete=models.PROTECT, related_name="provider")
    kind = models.CharField(gettext_lazy("类型"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=gettext_lazy("所属单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="providers")
    skills = models.JSONField(gettext_lazy("擅长服务"), default=list, blank=True, help_text=gettext_lazy("需求类型编码列表"))
    areas = models.ManyToManyField(Area, verbose_name=gettext_lazy("服务区域"), related_name="providers")
    available = models.BooleanField(gettext_lazy("可接单"), default=True)
    availability_note = models.CharField(gettext_lazy("可服务时间"), max_length=100, blank=True)
    max_open = models.PositiveSmallIntegerField(gettext_lazy("同时在办上限"), default=8)

    class Meta:
        verbose_name = gettext_lazy("服务人员")
        verbose_name_plural = gettext_lazy("服务人员")

    def __str__(self) -> str:
        return str(self.user)


class Recipient(models.Model):
    """A person the platform serves. The ID number is stored only encrypted, with a keyed hash to find it."""

    name = models.CharField(gettext_lazy("姓名"), max_length=50)
    id_encrypted = models.TextField(gettext_lazy("身份证号（密文）"), editable=False)
    id_hash = models.CharField(gettext_lazy("身份证号索引"), max_length=64, unique=True, editable=False)
    id_masked = models.CharField(gettext_lazy("身份证号（脱敏）"), max_length=18, editable=False)
    gender = models.CharField(gettext_lazy("性别"), max_length=2, blank=True)
    birth_date = models.DateField(gettext_lazy("出生日期"), null=True, blank=True)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所在村/社区"), on_delete=models.PROTECT, related_name="recipients")
    category = models.CharField(gettext_lazy("救助类别"), max_length=20, choices=Category.choices)
    address = models.CharField(gettext_lazy("住址"), max_length=200, blank=True)
    phone = models.CharField(gettext_lazy("联系电话"), max_length=30, blank=True, validators=[phone_validator])
    household_size = models.PositiveSmallIntegerField(gettext_lazy("家庭人口"), default=1)
    household_note = models.CharField(gettext_lazy("家庭情况"), max_length=300, blank=True)
    guardian_name = models.CharField(gettext_lazy("监护人/亲属"), max_length=50, blank=True)
    guardian_relation = models.CharField(gettext_lazy("关系"), max_length=20, blank=True)
    guardian_phone = models.CharField(gettext_lazy("亲属电话"), max_length=30, blank=True, validators=[phone_validator])
    consent_at = models.DateTimeField(gettext_lazy("同意登记时间"), null=True, blank=True)
    consent_note = models.CharField(gettext_lazy("同意方式"), max_length=200, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("本人账号"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="recipient")
    last_contact_at = models.DateTimeField(gettext_lazy("最近联系"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("登记人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("登记时间"))

    class Meta:
        verbose_name = gettext_lazy("救助对象")
        verbose_name_plural = gettext_lazy("救助对象")
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = date.today()
        return today.year - self.birth_date.year - ((today.month, today.day) < (self.birth_date.month,
                                                                               self.birth_date.day))


class Need(models.Model):
    class Status(models.TextChoices):
        NEW = "new", gettext_lazy("待沟通")
        COMMUNICATED = "communicated", gettext_lazy("待派单")
        DISPATCHED = "dispatched", gettext_lazy("待接单")
        ACCEPTED = "accepted", gettext_lazy("已接单")
        IN_SERVICE = "in_service", gettext_lazy("服务中")
        SERVED = "served", gettext_lazy("待回访")
        CLOSED = "closed", gettext_lazy("已办结")

    class Channel(models.TextChoices):
        SELF = "self", gettext_lazy("本人提交")
        SOCIAL_WORKER = "social_worker", gettext_lazy("社工代录")
        CADRE = "cadre", gettext_lazy("村干部代录")
        WORK_TEAM = "work_team", gettext_lazy("工作队代录")
        PHONE = "phone", gettext_lazy("电话")
        VISIT = "visit", gettext_lazy("走访发现")

    OPEN_STATUSES = (Status.NEW, Status.COMMUNICATED, Status.DISPATCHED, Status.ACCEPTED, Status.IN_SERVICE)

    recipient = models.ForeignKey(Recipient, verbose_name=gettext_lazy("救助对象"), on_delete=models.PROTECT, related_name="needs")
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("区域"), on_delete=models.PROTECT, related_name="needs")
    need_type = models.CharField(gettext_lazy("需求类型"), max_length=20, choices=NeedType.choices)
    urgency = models.CharField(gettext_lazy("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(gettext_lazy("需求描述"), max_length=2000)
    goal = models.CharField(gettext_lazy("期望效果"), max_length=100, blank=True, help_text=gettext_lazy("如：能与家人视频通话"))
    channel = models.CharField(gettext_lazy("来源"), max_length=20, choices=Channel.choices)
    status = models.CharField(gettext_lazy("状态"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    provider = models.ForeignKey(Provider, verbose_name=gettext_lazy("当前服务人员"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="needs")
    due_at = models.DateTimeField(gettext_lazy("办理时限"))
    escalation_level = models.PositiveSmallIntegerField(gettext_lazy("督办级别"), default=0)
    first_contact_at = models.DateTimeField(gettext_lazy("首次沟通"), null=True, blank=True)
    served_at = models.DateTimeField(gettext_lazy("服务完成"), null=True, blank=True)
    closed_at = models.DateTimeField(gettext_lazy("办结时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(gettext_lazy("重开次数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("登记人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("登记时间"))

    class Meta:
        verbose_name = gettext_lazy("服务需求")
        verbose_name_plural = gettext_lazy("服务需求")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.recipient.name} · {self.get_need_type_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Communication(models.Model):
    """服务前沟通: who talked to the recipient, when, how, and what was agreed. Required before dispatch."""

    class Mode(models.TextChoices):
        VISIT = "visit", gettext_lazy("上门")
        PHONE = "phone", gettext_lazy("电话")
        VIDEO = "video", gettext_lazy("视频")
        OFFICE = "office", gettext_lazy("来访")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="communications")
    talked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    talked_at = models.DateTimeField(gettext_lazy("沟通时间"))
    mode = models.CharField(gettext_lazy("方式"), max_length=10, choices=Mode.choices)
    agreed = models.TextField(gettext_lazy("沟通内容与约定"), max_length=2000)
    appointment_at = models.DateTimeField(gettext_lazy("约定上门时间"), null=True, blank=True,
                                          help_text=gettext_lazy("派单时显示，并按服务人员的可服务时间排序"))

    class Meta:
        verbose_name = gettext_lazy("服务前沟通")
        verbose_name_plural = gettext_lazy("服务前沟通")
        ordering = ["talked_at"]


class Assignment(models.Model):
    """One offer of a need to a provider, with the ranking reasons the dispatcher saw."""

    class Status(models.TextChoices):
        OFFERED = "offered", gettext_lazy("待接单")
        ACCEPTED = "accepted", gettext_lazy("已接单")
        DECLINED = "declined", gettext_lazy("已拒单")
        DONE = "done", gettext_lazy("已完成")
        WITHDRAWN = "withdrawn", gettext_lazy("已撤回")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="assignments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(gettext_lazy("派单时间"))
    score = models.FloatField(gettext_lazy("匹配分"), default=0)
    reasons = models.JSONField(gettext_lazy("匹配理由"), default=list)
    responded_at = models.DateTimeField(gettext_lazy("响应时间"), null=True, blank=True)
    decline_reason = models.CharField(gettext_lazy("拒单理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = gettext_lazy("派单")
        verbose_name_plural = gettext_lazy("派单")
        ordering = ["assigned_at"]


class Visit(models.Model):
    """One service visit: check-in and check-out with time and place, what was done, the outcome."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="visits")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="visits")
    checkin_at = models.DateTimeField(gettext_lazy("签到时间"))
    checkin_place = models.CharField(gettext_lazy("签到地点"), max_length=200)
    # The phone's position at check-in, taken with the provider's consent; empty when typed by hand (fallback).
    checkin_lat = models.FloatField(gettext_lazy("签到纬度"), null=True, blank=True)
    checkin_lon = models.FloatField(gettext_lazy("签到经度"), null=True, blank=True)
    checkin_accuracy = models.FloatField(gettext_lazy("定位精度（米）"), null=True, blank=True)
    checkout_at = models.DateTimeField(gettext_lazy("签退时间"), null=True, blank=True)
    checkout_place = models.CharField(gettext_lazy("签退地点"), max_length=200, blank=True)
    work_done = models.TextField(gettext_lazy("服务内容"), max_length=2000, blank=True)
    outcome = models.CharField(gettext_lazy("服务效果"), max_length=500, blank=True)

    class Meta:
        verbose_name = gettext_lazy("上门服务")
        verbose_name_plural = gettext_lazy("上门服务")
        ordering = ["checkin_at"]
        constraints = [
            # Belt and braces behind the service check: one open visit per provider and need.
            models.UniqueConstraint(fields=["need", "provider"], condition=models.Q(checkout_at__isnull=True),
                                    name="one_open_visit"),
        ]


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"assistance/{instance.visit.need_id}/{instance.visit_id}/{filename}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", gettext_lazy("照片")
        DOCUMENT = "document", gettext_lazy("文件")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(gettext_lazy("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(gettext_lazy("文件"), upload_to=_attachment_path)
    original_name = models.CharField(gettext_lazy("原文件名"), max_length=200)
    content_type = models.CharField(gettext_lazy("文件类型"), max_length=50)
    size = models.PositiveIntegerField(gettext_lazy("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(gettext_lazy("上传时间"))

    class Meta:
        verbose_name = gettext_lazy("附件")
        verbose_name_plural = gettext_lazy("附件")


class Feedback(models.Model):
    """服务后反馈: from the recipient or a revisit (回访) by someone other than the provider."""

    class Source(models.TextChoices):
        RECIPIENT = "recipient", gettext_lazy("本人评价")
        REVISIT = "revisit", gettext_lazy("回访")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="feedback")
    source = models.CharField(gettext_lazy("来源"), max_length=10, choices=Source.choices)
    satisfaction = models.PositiveSmallIntegerField(gettext_lazy("满意度"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(5)])
    comment = models.TextField(gettext_lazy("评价"), max_length=1000, blank=True)
    goal_achieved = models.BooleanField(gettext_lazy("期望效果是否达成"), null=True, blank=True)
    # Empty for a rating the recipient gave through a feedback link, with no account (see FeedbackLink).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(gettext_lazy("记录时间"))

    class Meta:
        verbose_name = gettext_lazy("回访评价")
        verbose_name_plural = gettext_lazy("回访评价")
        ordering = ["recorded_at"]

    SATISFIED_FROM = 3  # 3 一般 and up close the need; 2 不满意 and 1 很不满意 reopen it

    @property
    def satisfied(self) -> bool:
        return self.satisfaction >= self.SATISFIED_FROM

    @property
    def goal_unchecked(self) -> bool:
        """A revisit that answered the need's goal with 暂未核对, stored as no answer like a goal never asked: a
        revisit is always asked about a need's goal (set when the need is recorded), the recipient's own rating
        never is."""
        return self.goal_achieved is None and self.source == self.Source.REVISIT and bool(self.need.goal)


class FeedbackLink(models.Model):
    """A one-time link (printed with a QR code on the service slip) by which the recipient rates one service
    herself, with no account. Only a hash of its token is kept: the token is shown once, when issued. It serves
    one rating, until it expires, is revoked, or the service it was issued for is no longer the one awaiting a
    rating (``served_at`` differs)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="feedback_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    served_at = models.DateTimeField(gettext_lazy("服务完成"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("生成人"),
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(gettext_lazy("生成时间"))
    expires_at = models.DateTimeField(gettext_lazy("有效期至"))
    revoked_at = models.DateTimeField(gettext_lazy("作废时间"), null=True, blank=True)
    used_at = models.DateTimeField(gettext_lazy("使用时间"), null=True, blank=True)
    feedback = models.OneToOneField(Feedback, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="link")

    class Meta:
        verbose_name = gettext_lazy("评价链接")
        verbose_name_plural = gettext_lazy("评价链接")
        ordering = ["-issued_at"]


class Escalation(models.Model):
    """Overdue work raised to the station manager (level 1), then to civil affairs (level 2)."""

    class Level(models.IntegerChoices):
        STATION = 1, gettext_lazy("社工站督办")
        CIVIL_AFFAIRS = 2, gettext_lazy("民政督办")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(gettext_lazy("级别"), choices=Level.choices)
    raised_at = models.DateTimeField(gettext_lazy("督办时间"))
    due_at = models.DateTimeField(gettext_lazy("原时限"))

    class Meta:
        verbose_name = gettext_lazy("督办")
        verbose_name_plural = gettext_lazy("督办")
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["need", "level", "due_at"], name="one_escalation_per_level")]


class AuditEntry(models.Model):
    """Who did what to which record, when, and the fields before → after. Append-only."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("操作人"),
                              null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(gettext_lazy("时间"), db_index=True)
    action = models.CharField(gettext_lazy("操作"), max_length=40)
    entity = models.CharField(gettext_lazy("对象类型"), max_length=30)
    entity_id = models.PositiveBigIntegerField(gettext_lazy("对象编号"))
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("区域"),
                             null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(gettext_lazy("变更"), default=dict, blank=True)
    purpose = models.CharField(gettext_lazy("查阅事由"), max_length=300, blank=True)

    class Meta:
        verbose_name = gettext_lazy("审计记录")
        verbose_name_plural = gettext_lazy("审计记录")
        ordering = ["-at", "-id"]
