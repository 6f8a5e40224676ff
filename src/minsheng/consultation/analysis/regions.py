"""Reads by region (地区): what one district's suggestions say, for the digest, themes and hot-issue pages and the
dashboard's chart.

A district planner asks which suggestions come from his district, how many, and how his district differs from
the rest. The region is the one 检索 filters by (an imported file's 地区 column, the partner API's ``region``, the
web form's 所在地区), offered only when the campaign's suggestions carry one. Every count here starts from the
region's suggestions, found on the partial index ``suggestion_region`` (campaign, region) WHERE region > '', and
reaches the run's results or digest members through their per-suggestion indexes: its cost follows the region's
size, never the campaign's million rows. "All" counts are the ones the run stored (a theme's ``n_messages``).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet

from minsheng.consultation.analysis.models import AnalysisRun, HotIssue, SuggestionResult, Theme
from minsheng.consultation.intake.models import Campaign

#: Bars of the dashboard's chart of suggestions per region: the largest regions, enough to find one's own.
CHART_TOP = 15


def region_of_request(query) -> str:
    """The region a page's address asks for (``?region=``), trimmed and bounded as 检索's filters are."""
    return query.get("region", "").strip()[:100]


def run_results_in(*, run: AnalysisRun, region: str) -> QuerySet[SuggestionResult]:
    """The run's results of the region's suggestions. The campaign is named so the planner may start from the
    partial index of (campaign, region) rather than from the run's results."""
    return results_in_region(SuggestionResult.objects.filter(run=run), run=run, region=region)


def results_in_region(
    results: QuerySet[SuggestionResult], *, run: AnalysisRun, region: str
) -> QuerySet[SuggestionResult]:
    """``results`` (a theme's, a hot issue's, a digest suggestion's letters) of ``region``'s suggestions only."""
    return results.filter(suggestion__campaign_id=run.campaign_id, suggestion__region=region)


def region_totals(*, run: AnalysisRun, region: str) -> dict[str, int]:
    """How many of the suggestions the run analysed come from ``region`` (``region``) and how many it analysed
    in all (``all``: its results, those of its finished increments included), for the pages' line
    本地区 N 条 / 全部 M 条."""
    analysed = run.counts.get("results") or run.n_suggestions
    return {
        "region": run_results_in(run=run, region=region).count(),
        "all": analysed + run.increments_done["added"],
    }


def themes_in_region(*, run: AnalysisRun, region: str) -> list[Theme]:
    """The run's broad themes that hold suggestions of ``region``, most of the region's first, each with
    ``n_region`` and ``region_children`` (its fine themes holding any, most first, each with ``n_region``).

    One grouped query over the region's results: a result names its fine theme, whose parent is the broad one."""
    rows = (
        run_results_in(run=run, region=region)
        .exclude(theme=None)
        .values_list("theme_id", "theme__parent_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter[int] = Counter()
    for theme, parent, n in rows:
        counts[theme] += n
        if parent is not None:
            counts[parent] += n
    themes = list(run.themes.filter(pk__in=list(counts)).order_by("code"))
    for t in themes:
        t.n_region = counts[t.pk]
    by_region = sorted(themes, key=lambda t: (-t.n_region, -t.n_messages, t.code))
    broad = [t for t in by_region if t.level == "broad"]
    for b in broad:
        b.region_children = [t for t in by_region if t.parent_id == b.pk]
    return broad


def hot_issues_in_region(*, run: AnalysisRun, region: str) -> QuerySet[HotIssue]:
    """The run's hot issues that hold suggestions of ``region``, each with ``n_region``, most of the region's
    first, then by heat (rank)."""
    return (
        run.hot_issues.filter(
            results__suggestion__campaign_id=run.campaign_id, results__suggestion__region=region
        )
        .annotate(n_region=Count("results"))
        .order_by("-n_region", "rank")
    )


def regions_chart(campaign: Campaign) -> dict:
    """The suggestions per region for the dashboard's bar chart: the :data:`CHART_TOP` largest regions
    (``rows``), how many suggestions carry a region (``n``) and how many regions there are (``regions``); empty
    rows when none carries one, and the page then draws no chart. Rejected suggestions count, as 检索 lists them.
    Two reads of the partial index ``suggestion_region``."""
    regioned = campaign.suggestions.filter(region__gt="")
    rows = list(regioned.values("region").annotate(n=Count("*")).order_by("-n", "region")[:CHART_TOP])
    if not rows:
        return {"rows": [], "n": 0, "regions": 0}
    totals = regioned.aggregate(n=Count("*"), regions=Count("region", distinct=True))
    return {"rows": [{"name": r["region"], "value": r["n"]} for r in rows], **totals}
