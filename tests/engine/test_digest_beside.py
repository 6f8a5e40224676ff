"""The digest of a one-partition run, computed in a forked process beside themes and hot issues, is the digest."""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
import time

import numpy as np
import psutil

from minsheng.engine.pipeline import STEPS, AnalyzeOptions, _SharedParts, analyze, digest, themes


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


def _whose(item: int) -> tuple[int, int]:
    return item, threading.get_ident()


def _shared_parts(tmp_path):
    """A :class:`_SharedParts` of a 'child' (this thread) and the pipes and counter its 'parent' serves."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    later, send_back = context.Pipe(duplex=False)
    taken, worded = context.Value("l", 0), queue.SimpleQueue()

    def pump() -> None:
        with contextlib.suppress(EOFError, OSError):
            while True:
                worded.put(later.recv())

    threading.Thread(target=pump, daemon=True).start()
    return _SharedParts(send, worded, taken, tmp_path), (receive, send_back, taken), send


def test_the_run_process_words_the_parts_the_digest_process_has_not_taken(tmp_path):
    """Waiting for the digest, the run's process takes the parts of its wording it is offered; each part is
    computed once, and the results come back in the order they were submitted."""
    shared, (receive, send_back, taken), send = _shared_parts(tmp_path)
    answer: list = []
    parent = threading.Thread(target=lambda: answer.append(_SharedParts.serve(receive, send_back, taken)))
    parent.start()
    futures = [shared.submit(_whose, i) for i in range(6)]
    while taken.value < 6:  # the 'child' is busy counting: the parent takes every part
        time.sleep(0.01)
    results = [f.result() for f in futures]
    send.send(("the digest", None))
    parent.join(timeout=30)
    assert [item for item, _ in results] == list(range(6))
    assert {who for _, who in results} == {parent.ident}
    assert answer == [("the digest", None)]


def test_the_digest_process_takes_every_part_while_the_run_process_is_busy(tmp_path):
    shared, (receive, send_back, taken), send = _shared_parts(tmp_path)
    results = [f.result() for f in [shared.submit(_whose, i) for i in range(6)]]
    assert results == [(i, threading.get_ident()) for i in range(6)]
    send.send(("the digest", None))
    assert _SharedParts.serve(receive, send_back, taken) == ("the digest", None)  # nothing left to take
