"""The analyst's and the officers' pages: who may open what, and list pages in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.consultation.intake.receipts import display_receipt

pytestmark = pytest.mark.django_db


def _analyst_urls(run, slug="plan"):
    theme = run.themes.filter(level="fine").first()
    group = run.results.filter(dup_group_size__gt=1).values_list("dup_group", flat=True).first()
    urls = [f"/manage/c/{slug}/analysis/", f"/manage/c/{slug}/analysis/themes/",
            f"/manage/c/{slug}/analysis/themes/{theme.code}/", f"/manage/c/{slug}/analysis/themes/{theme.code[:3]}/",
            f"/manage/c/{slug}/analysis/groups/", f"/manage/c/{slug}/analysis/groups/{group}/",
            f"/manage/c/{slug}/analysis/hot/", f"/manage/c/{slug}/analysis/search/?q=建议",
            f"/manage/c/{slug}/analysis/runs/{run.pk}/progress/"]
    hot = run.hot_issues.first()
    if hot:
        urls.append(f"/manage/c/{slug}/analysis/hot/{hot.code}/")
    return urls


def test_the_owner_opens_every_analysis_page(client, analysed):
    client.force_login(analysed.owner)
    for url in _analyst_urls(analysed.run):
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get("/manage/c/plan/analysis/").content.decode()
    assert 'id="analysis-data"' in html and "reports/echarts.min.js" in html


def test_the_charts_name_hot_issues_and_form_letters_by_what_they_say(analysed):
    """A bar labelled H0003 or C0001 tells the reader nothing: a hot issue is named by its place, else by the
    headline its description opens with; a form letter by its code and the start of its template."""
    import re

    from minsheng.consultation.analysis.selectors import dashboard_data

    data = dashboard_data(campaign=analysed.run.campaign, run=analysed.run)
    issues = list(analysed.run.hot_issues.all()[:10])
    assert data["hot"] and any(not h.place for h in issues)
    for bar, issue in zip(data["hot"], issues, strict=True):
        assert not re.fullmatch(r"H\d+", bar["name"])
        assert bar["name"] == (issue.place or re.split(r"[；（(]", issue.description)[0])
    letters = list(analysed.run.form_letters.all()[:10])
    assert letters and [r["name"] for r in data["letters"]] == [f"{f.code} {f.template[:30]}" for f in letters]


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "partner", "citizen", "outsider"])
def test_nobody_else_opens_the_analysis(client, analysed, who):
    client.force_login(getattr(analysed, who))
    for url in _analyst_urls(analysed.run):
        assert client.get(url).status_code == 404, url
    assert client.post("/manage/c/plan/analysis/start/").status_code == 404
    assert client.post("/manage/c/plan/analysis/retrain/").status_code == 404
    assert client.post("/manage/c/plan/analysis/publish/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, analysed):
    response = client.get("/manage/c/plan/analysis/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_search_finds_chinese_words_and_filters(client, analysed):
    client.force_login(analysed.owner)
    page = client.get("/manage/c/plan/analysis/search/", {"q": "停车位 心声"}).context["page"]
    assert page.paginator.count == 12
    assert {s.external_id for s in page} == {f"letter-{i}" for i in range(12)}
    page = client.get("/manage/c/plan/analysis/search/",
                      {"q": "停车位 心声", "department": analysed.dept_b.pk}).context["page"]
    assert page.paginator.count == 0


def test_officer_a_cannot_see_or_act_on_b_by_any_url(client, analysed):
    from minsheng.consultation.workbench.models import Reply

    of_b = analysed.campaign.suggestions.filter(department=analysed.dept_b).first()
    client.force_login(analysed.officer_a)
    assert display_receipt(of_b.receipt) not in client.get("/manage/inbox/").content.decode()
    assert client.get(f"/manage/inbox/s/{of_b.pk}/").status_code == 404
    assert client.post(f"/manage/inbox/s/{of_b.pk}/reassign/",
                       {"from": analysed.dept_b.pk, "to": analysed.dept_a.pk}).status_code == 404
    # Posting B's department id or A's for B's suggestion: refused either way, nothing written.
    assert client.post("/manage/inbox/act/", {"ids": [of_b.pk], "dept": analysed.dept_b.pk,
                                              "text": "越权答复"}).status_code == 404
    client.post("/manage/inbox/act/", {"ids": [of_b.pk], "dept": analysed.dept_a.pk, "text": "越权答复"})
    assert not Reply.objects.exists()
    of_b.refresh_from_db()
    assert of_b.department == analysed.dept_b and of_b.status == "in_review"  # held by B: 办理中


def test_an_analyst_cannot_reply_for_a_department(client, analysed):
    of_a = analysed.campaign.suggestions.filter(department=analysed.dept_a).first()
    client.force_login(analysed.owner)
    assert client.get("/manage/inbox/").status_code == 403
    assert client.post("/manage/inbox/act/", {"ids": [of_a.pk], "dept": analysed.dept_a.pk,
                                              "text": "答复"}).status_code == 403


def test_an_officer_replies_to_a_group_from_the_inbox(client, analysed):
    from minsheng.consultation.analysis.models import SuggestionResult

    letter = SuggestionResult.objects.get(run=analysed.run, suggestion__external_id="letter-0")
    client.force_login(analysed.officer_a)
    response = client.get("/manage/inbox/", {"c": "plan", "group": letter.dup_group})
    ids, initial = response.context["all_ids"], response.context["counts"]
    assert len(ids) == 12
    response = client.post("/manage/inbox/act/", {"ids": ids, "dept": analysed.dept_a.pk, "outcome": "adopted",
                                                  "text": "感谢", "note": "已纳入停车规划", "scope": "group"},
                           follow=True)
    assert "已办理 12 条建议" in response.content.decode()
    assert analysed.campaign.suggestions.filter(status="adopted").count() == 12
    # The group is not offered again, the counts moved, and 已办 lists what was answered.
    response = client.get("/manage/inbox/", {"c": "plan", "group": letter.dup_group})
    assert response.context["all_ids"] == [] and "已全部答复" in response.content.decode()
    assert response.context["counts"] == {"todo": initial["todo"] - 12, "done": initial["done"] + 12}
    done = client.get("/manage/inbox/", {"c": "plan", "state": "done"}).context["page"]
    assert {s.status for s in done} == {"adopted"}
    todo = client.get("/manage/inbox/", {"c": "plan"}).context["page"]
    assert todo and all(s.status in ("received", "in_review") for s in todo)


def test_a_refused_reply_says_why(client, analysed):
    from minsheng.consultation.workbench.services import suggestion_reassign

    s = analysed.campaign.suggestions.filter(department=analysed.dept_a).first()
    client.force_login(analysed.officer_a)  # the officer opened the page while it was still theirs …
    suggestion_reassign(user=analysed.officer_a, suggestion_id=s.pk, from_department=analysed.dept_a,
                        to_department=analysed.dept_b)  # … and a colleague moved it meanwhile
    response = client.post("/manage/inbox/act/", {"ids": [s.pk], "dept": analysed.dept_a.pk, "text": "答复"},
                         follow=True)
    assert "已转至其他部门" in response.content.decode() and display_receipt(s.receipt) in response.content.decode()


def _count(client, url) -> int:
    client.get(url)  # the inbox's group counts are cached after the first view
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_query_per_row(client, analysed, monkeypatch):
    """The same number of queries for 5 rows as for 25: nothing is fetched row by row."""
    from minsheng.consultation.analysis import views as analysis
    from minsheng.consultation.workbench import views as workbench

    counts = {}
    for size in (5, 25):
        monkeypatch.setattr(analysis, "PAGE", size)
        monkeypatch.setattr(workbench, "PAGE", size)
        client.force_login(analysed.owner)
        theme = analysed.run.themes.filter(level="broad").order_by("-n_messages").first()
        urls = ["/manage/c/plan/analysis/search/", f"/manage/c/plan/analysis/themes/{theme.code}/",
                "/manage/c/plan/analysis/groups/", "/manage/c/plan/analysis/themes/"]
        counts[size] = [_count(client, u) for u in urls]
        client.force_login(analysed.officer_a)
        counts[size].append(_count(client, "/manage/inbox/?c=plan"))
    assert counts[5] == counts[25], counts
    assert max(counts[25]) <= 16, counts  # 检索: the regions it offers are one query (h-qa27)


def test_adopting_a_whole_theme_names_it_on_the_public_page(client, analysed):
    from minsheng.consultation.publishing.services import campaign_results_publish
    from minsheng.consultation.workbench.models import Reply

    client.force_login(analysed.officer_a)
    theme = analysed.run.themes.filter(level="broad").order_by("-n_messages").first()
    ids = client.get("/manage/inbox/", {"c": "plan", "theme": theme.code}).context["all_ids"]
    assert ids
    client.post("/manage/inbox/act/", {"ids": ids, "dept": analysed.dept_a.pk, "outcome": "partly_adopted",
                                       "text": "感谢", "note": "部分纳入规划", "scope": "theme", "theme": theme.code})
    reply = Reply.objects.get()
    assert reply.theme == theme and reply.links.count() == len(ids)
    campaign_results_publish(actor=analysed.owner, campaign=analysed.campaign)
    html = client.get("/c/plan/results/").content.decode()
    assert "部分纳入规划" in html and theme.label in html


def test_the_public_page_draws_each_theme_as_a_bar_of_its_share(client, analysed):
    """What we heard is seen at a glance: each broad theme a bar as long as its messages against the largest
    (no script, so it shows on any phone), with the count written beside it."""
    import re

    from minsheng.consultation.publishing.services import campaign_results_publish

    campaign_results_publish(actor=analysed.owner, campaign=analysed.campaign)
    html = client.get("/c/plan/results/").content.decode()
    themes = list(analysed.run.themes.filter(level="broad").order_by("-n_messages"))
    widths = [int(w) for w in re.findall(r'<div class="bar" aria-hidden="true"><div style="width: (\d+)%">', html)]
    assert len(widths) == len(themes) > 1 and widths[0] == 100
    assert widths == [round(100 * t.n_messages / themes[0].n_messages) for t in themes]


def test_a_hot_issue_without_a_place_is_headed_by_its_rank_not_a_dangling_dot(client, analysed):
    import re

    client.force_login(analysed.owner)
    issue = analysed.run.hot_issues.filter(place="").first()
    html = client.get(f"/manage/c/plan/analysis/hot/{issue.code}/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert heading == f"第 {issue.rank} 热点 · 热度 {issue.heat:.1f}"


def test_a_hot_issue_and_a_group_name_their_campaign_in_the_window_title(client, analysed):
    """Every other analysis page's <title> names the campaign; 第 1 热点 / 重复组 #6 alone could be any campaign's tab."""
    import re

    client.force_login(analysed.owner)
    issue = analysed.run.hot_issues.first()
    group = analysed.run.results.exclude(dup_group=None).values_list("dup_group", flat=True).first()
    title = analysed.campaign.title
    for url, start in ((f"/manage/c/plan/analysis/hot/{issue.code}/", f"第 {issue.rank} 热点 · "),
                       (f"/manage/c/plan/analysis/groups/{group}/", f"重复组 #{group} · ")):
        window = re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S).group(1)
        assert window.startswith(start + title), (url, window)


def test_a_time_span_shows_the_year_when_it_crosses_one_or_is_not_this_year(client, analysed):
    """The hot-issue, digest and form-letter tables wrote a span as month-day only: "11-01–01-15" could be any
    two winters. The year is written whenever the span is not wholly within this year."""
    from datetime import datetime

    from django.utils import timezone

    run = analysed.run
    this_year = timezone.localdate().year
    at = lambda y, m, d: timezone.make_aware(datetime(y, m, d, 9, 30))  # noqa: E731
    crossing = run.hot_issues.order_by("rank").first()
    crossing.time_start, crossing.time_end = at(2019, 11, 1), at(2020, 1, 15)
    crossing.save()
    client.force_login(analysed.owner)
    page = client.get("/manage/c/plan/analysis/hot/").content.decode()
    assert "2019-11-01 至 2020-01-15" in page and "11-01–01-15" not in page

    crossing.time_start, crossing.time_end = at(this_year, 3, 2), at(this_year, 4, 5)
    crossing.save()
    page = client.get("/manage/c/plan/analysis/hot/").content.decode()
    assert "03-02 至 04-05" in page and f"{this_year}-03-02" not in page
    crossing.time_end = at(this_year, 3, 2)
    crossing.save()
    assert "03-02 至 03-02" not in client.get("/manage/c/plan/analysis/hot/").content.decode()

    letter = run.form_letters.first()
    letter.first_time, letter.last_time = at(2019, 12, 30), at(2020, 1, 2)
    letter.save()
    page = client.get("/manage/c/plan/analysis/groups/").content.decode()
    assert "2019-12-30 09:30 至 2020-01-02 09:30" in page


def test_a_group_number_of_no_group_of_the_run_is_not_found(client, analysed):
    """/groups/99999/ (or an older run's number) drew an empty 重复组 page with status 200, as if the group had
    lost its members."""
    client.force_login(analysed.owner)
    response = client.get("/manage/c/plan/analysis/groups/99999/")
    assert response.status_code == 404 and "本次分析中没有这个重复组" in response.content.decode()


def test_the_time_an_analysis_took_is_given_to_a_tenth_of_a_second(client, analysed):
    """The engine records its seconds to the millisecond; a planner reads "5.7 秒", not "5.733 秒"."""
    analysed.run.counts = {**analysed.run.counts, "seconds": 5.733}
    analysed.run.save(update_fields=["counts"])
    client.force_login(analysed.owner)
    html = client.get("/manage/c/plan/analysis/").content.decode()
    assert "5.7 秒" in html and "5.733" not in html


def _current_items(html: str) -> list[tuple[str, str]]:
    """(aria-current, words) of every sub-navigation item marked as where the reader is."""
    import re

    nav = re.search(r'<nav class="subnav[^"]*"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="[^"]*" aria-current="(\w+)">([^<]*)</a>', nav)


def test_the_sub_navigation_says_which_page_one_is_on(client, analysed):
    """No item of the analysis pages' sub-navigation said where the reader was: the current one carries
    aria-current (page on its own page, true on a page under it), exactly one at a time."""
    client.force_login(analysed.owner)
    theme = analysed.run.themes.filter(level="fine").first()
    for url, expected in [("/manage/c/plan/analysis/", ("page", "分析总览")),
                          ("/manage/c/plan/analysis/themes/", ("page", "主题")),
                          (f"/manage/c/plan/analysis/themes/{theme.code}/", ("true", "主题")),
                          ("/manage/c/plan/analysis/search/?q=建议", ("page", "检索"))]:
        assert _current_items(client.get(url).content.decode()) == [expected], url


def test_the_campaign_management_pages_show_the_sub_navigation_too(client, analysed):
    """征集管理 and its import pages showed no sub-navigation while every analysis page did: the way back from an
    import to the campaign was one link, the way on to the analysis none. They show the same one now, 征集管理
    marked as the page on the campaign's own page and as the section on an import's; the navigation is named."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(analysed.owner)
    posted = client.post("/manage/c/plan/imports/", {"file": SimpleUploadedFile(
        "export.csv", "编号,详情\n1,建议增加公交线路\n".encode(), content_type="text/csv")})
    assert posted.status_code == 302
    for url, expected in [("/manage/c/plan/", ("page", "征集管理")),
                          ("/manage/c/plan/imports/", ("true", "征集管理")),
                          (posted["Location"], ("true", "征集管理")),
                          ("/manage/c/plan/analysis/hot/", ("page", "热点问题"))]:
        html = client.get(url).content.decode()
        assert _current_items(html) == [expected], url
        assert '<nav class="subnav meta" aria-label="征集与分析">' in html, url


def test_a_campaigns_runs_are_numbered_within_the_campaign(client, analysed):
    """The pages called a run by its database id: a new campaign's first analysis read 结果来自第 7 次分析 (the
    runs of every campaign before it counted). They number a campaign's runs from 1: the result's line, the
    record's table (an increment names its base by that number) and the progress of a run under way."""
    import re

    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.intake.services import campaign_create

    other = campaign_create(owner=analysed.owner, slug="other", title="另一次征集", question="您有什么建议？")
    for _ in range(3):
        AnalysisRun.objects.create(campaign=other, status=AnalysisRun.Status.DONE)
    AnalysisRun.objects.create(campaign=analysed.campaign, base=analysed.run, status=AnalysisRun.Status.FAILED)
    queued = AnalysisRun.objects.create(campaign=analysed.campaign, status=AnalysisRun.Status.QUEUED)
    assert queued.pk >= analysed.run.pk + 5
    client.force_login(analysed.owner)
    html = client.get("/manage/c/plan/analysis/").content.decode()
    assert "结果来自第 1 次分析" in html and "第 3 次分析" in html
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", html)
    assert rows == [("3", "全量"), ("2", "增量（并入 #1）"), ("1", "全量")]
    progress = client.get(f"/manage/c/plan/analysis/runs/{queued.pk}/progress/").content.decode()
    assert "第 3 次分析" in progress


def test_a_run_is_numbered_in_the_query_that_reads_it(client, analysed):
    """A run's number had two sources, a model property counting the campaign's runs (a query per run it was
    read on) and the ``numbered`` annotation. The annotation is the one: the runs table costs the same queries
    for 3 runs as for 12, and the progress fragment reads its numbered run in one query, not two."""
    from minsheng.consultation.analysis.models import AnalysisRun

    def run_queries(url) -> tuple[str, list[str]]:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        return html, [q["sql"] for q in ctx.captured_queries if "analysisrun" in q["sql"].lower()]

    client.force_login(analysed.owner)
    AnalysisRun.objects.create(campaign=analysed.campaign, base=analysed.run, status=AnalysisRun.Status.DONE)
    queued = AnalysisRun.objects.create(campaign=analysed.campaign, status=AnalysisRun.Status.QUEUED)
    html, few = run_queries("/manage/c/plan/analysis/")
    assert "第 3 次分析" in html
    for _ in range(9):
        AnalysisRun.objects.create(campaign=analysed.campaign, status=AnalysisRun.Status.FAILED)
    html, many = run_queries("/manage/c/plan/analysis/")
    assert len(many) == len(few) and "<tr><td>12</td>" in html
    html, progress = run_queries(f"/manage/c/plan/analysis/runs/{queued.pk}/progress/")
    assert "第 3 次分析" in html and len(progress) == 1, progress


def test_an_empty_digest_says_why_and_where_single_ideas_are(client, analysed):
    """A small campaign's digest read 诉求按相似程度归并为 0 条建议 over 没有符合条件的建议, as if broken: the digest
    keeps only asks two people or more share. It says so and leads to 金点子 and 检索; with items it does not."""
    client.force_login(analysed.owner)
    assert analysed.run.digest.exists()
    assert 'id="digest-none"' not in client.get("/manage/c/plan/analysis/digest/").content.decode()
    analysed.run.digest.all().delete()
    html = client.get("/manage/c/plan/analysis/digest/").content.decode()
    assert "没有两人以上提出的相同诉求" in html and 'href="/manage/c/plan/analysis/novel/">金点子</a>' in html
    assert "归并为 0 条建议" not in html


def test_the_digest_page_reads_its_totals_in_one_query(client, analysed):
    """Whether the run has a digest at all was one more query (``exists``) beside the count of mixed items: one
    aggregate gives both. The digest table is read four times: the page's count and rows, the totals, the
    departments; a search that finds nothing still shows the table's empty row, not the empty digest's why."""
    client.force_login(analysed.owner)
    client.get("/manage/c/plan/analysis/digest/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/manage/c/plan/analysis/digest/").content.decode()
    digest_reads = [q["sql"] for q in ctx.captured_queries if "digestsuggestion" in q["sql"].lower()]
    assert len(digest_reads) == 4, digest_reads
    assert 'id="digest-none"' not in html
    html = client.get("/manage/c/plan/analysis/digest/?q=没有这样的词语").content.decode()
    assert 'id="digest-none"' not in html and "没有符合条件的建议" in html


def test_search_offers_the_departments_of_the_campaign_not_of_the_site(client, analysed):
    """检索's department filter listed every department of the site: one no suggestion of the campaign can be in
    was offered beside its own. It lists the campaign's departments, any other that holds one of its
    suggestions (moved there), and the one a link chose."""
    from minsheng.accounts.models import Organisation
    from minsheng.accounts.services import organisation_create

    unrelated = organisation_create(code="water", name="水务局", kind=Organisation.Kind.DEPARTMENT)
    moved_to = organisation_create(code="health", name="卫生健康委", kind=Organisation.Kind.DEPARTMENT)
    analysed.campaign.suggestions.filter(pk=analysed.campaign.suggestions.first().pk).update(department=moved_to)
    client.force_login(analysed.owner)
    offered = {d.name for d in client.get("/manage/c/plan/analysis/search/").context["departments"]}
    assert offered == {analysed.dept_a.name, analysed.dept_b.name, moved_to.name}
    chosen = client.get("/manage/c/plan/analysis/search/", {"department": unrelated.pk})
    assert unrelated.name in {d.name for d in chosen.context["departments"]}
    assert f'<option value="{unrelated.pk}" selected>' in chosen.content.decode()


def test_a_filtered_digest_names_the_whole_digest_and_what_the_filter_found(client, analysed):
    """A search made the first line say the digest held as many suggestions as the search found ("归并为 1 条"),
    so an officer who searched read the whole analysis as one suggestion: the total is the run's, the filter's
    count is said beside it."""
    client.force_login(analysed.owner)
    total = analysed.run.digest.count()
    assert total > 1
    html = client.get("/manage/c/plan/analysis/digest/").content.decode()
    assert f"归并为 {total} 条建议" in html and 'id="digest-found"' not in html
    html = client.get("/manage/c/plan/analysis/digest/?q=没有这样的词语").content.decode()
    assert f"归并为 {total} 条建议" in html and "符合当前条件的有 0 条" in html
