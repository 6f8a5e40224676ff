"""What one district says: the digest, themes and hot-issue pages filtered by the region (地区) 检索 filters by,
their counts within the region (本地区 N 条 / 全部 M 条), and the dashboard's chart of suggestions per region.

The selectors are checked as plain functions against counts taken the long way (every result read in Python);
the pages for what a planner reads, who may read them and their query count."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
BASE = "/manage/c/plan/analysis/"
PAGES = ("digest/", "themes/", "hot/")


@pytest.fixture
def regional(fed, request):
    """The campaign analysed after its suggestions came with a region, as a partner's or a file's 地区 gives it
    at intake: a third from 珠晖区, a third from 雁峰区, the rest none; and another campaign's suggestion from
    石鼓区."""
    from minsheng.consultation.intake.services import campaign_create, suggestion_submit

    ids = list(fed.campaign.suggestions.order_by("pk").values_list("pk", flat=True))
    fed.campaign.suggestions.filter(pk__in=ids[::3]).update(region="珠晖区")
    fed.campaign.suggestions.filter(pk__in=ids[1::3]).update(region="雁峰区")
    other = campaign_create(owner=fed.owner, slug="other", title="另一次征集", question="？", status="open")
    suggestion_submit(campaign=other, text="石鼓区的路灯坏了", region="石鼓区")
    return request.getfixturevalue("analysed")


def _results_by_region(run, region: str) -> list:
    return [r for r in run.results.select_related("suggestion", "theme") if r.suggestion.region == region]


def test_region_totals_count_the_runs_letters_of_the_region(regional):
    from minsheng.consultation.analysis.regions import region_totals

    run = regional.run
    totals = region_totals(run=run, region="珠晖区")
    assert totals == {"region": len(_results_by_region(run, "珠晖区")), "all": run.results.count()}
    assert 0 < totals["region"] < totals["all"]
    assert region_totals(run=run, region="石鼓区")["region"] == 0  # another campaign's region


def test_themes_in_region_count_their_letters_of_the_region(regional):
    from minsheng.consultation.analysis.regions import themes_in_region

    run = regional.run
    expected: Counter = Counter()
    for r in _results_by_region(run, "雁峰区"):
        if r.theme:
            expected[r.theme.code] += 1
            if r.theme.parent_id:
                expected[r.theme.parent.code] += 1
    broad = themes_in_region(run=run, region="雁峰区")
    assert broad and all(b.level == "broad" for b in broad)
    assert [b.n_region for b in broad] == sorted((b.n_region for b in broad), reverse=True)
    seen = {b.code: b.n_region for b in broad} | {
        t.code: t.n_region for b in broad for t in b.region_children
    }
    assert seen == dict(expected)
    for b in broad:
        assert all(t.parent_id == b.pk for t in b.region_children)
        assert b.n_region <= b.n_messages
    assert themes_in_region(run=run, region="石鼓区") == []


def test_hot_issues_in_region_count_their_letters_of_the_region(regional):
    from minsheng.consultation.analysis.regions import hot_issues_in_region

    run = regional.run
    expected = Counter(r.hot_issue_id for r in _results_by_region(run, "珠晖区") if r.hot_issue_id)
    issues = list(hot_issues_in_region(run=run, region="珠晖区"))
    assert issues, "the fixture's form letter makes a hot issue"
    assert {i.pk: i.n_region for i in issues} == dict(expected)
    assert [i.n_region for i in issues] == sorted((i.n_region for i in issues), reverse=True)
    assert not hot_issues_in_region(run=run, region="石鼓区").exists()


def test_the_digest_of_a_region_lists_what_its_letters_raised(regional):
    from minsheng.consultation.analysis.models import DigestMember
    from minsheng.consultation.analysis.selectors import digest_list

    run = regional.run
    members = DigestMember.objects.filter(digest__run=run).select_related("suggestion")
    expected = Counter(m.digest_id for m in members if m.suggestion.region == "雁峰区")
    found = list(digest_list(run=run, region="雁峰区", sort="region"))
    assert found and {d.pk: d.n_region for d in found} == dict(expected)
    assert [d.n_region for d in found] == sorted((d.n_region for d in found), reverse=True)
    # The other filters still narrow it; the region's sort means nothing without a region.
    word = found[0].headline[:2]
    assert {d.pk for d in digest_list(run=run, region="雁峰区", q=word)} <= set(expected)
    assert [d.rank for d in digest_list(run=run, sort="region")] == sorted(d.rank for d in run.digest.all())


def test_the_chart_counts_the_runs_letters_per_region(regional):
    from minsheng.consultation.analysis.regions import regions_chart

    run = regional.run
    every = Counter(r.suggestion.region for r in run.results.select_related("suggestion") if r.suggestion.region)
    chart = regions_chart(run)
    assert chart["rows"] == [
        {"name": name, "value": n} for name, n in sorted(every.items(), key=lambda i: (-i[1], i[0]))
    ]
    assert chart["n"] == sum(every.values()) and chart["regions"] == 2  # not 石鼓区, of another campaign


@pytest.fixture
def reported(fed, request):
    """``regional``'s regions, with a suggestion of each region rejected and one held for moderation before the
    run (the run analyses neither; the campaign still holds them)."""
    from minsheng.consultation.intake.models import Suggestion

    ids = list(fed.campaign.suggestions.order_by("pk").values_list("pk", flat=True))
    fed.campaign.suggestions.filter(pk__in=ids[::3]).update(region="珠晖区")
    fed.campaign.suggestions.filter(pk__in=ids[1::3]).update(region="雁峰区")
    fed.campaign.suggestions.filter(pk__in=ids[:2]).update(status=Suggestion.Status.REJECTED)
    fed.campaign.suggestions.filter(pk__in=ids[3:5]).update(status=Suggestion.Status.HELD)
    return request.getfixturevalue("analysed")


def test_the_report_and_the_pages_count_a_regions_letters_alike(reported):
    """The run's report (各地区建议) and the platform's pages (the overview's chart, a region's 建议摘编 and 主题 with
    本地区 N 条) read one definition: the letters the run analysed, a digest suggestion's by its members (a letter
    with several asks in each of their suggestions). Before, the chart counted the campaign's held and rejected
    suggestions too, and the report a digest suggestion's letters by each letter's main suggestion only."""
    from minsheng.consultation.analysis.models import DigestMember
    from minsheng.consultation.analysis.regions import regions_chart, themes_in_region
    from minsheng.consultation.analysis.selectors import digest_list
    from minsheng.engine.result import read_result
    from minsheng.reports._data import load_report_data, region_items

    run = reported.run
    data = load_report_data(run.out_dir)
    chart = regions_chart(run)
    assert dict(zip(data.regions["region"], data.regions["messages"], strict=True)) == {
        r["name"]: r["value"] for r in chart["rows"]}
    assert data.located == chart["n"] < reported.campaign.suggestions.exclude(region="").count()
    result = read_result(run.out_dir, record_columns=["id", "region", "theme_id", "suggestion_id"])
    suggestions, themes = (region_items(result.records, table, kind) for table, kind in (
        (result.suggestions, "suggestion"), (result.themes, "theme")))
    for region in ("珠晖区", "雁峰区"):
        pages = {d.code: d.n_region for d in digest_list(run=run, region=region, sort="region")}
        assert dict(suggestions.loc[suggestions["region"] == region, ["item", "n"]].itertuples(index=False)) == pages
        fine = {t.code: t.n_region for b in themes_in_region(run=run, region=region) for t in b.region_children}
        assert dict(themes.loc[themes["region"] == region, ["item", "n"]].itertuples(index=False)) == fine
    # the fixture has letters in more than one suggestion, where the two counts used to differ
    assert DigestMember.objects.filter(digest__run=run).count() > run.results.exclude(digest=None).count()


def test_no_region_filter_nor_chart_when_no_suggestion_has_a_region(client, analysed):
    from minsheng.consultation.analysis.regions import regions_chart

    assert regions_chart(analysed.run) == {"rows": [], "n": 0, "regions": 0}
    client.force_login(analysed.owner)
    for page in PAGES:
        html = client.get(BASE + page).content.decode()
        assert 'name="region"' not in html and "region-counts" not in html, page
    assert 'id="chart-regions"' not in client.get(BASE).content.decode()


def test_the_pages_say_the_regions_count_beside_the_whole(client, regional):
    client.force_login(regional.owner)
    n = len(_results_by_region(regional.run, "珠晖区"))
    whole = regional.run.results.count()
    for page in PAGES:
        response = client.get(BASE + page, {"region": "珠晖区"})
        html = response.content.decode()
        assert '<option value="珠晖区" selected>' in html and '<option value="石鼓区"' not in html, page
        assert f"本地区 {n} 条 / 全部 {whole} 条" in html, page
        assert response.context["region_totals"] == {"region": n, "all": whole}
    digest = client.get(BASE + "digest/", {"region": "珠晖区"})
    assert digest.context["sort"] == "region" and 'class="n-region"' in digest.content.decode()
    overview = client.get(BASE).content.decode()
    assert (
        'id="chart-regions"' in overview and f"{BASE}digest/?region=%E7%8F%A0%E6%99%96%E5%8C%BA" in overview
    )


def test_only_the_campaigns_managers_read_a_region(client, regional):
    for person in (regional.officer_a, regional.outsider):
        client.force_login(person)
        for page in ("", *PAGES):
            assert client.get(BASE + page, {"region": "珠晖区"}).status_code == 404, (person, page)


def test_a_regions_pages_do_not_query_per_row(client, regional, monkeypatch):
    from minsheng.consultation.analysis import views

    client.force_login(regional.owner)
    counts = {}
    for size in (2, 25):
        monkeypatch.setattr(views, "PAGE", size)
        counts[size] = []
        for page in PAGES:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(BASE + page, {"region": "雁峰区"}).status_code == 200
            counts[size].append(len(ctx.captured_queries))
    assert counts[2] == counts[25], counts


def test_a_listed_item_opens_on_its_letters_of_the_region(client, regional, monkeypatch):
    """From a list filtered by region, a theme, hot issue or digest suggestion opens on the region's letters,
    with how many of how many; its pages keep the region."""
    from minsheng.consultation.analysis import views

    client.force_login(regional.owner)
    run = regional.run
    theme = run.themes.filter(level="broad").order_by("-n_messages").first()
    issue = run.hot_issues.order_by("rank").first()
    item = run.digest.order_by("rank").first()
    for url, whole in (
        (f"themes/{theme.code}/", theme.n_messages),
        (f"hot/{issue.code}/", issue.n_messages),
        (f"digest/{item.code}/", None),
    ):
        every = client.get(BASE + url).context["page"].paginator.count
        response = client.get(BASE + url, {"region": "雁峰区"})
        page = response.context["page"]
        assert {r.suggestion.region for r in page} <= {"雁峰区"}, url
        assert response.context["region_totals"] == {"region": page.paginator.count, "all": every}, url
        assert page.paginator.count < every and every == (whole or every), url
        assert f"本地区 {page.paginator.count} 条 / 全部 {every} 条" in response.content.decode(), url
    listed = client.get(BASE + "themes/", {"region": "雁峰区"}).content.decode()
    assert f"themes/{theme.code}/?region=%E9%9B%81%E5%B3%B0%E5%8C%BA" in listed
    monkeypatch.setattr(views, "PAGE", 2)
    pager = client.get(BASE + f"themes/{theme.code}/", {"region": "雁峰区"}).content.decode()
    assert "region=%E9%9B%81%E5%B3%B0%E5%8C%BA&amp;page=2" in pager


def _read_by_region(run, region: str) -> dict:
    """Every count the region's pages show, as the selectors give them."""
    from minsheng.consultation.analysis.regions import hot_issues_in_region, region_totals, themes_in_region
    from minsheng.consultation.analysis.selectors import digest_list

    broad = themes_in_region(run=run, region=region)
    return {
        "total": region_totals(run=run, region=region)["region"],
        "themes": {t.pk: t.n_region for b in broad for t in (b, *b.region_children)},
        "hot": {i.pk: i.n_region for i in hot_issues_in_region(run=run, region=region)},
        "digest": {d.pk: d.n_region for d in digest_list(run=run, region=region)},
    }


def _counted_the_long_way(run, region: str) -> dict:
    from minsheng.consultation.analysis.models import DigestMember

    letters = _results_by_region(run, region)
    themes: Counter = Counter()
    for r in letters:
        if r.theme:
            themes.update([r.theme_id, *([r.theme.parent_id] if r.theme.parent_id else [])])
    members = DigestMember.objects.filter(digest__run=run).select_related("suggestion")
    return {
        "total": len(letters),
        "themes": dict(themes),
        "hot": dict(Counter(r.hot_issue_id for r in letters if r.hot_issue_id)),
        "digest": dict(Counter(m.digest_id for m in members if m.suggestion.region == region)),
    }


def test_a_regions_counts_follow_an_increment(regional, django_capture_on_commit_callbacks):
    """New letters of the region (copies that join its groups and hot issues, one of a region new to the run)
    are counted once the increment is loaded."""
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.services import analysis_run_start
    from minsheng.consultation.intake.services import suggestion_submit

    run = regional.run
    before = _read_by_region(run, "珠晖区")
    issue_member = (
        run.results.exclude(hot_issue=None).select_related("suggestion").order_by("suggestion_id")[0]
    )
    for region in ("珠晖区", "珠晖区", "蒸湘区"):
        original = issue_member.suggestion
        suggestion_submit(campaign=regional.campaign, title=original.title, text=original.text, region=region)
    with django_capture_on_commit_callbacks(execute=True):
        inc = analysis_run_start(campaign=regional.campaign, user=regional.owner, incremental=True)
    assert AnalysisRun.objects.get(pk=inc.pk).status == "done"
    for region in ("珠晖区", "雁峰区", "蒸湘区"):
        assert _read_by_region(run, region) == _counted_the_long_way(run, region), region
    after = _read_by_region(run, "珠晖区")
    assert after["total"] == before["total"] + 2
    assert after["hot"][issue_member.hot_issue_id] == before["hot"].get(issue_member.hot_issue_id, 0) + 2
    assert _read_by_region(run, "蒸湘区")["total"] == 1


def test_a_regions_reads_do_not_join_the_runs_letters(regional):
    """A region's counts are read from the counts stored per region, never by joining its letters to the run's
    results or digest members: that join cost what the run's size did once a district held a fifth of the
    letters (170-340 ms a read at 190,000, walk-2026-12-07b.md)."""
    from minsheng.consultation.analysis.models import DigestMember, SuggestionResult

    tables = (SuggestionResult._meta.db_table, DigestMember._meta.db_table)
    with CaptureQueriesContext(connection) as ctx:
        counts = _read_by_region(regional.run, "雁峰区")
    assert all(counts.values()), counts
    assert not [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in tables)]


def test_the_runs_analysed_before_the_counts_are_counted_by_the_migration(regional):
    import importlib

    from django.apps import apps

    from minsheng.consultation.analysis.models import RegionCount

    run = regional.run
    expected = {region: _counted_the_long_way(run, region) for region in ("珠晖区", "雁峰区")}
    RegionCount.objects.filter(run=run).delete()
    importlib.import_module("minsheng.consultation.migrations.0026_region_counts").count_earlier_runs(
        apps, None
    )
    assert {region: _read_by_region(run, region) for region in expected} == expected


@pytest.mark.parametrize(("model", "keys"), [("RegionCount", ("theme", "hot_issue", "digest")),
                                             ("SuggestionResult", ("theme", "form_letter", "hot_issue", "digest"))])
def test_each_item_a_regions_count_or_a_result_names_is_indexed(model, keys):
    """Deleting a theme, form letter, hot issue or digest suggestion (a run deleted, its tables replaced by a full
    run loaded again) finds the counts and results naming it, to delete or unset them and, on PostgreSQL, in the
    foreign key's check once per item: without an index led by the key each read the whole table (151 s for a run
    among five of 62,000 counts; for 200,000 results a run, see migration 0028). A (run, key) index does not serve
    the check, which names the key alone."""
    from minsheng.consultation.analysis import models

    table = getattr(models, model)._meta.db_table
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    leading = {c["columns"][0] for c in found.values() if c["index"] and c["columns"]}
    assert {"run_id", *(f"{key}_id" for key in keys)} <= leading
