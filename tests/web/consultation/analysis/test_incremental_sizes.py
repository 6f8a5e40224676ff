"""After an incremental run the pages show the new sizes of the groups, themes and issues new suggestions joined."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

pytestmark = pytest.mark.django_db


def _copy(campaign, suggestion):
    from minsheng.consultation.intake.services import suggestion_submit

    return suggestion_submit(campaign=campaign, title=suggestion.title, text=suggestion.text)


def _people(results) -> int:
    """Distinct authors as the engine counts them (no author: one person per message)."""
    seen, unknown = set(), 0
    for author_id, name in results.values_list("suggestion__author_id", "suggestion__author_name"):
        if author_id is None and not name:
            unknown += 1
        else:
            seen.add((author_id, "" if author_id is not None else name))
    return len(seen) + unknown


def test_an_increment_refreshes_the_sizes_it_changes(analysed, django_capture_on_commit_callbacks, client):
    from minsheng.consultation.analysis.models import AnalysisRun, HotIssue, SuggestionResult, Theme
    from minsheng.consultation.analysis.selectors import duplicate_groups
    from minsheng.consultation.analysis.services import analysis_run_start

    run = analysed.run
    results = SuggestionResult.objects.filter(run=run)
    letter_result = results.select_related("form_letter", "suggestion").get(suggestion__external_id="letter-0")
    letter = letter_result.form_letter
    single = (results.filter(dup_group_size=1, theme__isnull=False).exclude(suggestion__title="")
              .select_related("suggestion", "theme").order_by("suggestion_id").first())
    assert single.dup_group not in {r.dup_group for r in duplicate_groups(run)}
    # Another message than ``single``: a copy of each must land in a different group.
    issue_member = (results.exclude(hot_issue=None).exclude(pk=single.pk).select_related("suggestion", "hot_issue")
                    .order_by("suggestion_id").first())
    assert issue_member is not None
    heat_before = dict(HotIssue.objects.filter(run=run).values_list("pk", "heat"))
    before = {"letter": letter.messages, "issue": issue_member.hot_issue.n_messages,
              "theme": single.theme.n_messages, "broad": single.theme.parent.n_messages}

    from django.urls import reverse

    client.force_login(analysed.owner)
    overview = reverse("analysis", kwargs={"slug": analysed.campaign.slug})
    assert "含增量分析" not in client.get(overview).content.decode()

    copies = [_copy(analysed.campaign, letter_result.suggestion) for _ in range(2)]
    copies += [_copy(analysed.campaign, single.suggestion), _copy(analysed.campaign, issue_member.suggestion)]
    with django_capture_on_commit_callbacks(execute=True):
        inc = analysis_run_start(campaign=analysed.campaign, user=analysed.owner, incremental=True)
    inc = AnalysisRun.objects.get(pk=inc.pk)
    assert inc.status == "done" and inc.n_suggestions == 4, inc.error
    # The pages read the full run's results, now with the new suggestions in them, and say so.
    page = client.get(overview).content.decode()
    assert "结果来自第 1 次分析" in page and "含增量分析并入的 4 条新建议（最近一次为第 2 次" in page

    # Every member of every group carries the group's real size; the old singleton is now a listed group.
    sizes = dict(results.exclude(dup_group=None).values_list("dup_group").annotate(n=Count("id")).order_by())
    assert all(r.dup_group_size == sizes[r.dup_group] for r in results.exclude(dup_group=None))
    assert sizes[single.dup_group] == 2
    assert single.dup_group in {r.dup_group for r in duplicate_groups(run)}
    assert sizes[letter_result.dup_group] == before["letter"] + 2

    letter.refresh_from_db()
    assert letter.messages == before["letter"] + 2 == results.filter(form_letter=letter).count()
    assert letter.people == _people(results.filter(form_letter=letter))

    issue = issue_member.hot_issue
    issue.refresh_from_db()
    copy_result = results.get(suggestion=copies[3])
    assert copy_result.hot_issue_id == issue.pk
    assert issue.n_messages == results.filter(hot_issue=issue).count() > before["issue"]

    fine = Theme.objects.get(pk=single.theme_id)
    broad = fine.parent
    assert fine.n_messages == results.filter(theme=fine).count() >= before["theme"] + 1
    assert fine.n_users == _people(results.filter(theme=fine))
    members = results.filter(Q(theme=broad) | Q(theme__parent=broad))
    assert broad.n_messages == members.count() and broad.n_users == _people(members)
    assert results.get(suggestion=copies[2]).theme_id == single.theme_id  # the copy joined the same theme
    assert broad.n_messages >= before["broad"] + 1

    # The copy is dated today, years after the issue's other members: its time span and recency changed, so
    # its heat did, and the order follows the heat.
    issues = list(HotIssue.objects.filter(run=run).order_by("rank"))
    assert [i.rank for i in issues] == list(range(1, len(issues) + 1))
    assert all(a.heat >= b.heat for a, b in zip(issues, issues[1:], strict=False))
    assert issue.time_end > issue.time_start
    assert HotIssue.objects.get(pk=issue.pk).heat != heat_before[issue.pk]


def test_heat_and_rank_computed_again_are_the_engine_s(analysed):
    """Re-ranking right after a full run changes nothing: the platform's counts are the engine's."""
    from minsheng.consultation.analysis.models import HotIssue
    from minsheng.consultation.analysis.services import rerank_hot_issues

    fields = ("code", "rank", "n_messages", "n_users", "time_start", "time_end", "heat")
    before = list(HotIssue.objects.filter(run=analysed.run).order_by("rank").values_list(*fields))
    assert before
    rerank_hot_issues(analysed.run)
    after = list(HotIssue.objects.filter(run=analysed.run).order_by("rank").values_list(*fields))
    assert [row[:-1] for row in after] == [row[:-1] for row in before]
    assert [row[-1] for row in after] == pytest.approx([row[-1] for row in before], abs=0.011)


def test_likes_stored_reach_the_engine_and_weigh_alike_when_ranked_again(fed, settings,
                                                                         django_capture_on_commit_callbacks):
    """An imported file's 点赞数 was not stored: the engine ranked a platform's issues without them. Now they go
    to the engine and count the same when the platform ranks again, once per voice (the most any copy has)."""
    from minsheng.consultation.analysis.models import HotIssue, SuggestionResult
    from minsheng.consultation.analysis.services import analysis_run_start, rerank_hot_issues, run_dir
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.engine.result import read_result

    for n, pk in enumerate(Suggestion.objects.order_by("pk").values_list("pk", flat=True)):
        Suggestion.objects.filter(pk=pk).update(likes=(n * 37) % 500 if n % 3 else 0)
    settings.ANALYSIS_REPORTS = False
    with django_capture_on_commit_callbacks(execute=True):
        run = analysis_run_start(campaign=fed.campaign, user=fed.owner)
    run.refresh_from_db()
    assert run.status == "done", run.error
    records = read_result(run_dir(run)).records.set_index("id")
    stored = dict(Suggestion.objects.values_list("pk", "likes"))
    assert records["likes"].sum() > 0
    assert {int(i): int(n) for i, n in records["likes"].items()} == stored
    members = SuggestionResult.objects.filter(run=run).exclude(hot_issue=None)
    assert members.filter(suggestion__likes__gt=0).exists()

    fields = ("code", "rank", "heat")
    before = list(HotIssue.objects.filter(run=run).order_by("rank").values_list(*fields))
    rerank_hot_issues(run)
    after = list(HotIssue.objects.filter(run=run).order_by("rank").values_list(*fields))
    assert [row[:2] for row in after] == [row[:2] for row in before]
    assert [row[2] for row in after] == pytest.approx([row[2] for row in before], abs=0.011)
