"""Executors: results in input order, one partition in this process, workers only when there is work to share."""

import os

import pytest

from minsheng.engine.executor import make_executor


def _pid(_item) -> int:
    return os.getpid()


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("fresh", [False, True])
def test_many_partitions_run_in_workers_in_order(fresh):
    with make_executor("local", workers=2, fresh=fresh) as ex:
        assert list(ex.map(_square, range(7))) == [x * x for x in range(7)]
        assert os.getpid() not in set(ex.map(_pid, range(4)))


def test_one_partition_runs_here_and_starts_no_workers():
    with make_executor("local", workers=2, fresh=True) as ex:
        assert list(ex.map(_pid, ["only"])) == [os.getpid()]
        assert list(ex.map(_pid, [])) == []
        assert ex._pool is None  # nothing was worth a process
