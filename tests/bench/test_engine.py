"""`minsheng bench` end to end on tiny sizes: every figure it prints is measured, none is missing."""

from minsheng.bench.engine import benchmark


def test_bench_measures_engine_scaling_and_baseline(tmp_path):
    lines: list[str] = []
    results = benchmark([200, 400, 800], seed=5, cache=tmp_path, route=False, report=False, real_data=False,
                        reference=400, echo=lines.append)
    for n in (200, 400, 800):
        figures = results["sizes"][n]
        assert figures["rows"] == n
        assert figures["wall_seconds"] > 0 and figures["peak_rss_mb"] > 0
        assert 0.9 <= figures["pair_precision"] <= 1 and 0.9 <= figures["pair_recall"] <= 1
        assert "ingest_normalise_sign" in figures["stages"]
        assert figures["stages"]["ingest_normalise_sign"]["cpu_seconds"] >= 0
    assert results["scaling_ratio_wall"] > 0 and results["scaling_ratio_cpu"] > 0
    assert results["sizes"][400]["cpu_seconds"] > 0
    assert results["baseline"]["rows"] == 400 and results["speedup_vs_baseline"] > 0
    assert any("speed-up" in line for line in lines)
    assert results["whole_vs_baseline"] == results["sizes"][800]["wall_seconds"] / results["baseline"]["wall_seconds"]
    assert any(line.startswith("engine  N=      200") and "from the shell" in line for line in lines)
    # The small size's wall time is broken down: every phase measured, none negative, together the wall time.
    shell = results["sizes"][200]["shell"]
    assert set(shell) == {"start_up", "stages", "between_stages", "writing", "reports", "exit"}
    assert shell["start_up"] > 0 and shell["stages"] > 0 and min(shell.values()) >= -0.02
    assert abs(sum(shell.values()) - results["sizes"][200]["wall_seconds"]) < 0.05
    assert any(line.strip().startswith("from the shell: start-up and imports") for line in lines)
    assert any("per-row cost at N=800 / at N=400" in line for line in lines)
    assert (tmp_path / "results.json").exists()


def test_bench_of_a_small_size_alone_runs_it_from_the_shell(tmp_path):
    """A small size is run as an officer runs a small file whether or not larger sizes run beside it."""
    lines: list[str] = []
    results = benchmark([200], seed=5, cache=tmp_path, baseline=False, route=False, report=False,
                        real_data=False, reference=400, echo=lines.append)
    assert any(line.startswith("engine  N=      200") and "from the shell" in line for line in lines)
    assert any(line.strip().startswith("from the shell: start-up and imports") for line in lines)
    assert set(results["sizes"][200]["shell"]) == {"start_up", "stages", "between_stages", "writing", "reports", "exit"}
