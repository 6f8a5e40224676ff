"""Reads over analysis results: dashboards, themes, duplicate groups, hot issues, search.

Every list is paginated and fetched with its related rows in a fixed number of queries (the tests count
them); counts over a million results use the (run, …) indexes of :class:`SuggestionResult`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from minsheng.accounts.selectors import departments
from minsheng.consultation._db.search import containing_words
from minsheng.consultation.analysis.models import (
    AnalysisRun,
    FormLetter,
    HotIssue,
    SuggestionResult,
    Theme,
    numbered,
)
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.intake.receipts import ALPHABET, normalise_receipt
from minsheng.engine.result import TIED_DEPARTMENTS
from minsheng.forms import parse_typed_date


def current_run(campaign: Campaign) -> AnalysisRun | None:
    """The latest finished full run: the result set every page reads."""
    return numbered(campaign.analysis_runs.filter(status=AnalysisRun.Status.DONE, base=None)).order_by(
        "-finished_at", "-id").first()


def active_run(campaign: Campaign) -> AnalysisRun | None:
    """The campaign's queued or running run, numbered, if any (one at a time: :func:`.services.analysis_run_start`)."""
    return numbered(campaign.analysis_runs.filter(
        status__in=[AnalysisRun.Status.QUEUED, AnalysisRun.Status.RUNNING])).first()


def runs_of_campaign(campaign: Campaign) -> QuerySet[AnalysisRun]:
    """The campaign's 20 latest runs, each with its ``number`` among the campaign's runs and its base's."""
    return numbered(campaign.analysis_runs.select_related("started_by"))[:20]


def campaign_volume(campaign: Campaign) -> dict:
    """Suggestions per day and channel, and per department: a scan of the campaign's rows.

    With a million suggestions this is the one expensive read of the dashboard, so a finished run stores it
    (``counts["volume"]``) and the page shows it as of that run.
    """
    volume = (campaign.suggestions.exclude(status=Suggestion.Status.REJECTED)
              .annotate(day=TruncDate("submitted_at")).values("day", "channel__name")
              .annotate(n=Count("id")).order_by("day"))
    days = sorted({row["day"] for row in volume})
    web = _("网页/导入")
    channels = sorted({row["channel__name"] or web for row in volume})
    grid = {c: [0] * len(days) for c in channels}
    index = {d: i for i, d in enumerate(days)}
    for row in volume:
        grid[row["channel__name"] or web][index[row["day"]]] += row["n"]
    departments = list(campaign.suggestions.exclude(department=None).values("department__name")
                       .annotate(n=Count("id")).order_by("-n"))
    return {"days": [d.isoformat() for d in days], "channels": [{"name": c, "data": grid[c]} for c in channels],
            "departments": [{"name": r["department__name"], "value": r["n"]} for r in departments]}


def dashboard_data(*, campaign: Campaign, run: AnalysisRun | None) -> dict:
    """Series for the charts: volume per day and channel, departments, themes, hot issues, form letters."""
    stored = run.counts.get("volume") if run is not None else None
    data = {**(stored or campaign_volume(campaign)), "themes": [], "hot": [], "letters": []}
    if run is not None:
        data["themes"] = [{"name": f"{t.code} {t.label}", "value": t.n_messages}
                          for t in run.themes.filter(level="broad").order_by("-n_messages")[:15]]
        # A bar says what it is about (a code alone means nothing to a reader): the place, else the headline
        # a hot issue's description opens with ("建议完善垃圾分类收运体系；诉求：…（77人，2020-08）").
        data["hot"] = [{"name": h.place or re.split(r"[；（(]", h.description)[0] or h.code, "value": round(h.heat, 1)}
                       for h in run.hot_issues.all()[:10]]
        data["letters"] = [{"name": f"{f.code} {f.template[:30]}", "messages": f.messages, "people": f.people,
                            "arguments": f.distinct_arguments} for f in run.form_letters.all()[:10]]
    return data


def themes_broad(run: AnalysisRun) -> QuerySet[Theme]:
    fine = Theme.objects.filter(level="fine").order_by("-n_messages")
    return run.themes.filter(level="broad").order_by("-n_messages").prefetch_related(
        Prefetch("children", queryset=fine))


def theme_detail(*, run: AnalysisRun, code: str) -> Theme | None:
    return run.themes.select_related("parent").filter(code=code).first()


def results_of_theme(*, run: AnalysisRun, theme: Theme) -> QuerySet[SuggestionResult]:
    filt = Q(theme__parent=theme) if theme.level == "broad" else Q(theme=theme)
    return _results(run).filter(filt)


def _results(run: AnalysisRun) -> QuerySet[SuggestionResult]:
    return (SuggestionResult.objects.filter(run=run)
            .select_related("suggestion", "suggestion__channel", "suggestion__department", "theme")
            .order_by("-suggestion__received_at", "-suggestion_id"))


def form_letters(run: AnalysisRun) -> QuerySet[FormLetter]:
    return run.form_letters.all()


def duplicate_groups(run: AnalysisRun) -> QuerySet:
    """Near-duplicate groups of two or more messages, largest first (one row per group)."""
    return (SuggestionResult.objects.filter(run=run, is_representative=True, dup_group_size__gt=1)
            .select_related("suggestion", "form_letter", "theme").order_by("-dup_group_size", "dup_group"))


def results_of_group(*, run: AnalysisRun, group: int) -> QuerySet[SuggestionResult]:
    return _results(run).filter(dup_group=group)


def hot_issues(run: AnalysisRun) -> QuerySet[HotIssue]:
    return run.hot_issues.all()


def results_of_hot_issue(*, run: AnalysisRun, issue: HotIssue) -> QuerySet[SuggestionResult]:
    return _results(run).filter(hot_issue=issue)


RECEIPT = re.compile(f"[{ALPHABET}]{{5}}[- ]?[{ALPHABET}]{{5}}", re.IGNORECASE)

DIGEST_SORTS = {"people": ("rank",), "region": ("-n_region", "rank"), "messages": ("-messages", "rank"), "likes": ("-likes", "rank"),
                "coherence": ("coherence", "rank"), "spread": ("-ask_spread", "rank"), "recent": ("-last_time", "rank")}
#: The trust filter: suggestions flagged "内容可能混杂" only, or only the others.
DIGEST_MIXED = {"yes": True, "no": False}


def digest_list(*, run: AnalysisRun, q: str = "", department: str = "", sort: str = "people", mixed: str = "",
                region: str = ""):
    """The run's digest (建议摘编): search in headlines and descriptions (every word must occur), one
    department, flagged mixed or not (``yes``/``no``), sorted by people (the rank), messages, likes, coherence
    (least coherent first), ask spread (most mixed first) or recency. With a ``region`` (地区), only the
    suggestions some letter of that region raised, each with ``n_region`` (its letters from there), sortable by
    it (``region``), as the region's stored counts (``RegionCount``) give them."""
    qs = run.digest.all()
    if region:
        qs = qs.filter(region_counts__run=run, region_counts__region=region
                       ).annotate(n_region=F("region_counts__n"))
    elif sort == "region":
        sort = "people"
    for word in q.split()[:5]:
        qs = qs.filter(Q(headline__contains=word) | Q(description__contains=word))
    if department:  # its own suggestions and those its letters share evenly with others (待定)
        tie = TIED_DEPARTMENTS
        qs = qs.filter(Q(department_label=department) | Q(department_label__startswith=department + tie)
                       | Q(department_label__endswith=tie + department)
                       | Q(department_label__contains=tie + department + tie))
    if mixed in DIGEST_MIXED:
        qs = qs.filter(mixed=DIGEST_MIXED[mixed])
    return qs.order_by(*DIGEST_SORTS.get(sort, DIGEST_SORTS["people"]))


def digest_totals(run: AnalysisRun) -> dict[str, int]:
    """How many suggestions the run's digest holds (``n``) and how many are flagged mixed (``mixed``), in one
    query: the page tells an empty digest (why it is empty) from a search that found nothing by ``n``."""
    return run.digest.aggregate(n=Count("pk"), mixed=Count("pk", filter=Q(mixed=True)))


def digest_departments(run: AnalysisRun) -> list[str]:
    labels = run.digest.exclude(department_label="").values_list("department_label", flat=True).distinct()
    return sorted({name for label in labels for name in label.split(TIED_DEPARTMENTS)})


def results_of_digest(*, run: AnalysisRun, item) -> QuerySet[SuggestionResult]:
    """Every letter one of whose asks falls in ``item``, not only those whose main ask does."""
    return _results(run).filter(suggestion__digest_members__digest=item)


def digest_of_letter(*, run: AnalysisRun, suggestion: Suggestion) -> list:
    """The digest suggestions a letter's asks fall in, raised by most people first."""
    return list(run.digest.filter(members__suggestion=suggestion).order_by("rank"))


def search_departments(*, campaign: Campaign, chosen: str = "") -> QuerySet:
    """The departments 检索 offers to filter by: those the campaign names and those that hold any of its
    suggestions (a router's or an officer's move may reach one the campaign does not name), and the one chosen.
    Each is one probe of the inbox index (department, campaign, …): a few departments, never a scan of the rows."""
    holds = Exists(Suggestion.objects.filter(campaign=campaign, department=OuterRef("pk")))
    named = Q(pk__in=campaign.departments.values("pk"))
    if chosen.isdigit():
        named |= Q(pk=int(chosen))
    return departments().filter(named | holds).order_by("name")


#: Regions 检索 offers at most: a file's 地区 column is a handful of districts, but a free-text address column
#: would make a list nobody reads (the rest are still reached by a link's ``region``).
REGIONS_MAX = 200


def search_regions(*, campaign: Campaign, chosen: str = "") -> list[str]:
    """The regions (地区) 检索 offers to filter by: those the campaign's suggestions carry (an imported file's 地区
    column, the partner API's ``region``, the web form's 所在地区), and the one chosen; empty when none carries
    one and none is chosen, and the page then shows no region filter. A chosen region is offered even when no
    suggestion carries it (a link's ``?region=``, one beyond the first :data:`REGIONS_MAX`): a filter in force is
    shown, so an empty list says why it is empty and 全部地区 clears it. One query on the partial index
    ``suggestion_region``."""
    regions = list(campaign.suggestions.filter(region__gt="").order_by("region")
                   .values_list("region", flat=True).distinct()[:REGIONS_MAX])
    if chosen and chosen not in regions:
        regions = sorted([*regions, chosen])
    return regions


@dataclass
class SearchFilters:
    q: str = ""
    channel: str = ""
    department: str = ""
    theme: str = ""
    status: str = ""
    region: str = ""
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def from_query(cls, query) -> SearchFilters:
        """The filters of a search URL; a date that is no date or a department that is no number is a 400. A
        date is typed as people write it (2020/1/31, 2020年1月31日: :func:`minsheng.forms.parse_typed_date`) and
        kept as 2020-01-31."""
        filters = cls(**{k: query.get(k, "").strip()[:100] for k in cls.__dataclass_fields__})
        for name in ("date_from", "date_to"):
            value = getattr(filters, name)
            if value:
                day = parse_typed_date(value)
                if day is None:
                    raise BadRequest(_("日期 {value!r} 无效，请使用 2020-01-31 这样的格式").format(value=value))
                setattr(filters, name, day.isoformat())
        if filters.department and not filters.department.isdigit():
            raise BadRequest(_("部门参数无效"))
        return filters


def suggestions_search(*, campaign: Campaign, run: AnalysisRun | None, filters: SearchFilters
                       ) -> QuerySet[Suggestion]:
    """Suggestions matching text (substring — Chinese has no spaces to split on) and filters.

    The theme of each row is joined through the run's result in the same query (FilteredRelation-free:
    a prefetch of results for the page only).
    """
    qs = campaign.suggestions.select_related("channel", "department").order_by("-received_at", "-id")
    by_receipt = qs.filter(receipt=normalise_receipt(filters.q)) if RECEIPT.fullmatch(filters.q) else qs.none()
    if by_receipt.exists():  # a receipt as a citizen reads it out (7W5MV-V8B7F, any case); else a word
        qs = by_receipt
    elif filters.q:
        qs = containing_words(qs, filters.q)
    if filters.channel:
        qs = qs.filter(channel__code=filters.channel)
    if filters.department:
        qs = qs.filter(department_id=filters.department) if filters.department.isdigit() else qs
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.date_from:
        qs = qs.filter(submitted_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(submitted_at__date__lte=filters.date_to)
    if filters.theme and run is not None:
        qs = qs.filter(Q(results__run=run) & (Q(results__theme__code=filters.theme)
                                              | Q(results__theme__parent__code=filters.theme)))
    if run is not None:
        qs = qs.prefetch_related(Prefetch("results", queryset=SuggestionResult.objects.filter(run=run)
                                          .select_related("theme"), to_attr="run_results"))
    return qs
