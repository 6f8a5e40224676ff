"""On PostgreSQL the Chinese substring search is answered from the bigram index of migration 0005."""

from __future__ import annotations

import pytest
from django.db import connection

from minsheng.consultation.analysis.selectors import SearchFilters, suggestions_search

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")]

INDEX = "consultation_suggestion_bigrams"


def _plan(qs) -> str:
    """The plan with sequential scans ruled out: a few thousand short rows fit in a few pages, so the planner
    would rightly scan them; what matters is that the query's shape can be answered by the index."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _ids(q: str, campaign) -> list[str]:
    return sorted(s.external_id for s in suggestions_search(campaign=campaign, run=None, filters=SearchFilters(q=q)))


def test_every_pair_of_characters_is_a_lexeme_verbatim():
    with connection.cursor() as cursor:
        cursor.execute("SELECT minsheng_bigrams(%s)::text", ["A5区 噪音"])
        lexemes = cursor.fetchone()[0]
    assert all(f"'{p}'" in lexemes for p in ("A5", "5区", "区 ", " 噪", "噪音")), lexemes


def test_a_rare_two_character_word_is_found_through_the_index(cast):
    from minsheng.consultation.intake.services import suggestions_ingest

    words = ["停车", "养老", "学校", "医院", "公交", "绿化", "物业", "供暖"]
    for batch in range(3):
        items = [{"external_id": f"e{batch}-{i}", "text": f"关于{words[i % 8]}的建议，第{batch}批第{i}条。",
                  "title": words[(i + 3) % 8]} for i in range(1000)]
        suggestions_ingest(channel=cast.channel, items=items)
    suggestions_ingest(channel=cast.channel, items=[
        {"external_id": "rare", "text": "小区噪音扰民严重，建议夜间施工审批从严。", "title": "夜间施工"}])
    with connection.cursor() as cursor:  # what autovacuum does after a while: GIN's pending list merged
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])
        cursor.execute("ANALYZE consultation_suggestion")
    for q in ("噪音", "噪音扰民", "夜间", "施工 噪音"):  # two characters; more; the title; two words
        qs = suggestions_search(campaign=cast.campaign, run=None, filters=SearchFilters(q=q))
        assert [s.external_id for s in qs] == ["rare"], q
        assert INDEX in _plan(qs), q


def test_the_index_only_narrows_like_decides(cast):
    """Same answers as a plain substring match, for text the bigrams could get wrong: Latin, digits, quotes,
    backslashes, line breaks, a word across title and text (no match), one character (no index)."""
    from minsheng.consultation.intake.services import suggestions_ingest

    texts = {"latin": ("K9县", "五矿万境K9县存在问题"), "quote": ("", "他说'好'\\没问题"),
             "lines": ("", "第一行\n第二行"), "split": ("关于停", "车的建议书"), "one": ("", "停下来想一想")}
    suggestions_ingest(channel=cast.channel, items=[
        {"external_id": k, "title": t, "text": x} for k, (t, x) in texts.items()])
    assert _ids("K9县", cast.campaign) == ["latin"] and _ids("k9县", cast.campaign) == []
    assert _ids("'好'\\没", cast.campaign) == ["quote"]
    assert _ids("行第", cast.campaign) == []  # a line break stands between them
    assert _ids("一行", cast.campaign) == ["lines"]
    assert _ids("停车", cast.campaign) == []  # 停 ends the title, 车 starts the text
    assert _ids("停", cast.campaign) == ["one", "split"]
