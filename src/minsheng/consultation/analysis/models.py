"""What an analysis run found: the run, its themes, form letters, hot issues, digest, one result per suggestion;
and the routers retrained from people's corrections."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.engine.result import TIED_DEPARTMENTS


class AnalysisRun(models.Model):
    """One pass of the engine over a campaign's suggestions; its results are keyed by the run.

    A full run owns its themes, groups and results. An incremental run (``base`` set) assigns suggestions
    received since to the base run's themes and duplicate groups and writes their results under the base
    run, so the pages keep reading one result set.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("排队中")
        RUNNING = "running", gettext_lazy("分析中")
        DONE = "done", gettext_lazy("已完成")
        FAILED = "failed", gettext_lazy("失败")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)  # what the worker still has to carry out (its task, its page polls)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="analysis_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    base = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="increments")
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(gettext_lazy("阶段"), max_length=60, blank=True)
    progress = models.PositiveSmallIntegerField(gettext_lazy("进度"), default=0)
    n_suggestions = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    out_dir = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When retention (:mod:`.retention`) removed the run's folder; the row stays as history and the pages say
    # 结果文件已清理 instead of linking to reports that are gone.
    files_pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("分析任务")
        verbose_name_plural = gettext_lazy("分析任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign.slug} #{self.pk}"

    @property
    def unfinished(self) -> bool:
        return self.status in self.UNFINISHED

    @property
    def result_run_id(self) -> int:
        return self.base_id or self.pk

    @cached_property
    def increments_done(self) -> dict:
        """What finished incremental runs added to this full run's results: how many suggestions, and the
        latest of them (``None`` if none). The pages say so beside "results of run N": after an increment
        their counts hold the new suggestions, which a date of the full run alone would deny."""
        done = self.increments.filter(status=self.Status.DONE)
        latest = numbered(done).order_by("-finished_at", "-id").first()
        return {"latest": latest, "added": done.aggregate(n=models.Sum("n_suggestions"))["n"] or 0}


def numbered(runs: models.QuerySet[AnalysisRun]) -> models.QuerySet[AnalysisRun]:
    """``runs`` with each one's ``number`` and its base's (``base_number``) read in the same query.

    The number is the run's place among its campaign's runs, what the pages call it (第 N 次分析): ``pk``
    counts every campaign's runs, so a new campaign's first analysis read 第 7 次. This annotation is its
    only source (a model property doing a COUNT per run would be a query per row of a list): a page that
    names a run loads it through here.
    """
    def place(of: str) -> models.Subquery:
        earlier = AnalysisRun.objects.filter(campaign=models.OuterRef("campaign"), pk__lte=models.OuterRef(of))
        return models.Subquery(earlier.values("campaign").annotate(n=models.Count("pk")).values("n"))

    return runs.annotate(number=place("pk"), base_number=place("base_id"))


class Theme(models.Model):
    """A broad (``B03``) or fine (``B03-017``) theme of a run, with keywords and representative quotes."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=12)
    level = models.CharField(max_length=6)  # broad | fine
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    label = models.CharField(max_length=200)
    keywords = models.CharField(max_length=500, blank=True)
    n_messages = models.PositiveIntegerField(default=0)
    n_users = models.PositiveIntegerField(default=0)
    quotes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = gettext_lazy("主题")
        verbose_name_plural = gettext_lazy("主题")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="unique_theme_per_run")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class FormLetter(models.Model):
    """An orchestrated campaign (one template, many senders) found by the duplicate stage."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="form_letters")
    code = models.CharField(max_length=12)
    dup_group = models.BigIntegerField()
    people = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)
    distinct_arguments = models.PositiveIntegerField(default=0)
    burst_per_hour = models.PositiveIntegerField(default=0)
    first_time = models.DateTimeField(null=True, blank=True)
    last_time = models.DateTimeField(null=True, blank=True)
    template = models.TextField(blank=True)
    sample_additions = models.TextField(blank=True)

    class Meta:
        verbose_name = gettext_lazy("组织化来信")
        verbose_name_plural = gettext_lazy("组织化来信")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="unique_form_letter_per_run")]


class HotIssue(models.Model):
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="hot_issues")
    code = models.CharField(max_length=12)
    rank = models.PositiveIntegerField()
    heat = models.FloatField()
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    n_messages = models.PositiveIntegerField(default=0)
    n_users = models.PositiveIntegerField(default=0)
    time_start = models.DateTimeField(null=True, blank=True)
    time_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("热点问题")
        verbose_name_plural = gettext_lazy("热点问题")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="unique_hot_issue_per_run")]


class DigestSuggestion(models.Model):
    """One suggestion of the digest (建议摘编): the same ask raised by many people, under one headline taken
    from their own words (see ``minsheng.engine.digest``). Officers answer or adopt it as a whole."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="digest")
    code = models.CharField(max_length=12)  # G0001 = raised by most people
    rank = models.PositiveIntegerField()
    headline = models.CharField(gettext_lazy("建议"), max_length=300)
    description = models.TextField(blank=True)
    people = models.PositiveIntegerField(gettext_lazy("人数"), default=0)
    messages = models.PositiveIntegerField(default=0)
    voices = models.PositiveIntegerField(default=0)
    campaigns = models.CharField(max_length=300, blank=True)
    likes = models.PositiveIntegerField(default=0)
    department_label = models.CharField(max_length=100, blank=True)
    department_confidence = models.FloatField(null=True, blank=True)
    coherence = models.FloatField(default=0)
    # The engine's distrust signal (``suggestions.csv``): the share of members whose ask, without the place or
    # institution it names, differs from the rest; ``mixed`` when at least ``MIXED_SHARE``. Coherence alone does
    # not tell a loose but single ask from several asks sharing a noun; this does (ROC AUC 0.81 against 0.59).
    ask_spread = models.FloatField(gettext_lazy("诉求分散度"), default=0)
    mixed = models.BooleanField(gettext_lazy("内容可能混杂"), default=False)
    places = models.CharField(max_length=300, blank=True)
    first_time = models.DateTimeField(null=True, blank=True)
    last_time = models.DateTimeField(null=True, blank=True)
    quotes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = gettext_lazy("摘编建议")
        verbose_name_plural = gettext_lazy("摘编建议")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="unique_digest_per_run")]

    def __str__(self) -> str:
        return f"{self.code} {self.headline}"

    @property
    def tied_departments(self) -> list[str]:
        """The departments the members split evenly between (the engine names them all), else none: the page
        says 待定 rather than pick one."""
        names = self.department_label.split(TIED_DEPARTMENTS)
        return names if len(names) > 1 else []


class NovelIdea(models.Model):
    """A novel idea (金点子): one letter's specific proposal that no suggestion of two or more people holds (the
    engine's ``novel.csv``, see ``minsheng.engine.novel``). A digest ranks by people, so an idea raised once sinks
    below every complaint raised twice; this list is where a planner finds it."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="novel_ideas")
    rank = models.PositiveIntegerField()
    suggestion = models.ForeignKey(Suggestion, null=True, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    proposal = models.TextField()
    why = models.CharField(max_length=300, blank=True)  # the score's parts, as the engine writes them

    class Meta:
        verbose_name = gettext_lazy("新颖建议")
        verbose_name_plural = gettext_lazy("新颖建议")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["run", "rank"], name="unique_novel_rank_per_run")]

    @property
    def score_parts(self) -> str:
        """What the score rewards, in words (提出具体办法 +2.00；用词具体 +0.67 …), as the reports show it."""
        from minsheng.reports import score_parts

        return score_parts(self.why)


class DigestMember(models.Model):
    """A letter one of whose asks falls in a suggestion of the digest (the engine's ``member_ids``). A letter with
    several asks belongs to several; its main one (title, else first ask) is also ``SuggestionResult.digest``."""

    digest = models.ForeignKey(DigestSuggestion, on_delete=models.CASCADE, related_name="members", db_index=False)
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="digest_members")

    class Meta:
        verbose_name = gettext_lazy("摘编建议的来信")
        verbose_name_plural = gettext_lazy("摘编建议的来信")
        # Also the index of "the letters of this suggestion"; the foreign key's own serves "this letter's".
        constraints = [models.UniqueConstraint(fields=["digest", "suggestion"], name="unique_digest_member")]


def _item_key_indexes(prefix: str, *keys: str) -> list[models.Index]:
    """One partial index per key to a run's item (theme, hot issue, digest suggestion…), on the rows that name one:
    PostgreSQL's foreign-key check, once per item deleted with a run or replaced when a full run is loaded again,
    looks up ``key = $1``, which a (run, key) index serves only by reading the whole of it (migrations 0027, 0028)."""
    return [models.Index(fields=[key], condition=models.Q(**{f"{key}__isnull": False}), name=f"{prefix}_{key}")
            for key in keys]


class RegionCount(models.Model):
    """How many of a run's letters come from one region (地区): in all (no item named), in a fine theme, in a hot
    issue, or among a digest suggestion's members. Written whenever the run's results are loaded, increments
    included (``regions.write_region_counts``), so a region's pages read at most a few thousand stored rows
    instead of joining the region's letters to the run's results: the large district's reads then cost what a
    small region's do (a district of a fifth of 190,000 letters: 170-340 ms a read before, see
    docs/readings/walk-2026-12-07b.md). A suggestion's region is written at intake and never changed, so the
    counts stay those the joins would give.

    Each key a row may name has a partial index (its rows only): deleting a theme, hot issue or digest suggestion
    (a run deleted, or its tables replaced when a full run is loaded again) looks up the counts naming it, once to
    delete them and once per deleted item in PostgreSQL's foreign-key check, which without one read the whole
    table each time (a run's deletion among five runs of 62,000 rows: 151 s, with the indexes 0.5 s)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="region_counts", db_index=False)
    region = models.CharField(max_length=100)
    theme = models.ForeignKey(Theme, null=True, on_delete=models.CASCADE, related_name="region_counts",
                              db_index=False)
    hot_issue = models.ForeignKey(HotIssue, null=True, on_delete=models.CASCADE, related_name="region_counts",
                                  db_index=False)
    digest = models.ForeignKey(DigestSuggestion, null=True, on_delete=models.CASCADE,
                               related_name="region_counts", db_index=False)
    n = models.PositiveIntegerField()

    class Meta:
        verbose_name = gettext_lazy("地区计数")
        verbose_name_plural = gettext_lazy("地区计数")
        indexes = [models.Index(fields=["run", "region"], name="region_count_run_region"),
                   *_item_key_indexes("region_count", "theme", "hot_issue", "digest")]


class SuggestionResult(models.Model):
    """What a run found about one suggestion. Unique per (run, suggestion): a restarted run rewrites nothing.

    Each item a result may name also has a partial index of its own (as RegionCount's): PostgreSQL's foreign-key
    check, once per theme, form letter, hot issue or digest suggestion deleted with a run or replaced by a full run
    loaded again, looks up ``key = $1``, which the (run, key) indexes serve only by reading one whole (two runs of
    200,000 results: a run's deletion 3.1 s, with them 0.9 s; inserting a run's results 3.3 -> 4.4 s)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="results", db_index=False)
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="results")
    department_label = models.CharField(max_length=100, blank=True)
    department_confidence = models.FloatField(null=True, blank=True)
    needs_review = models.BooleanField(default=False)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="results",
                              db_index=False)
    dup_group = models.BigIntegerField(null=True, blank=True)
    dup_group_size = models.PositiveIntegerField(default=1)
    is_representative = models.BooleanField(default=True)
    form_letter = models.ForeignKey(FormLetter, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="results", db_index=False)
    addition = models.TextField(blank=True)
    hot_issue = models.ForeignKey(HotIssue, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="results", db_index=False)
    digest = models.ForeignKey(DigestSuggestion, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="results", db_index=False)

    class Meta:
        verbose_name = gettext_lazy("单条分析结果")
        verbose_name_plural = gettext_lazy("单条分析结果")
        constraints = [models.UniqueConstraint(fields=["run", "suggestion"], name="unique_result_per_run")]
        indexes = [models.Index(fields=["run", "theme"]), models.Index(fields=["run", "dup_group"]),
                   models.Index(fields=["run", "form_letter"]), models.Index(fields=["run", "hot_issue"]),
                   models.Index(fields=["run", "digest"]),
                   *_item_key_indexes("result", "theme", "form_letter", "hot_issue", "digest")]


class RouterVersion(models.Model):
    """A retrained router for a campaign, with the scores before and after on the same held-out set."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="router_versions")
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    path = models.CharField(max_length=500)
    n_train = models.PositiveIntegerField(default=0)
    n_corrections = models.PositiveIntegerField(default=0)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("分办模型版本")
        verbose_name_plural = gettext_lazy("分办模型版本")
        ordering = ["-created_at", "-id"]
