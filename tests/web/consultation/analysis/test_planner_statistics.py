"""After a full run PostgreSQL knows how many suggestions a campaign has: without statistics it planned the
search page's list as if there were a handful and joined and sorted all 5,000 (87 ms instead of 0.1)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")]


def test_a_full_run_leaves_the_planner_the_campaigns_size(analysed):
    from minsheng.consultation.analysis.models import DigestMember, SuggestionResult
    from minsheng.consultation.intake.models import Suggestion

    for qs in (Suggestion.objects.filter(campaign=analysed.campaign),
               SuggestionResult.objects.filter(run=analysed.run),
               DigestMember.objects.all()):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        estimated, actual = plan[0]["Plan"]["Plan Rows"], qs.count()
        assert actual > 100 and 0.5 * actual <= estimated <= 2 * actual, (qs.model.__name__, estimated, actual)
