"""The engine benchmark: ``minsheng bench`` / ``make bench``.

What it measures, on this machine, on the synthetic corpus (:mod:`minsheng.engine.synth`, generated
once per size and seed and cached under ``var/bench``):

* for each size (5,000, 100,000 and 1,018,000 by default): ``minsheng analyze`` in a fresh process —
  wall time per stage, rows per second, CPU seconds of the process tree, peak memory of the process tree,
  duplicate-pair precision and recall against the generator's ground truth, campaigns found against
  campaigns planted. Sizes below the reference (5,000: an officer re-running a small file) are run as
  from the shell, reports included, so their wall time is what a person waits for, and where it went
  (start-up and imports, stages, writing, reports, exit: ``minsheng analyze --timings``);
* scaling: seconds per row at the largest size divided by seconds per row at the reference size
  (100,000; 1.0 = perfectly linear);
* the **baseline**: the same duplicate job done the straightforward way — jieba words, one
  ``datasketch.MinHash`` per text updated token by token and ``MinHashLSH`` insert + query, exactly
  as datasketch's README shows — on the reference corpus, with its precision/recall and the speed ratio;
  and the whole pipeline at the largest size against it (``engine(1,018,000) / baseline(100,000)``, wall):
  a ratio of one run, so it holds on any host however fast.

Each analyze run is a subprocess so that peak memory is the run's own, not the benchmark's.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.dedup import pair_scores
from minsheng.engine.result import read_result

log = logging.getLogger(__name__)

REFERENCE_SIZE = 100_000  # the baseline, scaling and theme stability are measured here
PACKAGE = Path(__file__).resolve().parents[1]


def current_bytecode(package: Path = PACKAGE) -> int:
    """Compile the package's modules whose bytecode is missing or stale, as ``make`` does when it installs;
    returns how many it compiled.

    Why: a module edited since then is compiled again, in memory, by every process that imports it when
    ``PYTHONDONTWRITEBYTECODE`` is set (as on the shared host), and once by the first run after a new checkout
    otherwise: about 0.2 CPU-s of a 5,000-row run's serial start-up for the whole engine (h-cold5k, speed.md),
    a cost a user's second run no longer pays. The bench measures an installed checkout's runs, so it brings
    the bytecode up to date first. Where the package cannot be written (an installed wheel: pip compiled it),
    nothing is.
    """
    import importlib.util
    import py_compile

    compiled = 0
    for source in sorted(package.rglob("*.py")):
        cache = Path(importlib.util.cache_from_source(str(source)))
        stat = source.stat()
        try:
            header = cache.read_bytes()[:16]
        except OSError:
            header = b""
        # A timestamp pyc's header: magic, flags 0, the source's mtime and size (what the import system checks).
        wanted = (importlib.util.MAGIC_NUMBER + (0).to_bytes(4, "little")
                  + (int(stat.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
                  + (stat.st_size & 0xFFFFFFFF).to_bytes(4, "little"))
        if header == wanted:
            continue
        try:
            py_compile.compile(str(source), str(cache), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
        except (OSError, py_compile.PyCompileError):
            continue
        compiled += 1
    return compiled


def corpus_path(n: int, seed: int, cache: Path) -> Path:
    """The cached corpus of ``n`` rows, generated on first use."""
    from minsheng.engine.synth import VERSION, generate, write_corpus

    path = cache / f"corpus-{n}-s{seed}-v{VERSION}.parquet"
    if not path.exists():
        log.info("generating %d synthetic suggestions (seed %d) into %s", n, seed, path)
        tmp = path.with_name(f".{path.name}.tmp.parquet")
        write_corpus(generate(n, seed=seed), tmp)
        tmp.replace(path)
    return path


def run_engine(corpus: Path, out: Path, extra_args: list[str] = (), *, reports: bool = False) -> dict:
    """``minsheng analyze`` in a fresh process; returns its summary plus wall time and quality."""
    timings = out.with_name(out.name + "-timings.json")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "minsheng.cli", "analyze", str(corpus), "--out", str(out), "--quiet",
                    "--timings", str(timings), *([] if reports else ["--no-report"]), *extra_args], check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    written = read_result(out, record_columns=["id", "dup_group", "campaign_id"], tables=[])
    summary = written.summary
    # CPU seconds of the run and all its workers: what the run costs, whatever else the machine is doing.
    # Reaped children miss the forkserver's workers; the run's own count (sampled) misses its last moments.
    cpu = max((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
              summary.get("cpu_seconds", 0.0))
    truth = pd.read_parquet(corpus, columns=["id", "gt_family", "gt_campaign"]).set_index("id")
    records = written.records.set_index("id")
    truth = truth.loc[records.index]
    quality = pair_scores(records["dup_group"].to_numpy(), truth["gt_family"].to_numpy())
    planted = truth.loc[truth["gt_campaign"] != "", "gt_campaign"].nunique()
    found_members = records["campaign_id"].notna()
    campaign_precision = float((truth.loc[found_members, "gt_campaign"] != "").mean()) if found_members.any() else 1.0
    shell = json.loads(timings.read_text("utf-8"))
    shell["exit"] = round(wall - shell.pop("until_reports"), 3)  # and the start of `python` before ours began
    # What the run read from the disk, not the page cache (Linux counts 512-byte blocks): tens of MB when the
    # libraries were not in memory (the first run after others evicted them: a cold run), about nothing warm.
    read_mb = (after.ru_inblock - before.ru_inblock) * 512 / 1e6
    return {"rows": summary["accepted"], "wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 1),
            "shell": shell, "disk_read_mb": round(read_mb, 1),
            "load_average": round(os.getloadavg()[0], 2), "stages": summary["stages"],
            "peak_rss_mb": summary["peak_rss_mb"], "peak_pss_mb": summary.get("peak_pss_mb"), "pair_precision": quality["precision"],
            "pair_recall": quality["recall"], "campaigns_found": summary["campaigns"],
            "campaigns_planted": int(planted), "campaign_member_precision": campaign_precision}


def router_path(seed: int, cache: Path, n: int = 20_000) -> Path:
    """A router trained on a *separate* synthetic corpus (another seed), so routing runs in the benchmark
    on messages the model has never seen."""
    path = cache / f"router-{n}-s{seed + 1}.model"
    if not path.exists():
        train = corpus_path(n, seed + 1, cache)
        subprocess.run([sys.executable, "-m", "minsheng.cli", "train", str(train), "--label-col", "gt_department",
                        "--out", str(path), "--cv", "0"], check=True, stdout=subprocess.DEVNULL)
    return path


def theme_ari(corpus: Path, eval_size: int = 50_000) -> dict:
    """Adjusted Rand index of theme assignments between two seeds (stability), on the corpus."""
    from minsheng.engine.themes import theme_stability

    frame = pd.read_parquet(corpus, columns=["title", "body"])
    texts = (frame["title"] + "\n" + frame["body"]).tolist()
    return theme_stability(texts, eval_size=eval_size)


def run_baseline(corpus: Path, threshold: float = 0.8, num_perm: int = 128) -> dict:
    """The straightforward way: jieba + datasketch MinHash/MinHashLSH as in datasketch's README."""
    import jieba
    from datasketch import MinHash, MinHashLSH
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    jieba.setLogLevel(logging.WARNING)
    cpu_start = time.process_time()
    start = time.perf_counter()
    frame = pd.read_parquet(corpus)
    texts = (frame["title"] + "\n" + frame["body"]).tolist()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=num_perm)
        for token in set(jieba.lcut(text)):
            m.update(token.encode("utf8"))
        lsh.insert(str(i), m)
        hashes.append(m)
    src, dst = [], []
    for i, m in enumerate(hashes):
        for key in lsh.query(m):
            src.append(i)
            dst.append(int(key))
    n = len(texts)
    graph = coo_matrix((np.ones(len(src), np.int8), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    quality = pair_scores(labels, frame["gt_family"].to_numpy())
    return {"rows": n, "wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 1),
            "load_average": round(os.getloadavg()[0], 2), "pair_precision": quality["precision"],
            "pair_recall": quality["recall"]}


def digest_figures(corpus: Path, out: Path) -> dict:
    """AMI and headline-found share of the digest the engine run wrote (empty when it wrote none)."""
    from minsheng.engine.digest_eval import score_output

    try:
        return score_output(corpus, out)
    except ValueError:
        return {}


GOLD = Path(__file__).resolve().parents[3] / "tests" / "data" / "digest_gold.csv"
DEV_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "teddy2020"


def gold_figures(scratch: Path) -> dict:
    """B-cubed scores on the hand-built DEV gold set, when the checkout and the data are both here."""
    from minsheng.engine.digest_eval import evaluate_gold

    if not GOLD.exists() or not (DEV_DATA / "messages_hot.csv").exists():
        return {}
    return evaluate_gold(DEV_DATA, GOLD, scratch)


def _stage_line(result: dict) -> str:
    """Each stage's wall time, CPU seconds and peak memory (PSS of the process tree), so one run shows where
    both the time and the memory go."""
    def stage(name: str, s: dict) -> str:
        beside = s.get("beside")  # computed in another process while the stages before it ran
        return (f"{name} {s['seconds']:.1f}s ({s.get('cpu_seconds', 0):.1f} CPU-s, "
                f"{s.get('peak_pss_mb', 0) / 1024:.2f} GB"
                + (f"; {beside['seconds']:.1f}s, {beside['cpu_seconds']:.1f} CPU-s beside the stages before it)"
                   if beside else ")"))
    return ", ".join(stage(name, s) for name, s in result["stages"].items())


def _shell_line(result: dict) -> str:
    s = result["shell"]
    return (f"start-up and imports {s['start_up']:.2f} s, stages {s['stages']:.2f} s, imports and work between "
            f"stages {s['between_stages']:.2f} s, writing {s['writing']:.2f} s, reports {s['reports']:.2f} s, "
            f"exit {s['exit']:.2f} s; read from disk {result['disk_read_mb']:.1f} MB "
            f"({'cold: files not in the page cache' if result['disk_read_mb'] >= 5 else 'warm'})")


def benchmark(sizes: list[int], *, seed: int = 2020, cache: Path = Path("var/bench"), baseline: bool = True,
              route: bool = True, report: bool = True, real_data: bool = True, reference: int = REFERENCE_SIZE,
              echo=print) -> dict:
    """Run the engine at each size (and the baseline at the reference size); print and return the figures.

    ``real_data`` adds routing and reply quality on the teddy2020 messages (:func:`real_data_quality`)."""
    cache.mkdir(parents=True, exist_ok=True)
    compiled = current_bytecode()
    if compiled:
        log.info("compiled %d modules of minsheng whose bytecode was missing or stale", compiled)
    results: dict = {"machine": _machine(), "sizes": {}, "seed": seed}
    extra = ["--model", str(router_path(seed, cache))] if route else []
    ref = min((s for s in sizes if s >= reference), default=max(sizes))
    for n in sizes:
        corpus = corpus_path(n, seed, cache)
        # Below the reference size, whatever other sizes run: as an officer runs a small file, from the shell,
        # reports included.
        small = n < reference
        result = run_engine(corpus, cache / f"out-{n}", extra, reports=small and report)
        results["sizes"][n] = result
        echo(f"engine  N={n:>9,}: {result['wall_seconds']:7.1f} s wall{' from the shell' if small else ''}, "
             f"{result['cpu_seconds']:7.1f} CPU-s, "
             f"{n / result['wall_seconds']:9,.0f} rows/s, load average {result['load_average']}, "
             f"peak memory {result['peak_pss_mb'] / 1024:.2f} GB PSS ({result['peak_rss_mb'] / 1024:.2f} GB RSS summed), "
             f"pair precision {result['pair_precision']:.4f}, "
             f"recall {result['pair_recall']:.4f}, campaigns {result['campaigns_found']}/{result['campaigns_planted']}")
        echo(f"         stages: {_stage_line(result)}")
        if small:
            echo(f"         from the shell: {_shell_line(result)}")
        digest = digest_figures(corpus, cache / f"out-{n}")
        if digest:
            beside = result["stages"].get("digest", {}).get("beside")
            if beside:  # the stage timed the wait for it; its own time is this
                digest["digest_seconds"] = beside["seconds"]
            result["digest"] = digest
            echo(f"         digest: {digest['suggestions']} suggestions of {digest['planted']} planted, AMI "
                 f"{digest['ami']:.3f}, planted headline found {digest['headline_found_share']:.1%}, readable "
                 f"headlines {digest['readable_headlines']:.1%}, stage {digest['digest_seconds']:.1f} s")
        if report and not small:
            from minsheng.bench.reports import report_bench

            figures = report_bench(cache / f"out-{n}")
            result["report"] = figures
            echo(f"         reports: written in {figures['report_seconds']:.1f} s; report.html "
                 f"{figures['report_html_mb']:.2f} MB, interactive in {figures['report_tti_seconds']:.2f} s "
                 f"(headless chromium); xlsx {figures['report_xlsx_mb']:.2f} MB, pdf {figures['report_pdf_mb']:.2f} MB")
    large = max(sizes)
    if large > ref:
        for key in ("wall_seconds", "cpu_seconds"):
            per_row = [results["sizes"][s][key] / s for s in (ref, large)]
            results[f"scaling_ratio_{key.split('_')[0]}"] = per_row[1] / per_row[0]
        echo(f"scaling: per-row cost at N={large:,} / at N={ref:,} = {results['scaling_ratio_wall']:.2f} wall, "
             f"{results['scaling_ratio_cpu']:.2f} CPU (1.00 = linear)")
    gold = gold_figures(cache / "digest-gold")
    if gold:
        results["digest_gold"] = gold
        echo(f"digest on the DEV gold set ({gold['gold_messages']} asks in {gold['gold_suggestions']} suggestions, "
             f"teddy2020): B-cubed precision {gold['bcubed_precision']:.3f}, recall {gold['bcubed_recall']:.3f}; "
             f"readable headlines {gold['readable_headlines']:.1%} of {gold['suggestions']}")
    stability = theme_ari(corpus_path(ref, seed, cache))
    results["theme_stability"] = stability
    echo("themes: adjusted Rand index between seeds 0 and 1 on N={:,}: {}".format(
        ref, ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in stability.items())))
    if baseline:
        base = run_baseline(corpus_path(ref, seed, cache))
        # The same job as the baseline: the duplicate stages only (no routing, themes, hot issues).
        ours = run_engine(corpus_path(ref, seed, cache), cache / f"out-{ref}-dedup",
                          ["--no-themes", "--no-hot-issues", "--no-digest"])
        results["baseline"] = base
        results["engine_duplicates_only"] = ours
        results["speedup_vs_baseline"] = base["wall_seconds"] / ours["wall_seconds"]
        results["cpu_ratio_vs_baseline"] = base["cpu_seconds"] / ours["cpu_seconds"]
        echo(f"baseline N={ref:>9,}: {base['wall_seconds']:7.1f} s wall, {base['cpu_seconds']:7.1f} CPU-s "
             f"(jieba + datasketch MinHash/MinHashLSH), pair precision {base['pair_precision']:.4f}, "
             f"recall {base['pair_recall']:.4f}, load average {base['load_average']}")
        echo(f"engine, same job (ingest, normalise, duplicates, campaigns) N={ref:,}: {ours['wall_seconds']:.1f} s "
             f"wall, {ours['cpu_seconds']:.1f} CPU-s, pair precision {ours['pair_precision']:.4f}, "
             f"recall {ours['pair_recall']:.4f}")
        echo(f"speed-up of the engine over the baseline: {results['speedup_vs_baseline']:.1f}x wall, "
             f"{results['cpu_ratio_vs_baseline']:.1f}x CPU")
        results["whole_vs_baseline"] = results["sizes"][large]["wall_seconds"] / base["wall_seconds"]
        echo(f"whole pipeline at N={large:,} / baseline at N={ref:,}: {results['whole_vs_baseline']:.2f} (wall, "
             f"one run: the same host and load for both)")
    if real_data:
        results["real_data"] = real_data_quality(echo=echo)
    (cache / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), "utf-8")
    return results


TEDDY = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "teddy2020"
# The grades the reply scorer was built on, then the held-out sets in the order they were graded (README).
REPLY_GRADES = sorted((Path(__file__).resolve().parents[3] / "tests" / "data").glob("reply_grades*.csv"))
HOT_GOLD = Path(__file__).resolve().parents[3] / "tests" / "data" / "hot_issues_gold.csv"
HOT_PLACES = Path(__file__).resolve().parents[3] / "tests" / "data" / "hot_places_labels.csv"
HOT_GOLD_REPLIED = HOT_GOLD.with_name("hot_issues_gold_replied.csv")  # built blind, messages_replied.csv
HOT_GOLD_LABELED_TEXT = HOT_GOLD.with_name("hot_issues_gold_labeled_text.csv")  # built blind, messages_labeled_text.csv


def real_data_quality(teddy: Path = TEDDY, echo=print) -> dict:
    """Routing (group-aware 5-fold CV, one split seed, next to the tuned baseline), reply scores (against
    the hand grades) and hot issues (against the hand-built gold set) on the real teddy2020 messages, through ``minsheng evaluate``; empty when the data is
    not there."""
    if not teddy.exists():
        echo(f"real data: {teddy} not found, routing and reply quality skipped")
        return {}

    def evaluate(*args: str) -> dict:
        done = subprocess.run([sys.executable, "-m", "minsheng.cli", "evaluate", *args, "--json", "--quiet"],
                              check=True, capture_output=True, text=True)
        return json.loads(done.stdout)

    cv = evaluate(str(teddy / "messages_labeled.csv"), str(teddy / "messages_labeled_text.csv"), "--cv", "5",
                  "--unlabeled", str(teddy / "messages_hot.csv"), str(teddy / "messages_replied.csv"))["cv"]
    echo(f"routing (teddy2020, 5-fold group-aware CV, seed 0): macro-F1 router {cv['macro_f1_mean']:.4f}, "
         f"tuned baseline {cv['baseline_macro_f1_mean']:.4f}, difference {cv['difference_mean']:+.4f} "
         f"(std of the per-fold difference {cv['difference_std_folds']:.4f}; fold-to-fold std of the router "
         f"{cv['macro_f1_std_folds']:.4f})")
    replies = evaluate(str(teddy / "messages_replied.csv"), "--replies", *map(str, REPLY_GRADES))
    per_set = ", ".join(f"{name.removeprefix('reply_grades_') if name != 'reply_grades' else 'built on'} "
                        f"({r['n_graded']}) {r['spearman_grade']:.3f}" for name, r in replies["sets"].items())
    echo(f"replies (teddy2020, hand-graded): Spearman with the grades {per_set}; with reply length "
         f"{replies['spearman_length_all']:.3f} over all {replies['n_scored']} replies")
    hot = evaluate(str(teddy / "messages_hot.csv"), str(teddy / "messages_replied.csv"),
                   str(teddy / "messages_labeled_text.csv"), "--hot-gold", str(HOT_GOLD), str(HOT_GOLD_REPLIED),
                   str(HOT_GOLD_LABELED_TEXT), "--hot-places", str(HOT_PLACES))
    others = "; ".join(f"{Path(o['input']).name} ({o['gold_issues']} gold issues built blind): "
                       f"{o['bcubed_precision']:.3f} / {o['bcubed_recall']:.3f}, split {o['gold_split']}, "
                       f"missed {o['gold_missed']}" for o in hot["other_gold_sets"])
    echo(f"hot issues (teddy2020 messages_hot.csv, {hot['gold_issues']} hand-built gold issues): B-cubed precision "
         f"{hot['bcubed_precision']:.3f}, recall {hot['bcubed_recall']:.3f}; gold issues split {hot['gold_split']}, "
         f"missed {hot['gold_missed']}; place_or_group accepted {hot['places']['accepted_share']:.1%} of "
         f"{hot['places']['labelled']} labelled (top {hot['places']['top']}; "
         f"{hot['places']['without_place_or_group']} without place or group); {others}")
    return {"routing_cv": cv, "replies": replies, "hot_issues": hot}


def _machine() -> dict:
    import os
    import platform

    import psutil

    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}
