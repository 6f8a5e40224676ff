"""`minsheng bench` end to end on tiny sizes: every figure it prints is measured, none is missing."""

from pathlib import Path

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
    # What the run read from the disk rather than the page cache, which tells a cold run from a warm one.
    assert results["sizes"][200]["disk_read_mb"] >= 0
    assert any("MB (cold" in line or "MB (warm)" in line for line in lines)
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


def test_bench_brings_stale_bytecode_up_to_date_as_make_does(tmp_path):
    """The bench compiles what is missing or stale (a module edited since `make`), not what is current, so a
    from-the-shell run does not compile the engine again in memory (PYTHONDONTWRITEBYTECODE)."""
    import importlib.util
    import os
    from importlib._bootstrap_external import _validate_timestamp_pyc

    from minsheng.bench.engine import current_bytecode

    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    first, second = package / "__init__.py", package / "sub" / "mod.py"
    first.write_text("A = 1\n")
    second.write_text("B = 2\n")
    assert current_bytecode(package) == 2
    assert current_bytecode(package) == 0
    second.write_text("B = 20\n")
    os.utime(second, (1_700_000_000, 1_700_000_000))  # edited: another size and time than the pyc says
    assert current_bytecode(package) == 1
    for source in (first, second):  # what the import system accepts as current
        cache = importlib.util.cache_from_source(str(source))
        stat = source.stat()
        header = Path(cache).read_bytes()[:16]
        _validate_timestamp_pyc(header, int(stat.st_mtime), stat.st_size, source.stem, {})  # raises when stale
