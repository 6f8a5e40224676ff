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


def test_a_digest_child_that_answered_before_the_later_columns_does_not_fail_the_run(tmp_path):
    """A digest skipped for too few asks answers at once and closes its pipes; the parent sending it the later
    columns afterwards must not fail the run (it did, with BrokenPipeError, whenever the child was quicker)."""
    import pandas as pd

    src = tmp_path / "in.csv"
    pd.DataFrame({"id": range(30), "text": [f"note number {i} about item {i * 7}" for i in range(30)]}).to_csv(
        src, index=False)

    def wait_for_the_child(name: str) -> None:
        if name == "campaigns":  # the child was forked after duplicates: let it answer and exit first
            me = psutil.Process()
            for child in me.children():
                if child.cmdline() == me.cmdline():  # a fork of this process (not a forkserver or tracker)
                    child.wait(timeout=60)

    result = analyze([src], AnalyzeOptions(), on_stage=wait_for_the_child)
    assert len(result.records) == 30
    assert "digest" in result.summary["skipped"]
