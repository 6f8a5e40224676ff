"""Campaigns, the channels that feed them (with their API keys), the suggestions they receive, file imports."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import Organisation
from minsheng.consultation.intake.receipts import display_receipt


class Campaign(models.Model):
    """A question put to the public for a time window, answered by a list of departments."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("草稿")
        OPEN = "open", gettext_lazy("征集中")
        CLOSED = "closed", gettext_lazy("已结束")

    slug = models.SlugField(gettext_lazy("网址标识"), max_length=60, unique=True)
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    question = models.TextField(gettext_lazy("征集问题"))
    description = models.TextField(gettext_lazy("说明"), blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(gettext_lazy("开始时间"), default=timezone.now)
    closes_at = models.DateTimeField(gettext_lazy("截止时间"), null=True, blank=True)
    is_public = models.BooleanField(gettext_lazy("公开征集"), default=True,
                                    help_text=gettext_lazy("不公开时只有持邀请链接的人能看到征集页面"))
    invite_token = models.CharField(gettext_lazy("邀请码"), max_length=40, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("负责人"), on_delete=models.PROTECT,
                              related_name="owned_campaigns")
    departments = models.ManyToManyField(Organisation, verbose_name=gettext_lazy("承办部门"), blank=True,
                                         related_name="campaigns",
                                         limit_choices_to={"kind": Organisation.Kind.DEPARTMENT})
    taxonomy = models.JSONField(gettext_lazy("分类"), default=list, blank=True)
    # 办理时限: how long a department has to answer a suggestion routed to it (a department may have its own,
    # handling.models.HandlingLimit); working days skip Saturdays and Sundays.
    handling_days = models.PositiveSmallIntegerField(_("办理时限（天）"), default=15,
                                                     validators=[MinValueValidator(1), MaxValueValidator(365)])
    handling_working_days = models.BooleanField(_("按工作日计算"), default=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("征集活动")
        verbose_name_plural = gettext_lazy("征集活动")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.status == self.Status.OPEN and self.opens_at <= now
                and (self.closes_at is None or now < self.closes_at))


class Channel(models.Model):
    """One outlet or app feeding a campaign, with its own API key and rate limit."""

    campaign = models.ForeignKey(Campaign, verbose_name=gettext_lazy("征集活动"),
                                 on_delete=models.CASCADE, related_name="channels")
    code = models.SlugField(gettext_lazy("渠道编码"), max_length=40)
    name = models.CharField(gettext_lazy("渠道名称"), max_length=100)
    partner = models.ForeignKey(Organisation, verbose_name=gettext_lazy("合作单位"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="channels")
    # The key is shown once; only a prefix (to find the row) and a SHA-256 of the whole key are kept.
    key_prefix = models.CharField(gettext_lazy("密钥前缀"), max_length=16, unique=True)
    key_hash = models.CharField(gettext_lazy("密钥摘要"), max_length=64)
    rate_per_minute = models.PositiveIntegerField(gettext_lazy("每分钟上限(条)"), default=120_000)
    revoked_at = models.DateTimeField(gettext_lazy("吊销时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("渠道")
        verbose_name_plural = gettext_lazy("渠道")
        ordering = ["campaign", "code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="unique_channel_code")]

    def __str__(self) -> str:
        return f"{self.campaign.slug}/{self.code}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ImportJob(models.Model):
    """A file of suggestions taken in by the background worker; resumable because rows are keyed by number."""

    class Status(models.TextChoices):
        PREVIEW = "preview", gettext_lazy("待确认")
        QUEUED = "queued", gettext_lazy("排队中")
        RUNNING = "running", gettext_lazy("导入中")
        DONE = "done", gettext_lazy("已完成")
        FAILED = "failed", gettext_lazy("失败")
        # Previewed, never started, and its file removed after IMPORT_PREVIEW_KEEP_DAYS (intake.imports.imports_expire).
        EXPIRED = "expired", gettext_lazy("已过期")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)  # what the worker still has to carry out (its task, its page polls)

    campaign = models.ForeignKey(Campaign, verbose_name=gettext_lazy("征集活动"),
                                 on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("上传人"),
                                   on_delete=models.PROTECT, related_name="+")
    file = models.FileField(gettext_lazy("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(gettext_lazy("原文件名"), max_length=255)
    # SHA-256 of the uploaded bytes: the same export uploaded again is named before its rows are stored twice.
    sha256 = models.CharField(gettext_lazy("文件指纹"), max_length=64, blank=True, db_index=True)
    mapping = models.JSONField(gettext_lazy("列对应"), default=dict, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.PREVIEW,
                              db_index=True)
    total_rows = models.PositiveIntegerField(gettext_lazy("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(gettext_lazy("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(gettext_lazy("入库条数"), default=0)
    error_count = models.PositiveIntegerField(gettext_lazy("有误行数"), default=0)
    # Rows whose 编号 an earlier import of the campaign stored with the same text (a monthly export holds the months
    # before it): not stored again.
    already_imported_count = models.PositiveIntegerField(gettext_lazy("此前已导入行数"), default=0)
    errors = models.JSONField(gettext_lazy("有误的行"), default=list, blank=True)
    # Rows imported without the time they were written at (the cell could not be read: the time of import stands
    # in): how many, and the first of them as {"row", "value"}.
    unreadable_time_count = models.PositiveIntegerField(gettext_lazy("时间无法识别的行数"), default=0)
    unreadable_times = models.JSONField(gettext_lazy("时间无法识别的行"), default=list, blank=True)
    message = models.TextField(gettext_lazy("说明"), blank=True)
    # What the preview counted of a workbook's several sheets, {"file", "sha256", "sheets", "rows": [[sheet, n]]}:
    # the preview asked again at each change of a column, and the import, do not count the same file again.
    sheet_rows = models.JSONField(gettext_lazy("各工作表行数"), default=dict, blank=True)
    task_id = models.CharField(gettext_lazy("任务编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("文件导入")
        verbose_name_plural = gettext_lazy("文件导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.campaign.slug}"

    @property
    def unfinished(self) -> bool:
        return self.status in self.UNFINISHED

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class Suggestion(models.Model):
    """One suggestion as received: the text is already masked, the contact is encrypted."""

    class Source(models.TextChoices):
        WEB = "web", gettext_lazy("网页")
        API = "api", gettext_lazy("接口")
        IMPORT = "import", gettext_lazy("文件导入")

    class Status(models.TextChoices):
        RECEIVED = "received", gettext_lazy("已收到")
        HELD = "held", gettext_lazy("待审核")
        IN_REVIEW = "in_review", gettext_lazy("办理中")
        REPLIED = "replied", gettext_lazy("已答复")
        ADOPTED = "adopted", gettext_lazy("已采纳")
        PARTLY_ADOPTED = "partly_adopted", gettext_lazy("部分采纳")
        NOTED = "noted", gettext_lazy("留作参考")
        REJECTED = "rejected", gettext_lazy("未通过审核")

    # Foreign keys whose lookups a composite index below already serves carry no index of their own:
    # every index is paid for on each of a million inserts.
    campaign = models.ForeignKey(Campaign, verbose_name=gettext_lazy("征集活动"),
                                 on_delete=models.PROTECT, related_name="suggestions", db_index=False)
    channel = models.ForeignKey(Channel, verbose_name=gettext_lazy("渠道"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="suggestions", db_index=False)
    source = models.CharField(gettext_lazy("来源"), max_length=10, choices=Source.choices)
    external_id = models.CharField(gettext_lazy("外部编号"), max_length=100, null=True, blank=True)
    import_job = models.ForeignKey(ImportJob, verbose_name=gettext_lazy("导入批次"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="suggestions", db_index=False)
    source_row = models.PositiveIntegerField(gettext_lazy("文件中的行"), null=True, blank=True)
    # An imported row's own 编号 with its 渠道 where the file names one (intake.imports.source_key); None for a row
    # without one, and for every suggestion not imported (a partner's are keyed by channel and external_id).
    source_key = models.CharField(gettext_lazy("来源编号"), max_length=210, null=True, blank=True, editable=False)
    receipt = models.CharField(gettext_lazy("回执码"), max_length=12, unique=True)
    title = models.CharField(gettext_lazy("标题"), max_length=200, blank=True)
    text = models.TextField(gettext_lazy("内容"))
    region = models.CharField(gettext_lazy("地区"), max_length=100, blank=True)
    contact_encrypted = models.TextField(gettext_lazy("联系方式（加密）"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("提交账号"),
                               null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="suggestions")
    author_name = models.CharField(gettext_lazy("署名"), max_length=100, blank=True)
    department = models.ForeignKey(Organisation, verbose_name=gettext_lazy("承办部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="suggestions", db_index=False)
    status = models.CharField(gettext_lazy("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # Set when a person moved the suggestion: later analysis runs do not route it again.
    department_locked = models.BooleanField(gettext_lazy("承办部门已人工确定"), default=False)
    # The 12345 clock: set when a department receives the suggestion (moved by an approved 延期), and when it
    # was last answered; answered_at <= due_at is 按时办结.
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), default=timezone.now)
    received_at = models.DateTimeField(gettext_lazy("接收时间"), default=timezone.now)
    # Support others gave it where it was first posted (an imported file's 点赞数 / 支持数): it weighs in hot issues
    likes = models.PositiveIntegerField(gettext_lazy("点赞数"), default=0)

    class Meta:
        verbose_name = gettext_lazy("建议")
        verbose_name_plural = gettext_lazy("建议")
        ordering = ["-received_at", "-id"]
        constraints = [
            # A partner's retry with the same external_id never creates a second row. NULLs are distinct,
            # so web suggestions (no channel, no external_id) never collide; no partial index is needed,
            # and the full index also serves "suggestions of this channel".
            models.UniqueConstraint(fields=["channel", "external_id"], name="unique_external_id_per_channel"),
            # A resumed import never takes the same row twice.
            models.UniqueConstraint(fields=["import_job", "source_row"], name="unique_row_per_import"),
            # A newer export of the same system (each month's holds the months before) never stores a row an
            # earlier import of the campaign stored: the database decides, so two imports running at once cannot
            # both store it. Partial: suggestions without a key (every one not imported) cost nothing to keep.
            models.UniqueConstraint(fields=["campaign", "source_key"], condition=models.Q(source_key__isnull=False),
                                    name="unique_source_key_per_campaign"),
        ]
        indexes = [
            models.Index(fields=["campaign", "received_at"]),
            # An officer's inbox: one department's suggestions of a campaign, newest first, deep pages too
            # (page 100 read all 69,000 of the department's rows and sorted them: 320 ms at a million).
            models.Index(fields=["department", "campaign", "received_at", "id"], name="suggestion_inbox_order"),
            # The inbox by deadline (most urgent first) and its 超时 filter.
            models.Index(fields=["department", "campaign", "due_at"], name="suggestion_inbox_due"),
            # Suggestions held for moderation, oldest first, on the campaign page: few, so a partial index
            # finds them at once instead of walking a million rows to learn there are none (300 ms).
            models.Index(fields=["campaign", "received_at", "id"], condition=models.Q(status="held"),
                         name="suggestion_held"),
            # The reminder job: open suggestions due within a day, across campaigns. Partial, so suggestions not
            # yet routed (no deadline, every row at intake) cost nothing to keep; the query's due_at <= … implies
            # the condition on both databases. (A condition on status would not do: SQLite cannot match it
            # against the query's bound parameters.)
            models.Index(fields=["status", "due_at"], condition=models.Q(due_at__isnull=False),
                         name="suggestion_open_due"),
            # 检索's region filter and its choices (a file's 地区 column): partial, so the many suggestions that
            # carry no region cost nothing to keep, and a campaign without any learns so at once.
            models.Index(fields=["campaign", "region"], condition=models.Q(region__gt=""), name="suggestion_region"),
        ]

    def __str__(self) -> str:
        return display_receipt(self.receipt)

    @classmethod
    def status_when_held(cls) -> models.Case:
        """The status, for an update that gives suggestions to a department: 办理中 for one that waited, its outcome
        for one answered. A routed suggestion nobody had answered read 已收到 for ever, while its receipt said
        它已转交…办理; a citizen reads 办理中 from the moment a department holds it. Never back to 已收到: one
        returned to the dispatcher is still being handled."""
        return models.Case(models.When(status=cls.Status.RECEIVED, then=models.Value(cls.Status.IN_REVIEW)),
                           default=models.F("status"))
