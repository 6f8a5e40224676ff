"""Reads by region (地区): what one district's suggestions say, for the digest, themes and hot-issue pages and the
dashboard's chart.

A district planner asks which suggestions come from his district, how many, and how his district differs from
the rest. The region is the one 检索 filters by (an imported file's 地区 column, the partner API's ``region``, the
web form's 所在地区), offered only when the campaign's suggestions carry one. The pages' counts are read from
:class:`~minsheng.consultation.analysis.models.RegionCount`, written when the run's results are loaded
(:func:`write_region_counts`): a few thousand stored rows per region at most, whatever the region's or the
campaign's size. Joining the region's letters to the run's results instead cost what the run's size did once a
region held a fifth of them (the planner hashed all the run's results or members). The letters of one listed
item are still found by that join (:func:`results_in_region`), a page at a time. "All" counts are the ones the
run stored (a theme's ``n_messages``).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, F, QuerySet, Sum

from minsheng.consultation.analysis.models import (
    AnalysisRun,
    DigestMember,
    HotIssue,
    RegionCount,
    SuggestionResult,
    Theme,
)

#: Bars of the dashboard's chart of suggestions per region: the largest regions, enough to find one's own.
CHART_TOP = 15


def region_of_request(query) -> str:
    """The region a page's address asks for (``?region=``), trimmed and bounded as 检索's filters are."""
    return query.get("region", "").strip()[:100]


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
        "region": sum(
            _counts(run, region).filter(theme=None, hot_issue=None, digest=None).values_list("n", flat=True)
        ),
        "all": analysed + run.increments_done["added"],
    }


def themes_in_region(*, run: AnalysisRun, region: str) -> list[Theme]:
    """The run's broad themes that hold suggestions of ``region``, most of the region's first, each with
    ``n_region`` and ``region_children`` (its fine themes holding any, most first, each with ``n_region``).

    The region's stored counts name fine themes (a result's), whose parent is the broad one."""
    rows = _counts(run, region).exclude(theme=None).values_list("theme_id", "theme__parent_id", "n")
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
        run.hot_issues.filter(region_counts__run=run, region_counts__region=region)
        .annotate(n_region=F("region_counts__n"))
        .order_by("-n_region", "rank")
    )


def _counts(run: AnalysisRun, region: str) -> QuerySet[RegionCount]:
    """The region's stored counts of the run (the index (run, region))."""
    return RegionCount.objects.filter(run=run, region=region)


def write_region_counts(run: AnalysisRun) -> None:
    """Count the run's letters per region again, in all and per fine theme, hot issue and digest suggestion
    (members, as the digest counts its letters), replacing what was stored: called where the run's results are
    loaded, after a full run and after each increment (new letters, copies joining hot issues). Four grouped
    reads of the run's results and members, at load time rather than at every page."""
    RegionCount.objects.filter(run=run).delete()
    if not run.campaign.suggestions.filter(region__gt="").exists():  # one probe of the partial index: no region,
        return  # no four grouped reads over a run's results on every load
    RegionCount.objects.bulk_create(
        [RegionCount(run=run, **row) for row in _region_count_rows(run)],
        batch_size=5_000,
    )


def _region_count_rows(run: AnalysisRun):
    """The rows of :func:`write_region_counts` as dicts (region, at most one item, n). The campaign is named as
    the joins named it: a run's counts are its campaign's letters only. Migration 0026 keeps its own copy, as
    this was when it was written, for the runs analysed before the table existed."""
    regioned = {"suggestion__campaign_id": run.campaign_id, "suggestion__region__gt": ""}
    results = SuggestionResult.objects.filter(run_id=run.pk, **regioned)
    for region, n in results.values_list("suggestion__region").annotate(n=Count("*")).order_by():
        yield {"region": region, "n": n}
    for field in ("theme", "hot_issue"):
        grouped = (
            results.exclude(**{field: None}).values_list("suggestion__region", field).annotate(n=Count("*"))
        )
        for region, item, n in grouped.order_by():
            yield {"region": region, f"{field}_id": item, "n": n}
    members = DigestMember.objects.filter(digest__run_id=run.pk, **regioned)
    for region, item, n in (
        members.values_list("suggestion__region", "digest").annotate(n=Count("*")).order_by()
    ):
        yield {"region": region, "digest_id": item, "n": n}


def regions_chart(run: AnalysisRun) -> dict:
    """The run's letters per region for the dashboard's bar chart: the :data:`CHART_TOP` largest regions
    (``rows``), how many letters carry a region (``n``) and how many regions there are (``regions``); empty rows
    when none carries one, and the page then draws no chart. Read from the run's stored counts in all
    (:func:`write_region_counts`): the letters the run analysed, as the region's pages (本地区 N 条, a bar's link)
    and the run's report (各地区建议, :func:`minsheng.reports._data.region_items`) count them. Counted over the
    campaign's suggestions instead, held and rejected ones too, a bar said more than the page it opened."""
    totals = RegionCount.objects.filter(run=run, theme=None, hot_issue=None, digest=None)
    rows = list(totals.order_by("-n", "region").values("region", "n")[:CHART_TOP])
    if not rows:
        return {"rows": [], "n": 0, "regions": 0}
    found = totals.aggregate(n=Sum("n"), regions=Count("*"))
    return {"rows": [{"name": r["region"], "value": r["n"]} for r in rows], **found}
