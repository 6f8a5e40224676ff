"""The digest of a one-partition run, computed in a forked process beside themes and hot issues, is the digest."""

from __future__ import annotations

import numpy as np
import psutil

from minsheng.engine.pipeline import STEPS, AnalyzeOptions, analyze, digest, themes


def test_the_digest_beside_themes_is_the_digest_computed_after_them(corpus_csv):
    beside = analyze([corpus_csv], AnalyzeOptions())
    after = analyze([corpus_csv], AnalyzeOptions(workers=1))  # one process: every step in turn
    assert beside.summary["stages"]["digest"]["beside"]["cpu_seconds"] > 0
    assert "beside" not in after.summary["stages"]["digest"]
    assert len(beside.suggestions) > 10
    assert beside.suggestions.equals(after.suggestions) and beside.novel.equals(after.novel)
    assert beside.records.equals(after.records)
    assert np.array_equal(beside.models["digest"].centroids_.toarray(), after.models["digest"].centroids_.toarray())


def test_a_run_of_several_partitions_or_without_themes_computes_the_digest_in_turn(corpus_csv):
    several = analyze([corpus_csv], AnalyzeOptions(batch_rows=1500))
    no_themes = analyze([corpus_csv], AnalyzeOptions(), [s for s in STEPS if s is not themes])
    for result in (several, no_themes):
        assert "beside" not in result.summary["stages"]["digest"]
        assert len(result.suggestions) > 10
    assert digest.__name__ in several.summary["steps"]


def test_the_digest_starts_before_campaigns_and_routing_and_gets_their_columns_later(corpus_csv):
    """Forked once the duplicates are known: campaigns (and routing) run beside its fit; their columns, which only
    its tables read, reach it when the theme stage starts."""
    children: dict[str, int] = {}
    result = analyze([corpus_csv], AnalyzeOptions(),
                     on_stage=lambda name: children.setdefault(name, len(psutil.Process().children())))
    assert children["campaigns"] == children["duplicates"] + 1
    assert result.suggestions["campaigns"].str.len().gt(0).any()  # campaign ids reached the child's table
