"""The suggestion digest (建议摘编) in the platform: the analyst's list and page, an officer answering a whole
suggestion from the inbox, and the public "N 人提出 → 采纳" line."""

from __future__ import annotations

import pytest

from minsheng.consultation.intake.receipts import display_receipt

pytestmark = pytest.mark.django_db


def _letter_item(analysed):
    """The digest suggestion the twelve form letters (停车位) belong to."""
    from minsheng.consultation.analysis.models import SuggestionResult

    result = SuggestionResult.objects.select_related("digest").get(run=analysed.run,
                                                                  suggestion__external_id="letter-0")
    assert result.digest is not None
    return result.digest


def test_the_run_loads_the_digest_and_links_every_member(analysed):
    run = analysed.run
    items = list(run.digest.all())
    assert items and [d.rank for d in items] == list(range(1, len(items) + 1))
    for d in items[:5]:
        assert d.headline and d.people >= 2 and d.quotes
        # A letter's main ask (its title's) is its result's suggestion; every letter with an ask in it is a member.
        assert 0 < run.results.filter(digest=d).count() <= d.members.count() == d.messages


def test_the_owner_lists_searches_filters_and_opens_suggestions(client, analysed):
    client.force_login(analysed.owner)
    item = _letter_item(analysed)
    page = client.get("/manage/c/plan/analysis/digest/")
    first = page.context["page"].object_list[0]
    assert page.status_code == 200 and first.rank == 1 and first.headline in page.content.decode()
    word = "停车"
    found = client.get("/manage/c/plan/analysis/digest/", {"q": word}).context["page"].object_list
    assert item in found and all(word in d.headline or word in d.description for d in found)
    department = item.department_label
    if department:
        rows = client.get("/manage/c/plan/analysis/digest/", {"department": department}).context["page"].object_list
        assert rows and {d.department_label for d in rows} == {department}
    by_likes = client.get("/manage/c/plan/analysis/digest/", {"sort": "messages"}).context["page"].object_list
    assert [d.messages for d in by_likes] == sorted((d.messages for d in by_likes), reverse=True)
    detail = client.get(f"/manage/c/plan/analysis/digest/{item.code}/")
    html = detail.content.decode()
    assert detail.status_code == 200 and f"{item.people} 人提出" in html
    assert len(detail.context["page"].object_list) == min(item.members.count(), 25)


@pytest.mark.parametrize("who", ["officer_a", "partner", "citizen", "outsider"])
def test_nobody_else_opens_the_digest(client, analysed, who):
    item = _letter_item(analysed)
    client.force_login(getattr(analysed, who))
    assert client.get("/manage/c/plan/analysis/digest/").status_code == 404
    assert client.get(f"/manage/c/plan/analysis/digest/{item.code}/").status_code == 404


def test_an_officer_adopts_a_whole_suggestion_and_the_public_page_says_so(client, analysed):
    from minsheng.consultation.publishing.services import campaign_results_publish
    from minsheng.consultation.workbench.models import Reply

    item = _letter_item(analysed)
    client.force_login(analysed.officer_a)
    response = client.get("/manage/inbox/", {"c": "plan", "digest": item.code})
    ids = response.context["all_ids"]
    mine = item.members.filter(suggestion__department=analysed.dept_a).count()
    assert len(ids) == mine >= 12 and item.headline in response.content.decode()
    client.post("/manage/inbox/act/", {"ids": ids, "dept": analysed.dept_a.pk, "outcome": "adopted",
                                       "text": "感谢", "note": "纳入城区停车规划", "scope": "digest",
                                       "digest": item.code})
    reply = Reply.objects.get()
    assert reply.digest == item and reply.scope == "digest" and reply.links.count() == len(ids)
    campaign_results_publish(actor=analysed.owner, campaign=analysed.campaign)
    html = client.get("/c/plan/results/").content.decode()
    assert item.headline in html and f"{item.people} 人提出" in html
    assert "纳入城区停车规划" in html and "采纳" in html


def test_a_letter_with_several_asks_belongs_to_each_of_their_suggestions(client, analysed):
    """Members are the engine's member_ids, so a letter whose asks fall in two suggestions is listed under both,
    and the officer's page of the letter links to each, its main ask marked."""
    from django.db.models import Count

    from minsheng.consultation.analysis.models import DigestMember
    from minsheng.consultation.analysis.services import run_dir
    from minsheng.engine.result import read_result

    table = read_result(run_dir(analysed.run)).suggestions
    expected = {(code, int(pk)) for code, ids in zip(table["suggestion_id"], table["member_ids"], strict=True)
                for pk in ids.split(";")}
    loaded = set(DigestMember.objects.filter(digest__run=analysed.run).values_list("digest__code", "suggestion_id"))
    assert loaded == expected
    several = (DigestMember.objects.filter(digest__run=analysed.run).values("suggestion")
               .annotate(n=Count("id")).filter(n__gte=2).order_by("-n", "suggestion").first())
    assert several is not None, "the synthetic letters raise several asks"
    letter = analysed.run.results.select_related("suggestion", "digest").get(suggestion_id=several["suggestion"])
    items = list(analysed.run.digest.filter(members__suggestion=letter.suggestion).order_by("rank"))
    assert len(items) == several["n"] and letter.digest in items

    client.force_login(analysed.owner)
    for item in items:
        listed = client.get(f"/manage/c/plan/analysis/digest/{item.code}/").context["page"].paginator.object_list
        assert letter.suggestion_id in {r.suggestion_id for r in listed}
    main_page = client.get(f"/manage/c/plan/analysis/digest/{letter.digest.code}/").content.decode()
    assert "主要诉求" in main_page

    officer = analysed.officer_a if letter.suggestion.department == analysed.dept_a else analysed.officer_b
    client.force_login(officer)
    html = client.get(f"/manage/inbox/s/{letter.suggestion_id}/").content.decode()
    for item in items:
        link = f"?c=plan&amp;digest={item.code}"
        assert link in html and item.headline in html
        inbox = client.get("/manage/inbox/", {"c": "plan", "digest": item.code})
        assert letter.suggestion_id in inbox.context["all_ids"]
    assert html.count("主要诉求") == 1


def _engine_flags(run):
    """What the engine wrote for each suggestion of the run: code → (ask spread, mixed)."""
    from minsheng.consultation.analysis.services import run_dir
    from minsheng.engine.result import read_result

    table = read_result(run_dir(run), record_columns=[], tables=["suggestions"]).suggestions
    return {code: (round(float(spread), 3), bool(mixed))
            for code, spread, mixed in zip(table["suggestion_id"], table["ask_spread"], table["mixed"], strict=True)}


def _loaded_flags(run):
    return {code: (round(spread, 3), mixed) for code, spread, mixed in run.digest.values_list("code", "ask_spread", "mixed")}


def test_the_run_loads_each_suggestions_ask_spread_and_mixed_flag_from_the_engine(analysed):
    flags = _engine_flags(analysed.run)
    assert any(spread > 0 for spread, _ in flags.values()), "the synthetic letters differ in their asks"
    assert _loaded_flags(analysed.run) == flags


def test_a_mixed_suggestion_is_marked_explained_filtered_and_sorted(client, analysed):
    """An officer sees 内容可能混杂 on the list, the suggestion's page (with the share of members that differ) and
    the inbox where the whole suggestion is answered; the list filters on it and sorts by ask spread."""
    run = analysed.run
    item = _letter_item(analysed)
    run.digest.filter(pk=item.pk).update(mixed=True, ask_spread=0.55)
    client.force_login(analysed.owner)
    response = client.get("/manage/c/plan/analysis/digest/")
    listing, shown = response.content.decode(), response.context["page"].object_list
    # The first page marks what it shows that is mixed (the letters' suggestion ranks below it: none, or the
    # engine's own flags, may be there).
    assert listing.count("内容可能混杂</span>") == sum(d.mixed for d in shown)
    assert f"其中 {run.digest.filter(mixed=True).count()} 条标为“内容可能混杂”" in listing
    response = client.get("/manage/c/plan/analysis/digest/", {"mixed": "yes"})
    only = response.context["page"].object_list
    assert list(only) and all(d.mixed for d in only) and item in only
    assert response.content.decode().count("内容可能混杂</span>") == len(only)
    rest = client.get("/manage/c/plan/analysis/digest/", {"mixed": "no"}).context["page"].paginator.object_list
    assert item not in rest and rest.count() == run.digest.filter(mixed=False).count()
    spread = client.get("/manage/c/plan/analysis/digest/", {"sort": "spread"}).context["page"].object_list
    assert [d.ask_spread for d in spread] == sorted((d.ask_spread for d in spread), reverse=True)
    page = client.get(f"/manage/c/plan/analysis/digest/{item.code}/").content.decode()
    assert 'id="digest-mixed"' in page and "约 55% 提出的诉求与其余不同" in page
    calm = run.digest.filter(mixed=False).first()
    assert 'id="digest-mixed"' not in client.get(f"/manage/c/plan/analysis/digest/{calm.code}/").content.decode()
    client.force_login(analysed.officer_a)
    inbox = client.get("/manage/inbox/", {"c": "plan", "digest": item.code}).content.decode()
    assert "内容可能混杂" in inbox and "整体答复前请逐条看一看" in inbox


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_an_existing_run_the_flags_its_result_holds(analysed):
    """A database analysed before the flags existed: back to 0012 (the columns dropped), forward again, and each
    suggestion has what the engine's reader finds in the run's suggestions.csv (the migration reads it itself)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("consultation", "0012_digest_members")])
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("consultation", "0013_digest_mixed")])
        assert _loaded_flags(analysed.run) == _engine_flags(analysed.run)
    finally:  # every later migration again: the tests after this one share the database (0014 made NovelIdea)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_suggestion_whose_letters_split_evenly_between_departments_is_pending_and_found_by_each(client, analysed):
    """The engine names every tied department (tests/engine/test_digest.py); the platform says 待定 instead of one
    of them, and filtering by either department finds the suggestion. The synthetic campaign's router sends every
    suggestion's letters one way, so one suggestion is given the tie the engine would write."""
    from minsheng.engine.result import TIED_DEPARTMENTS

    run = analysed.run
    a, b = analysed.dept_a.name, analysed.dept_b.name
    item, alone = run.digest.order_by("-rank")[:2]
    run.digest.filter(pk=item.pk).update(department_label=TIED_DEPARTMENTS.join([a, b]))
    run.digest.filter(pk=alone.pk).update(department_label=a)
    item.refresh_from_db()
    names = item.tied_departments
    assert len(names) >= 2 and item.department_label == TIED_DEPARTMENTS.join(names)
    client.force_login(analysed.owner)
    listing = client.get("/manage/c/plan/analysis/digest/")
    assert listing.context["departments"] == sorted([a, b])
    for name in names:
        response = client.get("/manage/c/plan/analysis/digest/", {"department": name})
        found = response.context["page"].paginator.object_list
        assert ">待定</span>" in response.content.decode()
        assert item in found and all(name in d.tied_departments or d.department_label == name for d in found)
        assert (alone in found) == (name == a)
    page = client.get(f"/manage/c/plan/analysis/digest/{item.code}/")
    assert f"部门：待定（来信在 {item.department_label} 间一样多）" in page.content.decode()


def test_the_run_loads_the_novel_ideas_and_the_owner_reads_them(client, analysed):
    """金点子: the engine's novel.csv in the platform, each idea with its letter and its score in words."""
    from minsheng.consultation.analysis.services import run_dir
    from minsheng.engine.result import read_result

    novel = read_result(run_dir(analysed.run), record_columns=[], tables=["novel"]).novel
    ideas = list(analysed.run.novel_ideas.select_related("suggestion"))
    assert len(novel) > 0 and len(ideas) == len(novel)
    assert [i.proposal for i in ideas] == [str(p) for p in novel["proposal"]]
    assert all(i.suggestion is not None and str(i.suggestion.pk) == str(n) for i, n in zip(ideas, novel["id"], strict=True))
    client.force_login(analysed.owner)
    html = client.get("/manage/c/plan/analysis/novel/").content.decode()
    assert ideas[0].proposal in html and display_receipt(ideas[0].suggestion.receipt) in html
    assert "提出具体办法" in html and "proposal+" not in html
    client.force_login(analysed.officer_a)
    assert client.get("/manage/c/plan/analysis/novel/").status_code == 404


def test_the_owner_meets_no_link_only_an_officer_may_open(client, analysed):
    """金点子 and a digest suggestion's page are the owner's: a receipt there opens the search (the owner's own
    page, which finds a letter by its receipt), and the inbox is named but not linked, as the owner has none."""
    client.force_login(analysed.owner)
    idea = analysed.run.novel_ideas.select_related("suggestion").first()
    html = client.get("/manage/c/plan/analysis/novel/").content.decode()
    assert "/manage/inbox/" not in html
    assert f'href="/manage/c/plan/analysis/search/?q={idea.suggestion.receipt}"' in html
    item = _letter_item(analysed)
    html = client.get(f"/manage/c/plan/analysis/digest/{item.code}/").content.decode()
    assert "/manage/inbox/" not in html and "部门收件箱" in html


def test_the_search_finds_a_letter_by_its_receipt_as_the_citizen_writes_it(client, analysed):
    client.force_login(analysed.owner)
    letter = analysed.run.novel_ideas.select_related("suggestion").first().suggestion
    shown = f"{letter.receipt[:5]}-{letter.receipt[5:]}".lower()
    found = client.get("/manage/c/plan/analysis/search/", {"q": f" {shown} "}).context["page"].object_list
    assert [s.pk for s in found] == [letter.pk]


def test_the_public_page_says_received_where_no_department_holds_a_suggestion_yet(client, analysed):
    """h-walk7 (docs/readings/walk-2026-12-08.md): a campaign without a router, its imports not yet dispatched,
    published its results with every suggestion "→ 办理中": the public read that someone was handling what no
    department held. Until a letter reaches a department it is 已收到, as the letters' receipts say."""
    import re

    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.publishing.services import campaign_results_publish

    item = _letter_item(analysed)
    members = Suggestion.objects.filter(pk__in=item.members.values("suggestion_id"))
    assert members.exists()

    def outcome() -> str:
        html = client.get("/c/plan/results/").content.decode()
        line = re.search(r'<li class="digest-outcome"><b>' + re.escape(item.headline) + r"</b>(.*?)</li>", html, re.S)
        return re.sub(r"<[^>]+>", "", line.group(1))

    campaign_results_publish(actor=analysed.owner, campaign=analysed.campaign)
    members.update(status=Suggestion.Status.RECEIVED, department=None)
    assert "已收到" in outcome() and "办理中" not in outcome()
    members.filter(pk=members.first().pk).update(status=Suggestion.Status.IN_REVIEW, department=analysed.dept_a)
    assert "办理中" in outcome()
