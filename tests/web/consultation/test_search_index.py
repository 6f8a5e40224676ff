"""On PostgreSQL the Chinese substring search is answered from the pg_trgm indexes of migration 0005."""

from __future__ import annotations

import pytest
from django.db import connection

from minsheng.consultation.selectors_analysis import SearchFilters, suggestions_search

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is a PostgreSQL extension")]


def test_chinese_characters_make_trigrams():
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('噪音扰民')")
        assert len(cursor.fetchone()[0]) >= 2  # "噪音扰", "音扰民" (+ padded ones): CJK counts as letters


def _plan(qs) -> str:
    """The plan with sequential scans ruled out: a few thousand short rows fit in a few pages, so the planner
    would rightly scan them; what matters is that the query's shape can be answered by the index."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_search_query_uses_the_trigram_indexes(cast):
    from minsheng.consultation.services import suggestions_ingest

    words = ["停车", "养老", "学校", "医院", "公交", "绿化", "物业", "供暖"]
    for batch in range(3):
        items = [{"external_id": f"e{batch}-{i}", "text": f"关于{words[i % 8]}的建议，第{batch}批第{i}条。",
                  "title": words[(i + 3) % 8]} for i in range(1000)]
        suggestions_ingest(channel=cast.channel, items=items)
    suggestions_ingest(channel=cast.channel, items=[
        {"external_id": "rare", "text": "小区噪音扰民严重，建议夜间施工审批从严。", "title": "夜间施工噪音"}])
    with connection.cursor() as cursor:  # what autovacuum does after a while: GIN's pending list merged
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass), gin_clean_pending_list(%s::regclass)",
                       ["consultation_suggestion_text_trgm", "consultation_suggestion_title_trgm"])
        cursor.execute("ANALYZE consultation_suggestion")
    qs = suggestions_search(campaign=cast.campaign, run=None, filters=SearchFilters(q="噪音扰民"))
    assert [s.external_id for s in qs] == ["rare"]
    plan = _plan(qs)
    assert "consultation_suggestion_text_trgm" in plan and "consultation_suggestion_title_trgm" in plan, plan
    # All words must occur: the indexable one narrows the rows, the two-character one is checked on them.
    qs = suggestions_search(campaign=cast.campaign, run=None, filters=SearchFilters(q="施工 噪音扰民"))
    assert [s.external_id for s in qs] == ["rare"]
    assert "consultation_suggestion_text_trgm" in _plan(qs)
