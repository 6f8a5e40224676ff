"""`minsheng analyze` end to end: output contract, determinism, executors, interruption, CLI errors."""

import contextlib
import json
import os
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import psutil
import pytest

from minsheng.cli import main
from minsheng.engine.dedup import pair_scores
from minsheng.engine.pipeline import AnalyzeOptions, analyze, campaigns, duplicates, hot_issues, themes
from minsheng.engine.result import read_result, write_result

RECORD_COLUMNS = {"id", "text", "time", "user", "channel", "dup_group", "dup_group_size", "is_representative",
                  "campaign_id"}


def run(inputs, out, options):
    """The engine into ``out``, as the command line does; returns the summary."""
    result = analyze(inputs, options)
    write_result(result, out)
    return result.summary


@pytest.fixture(scope="module")
def local_run(corpus_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    summary = run([corpus_csv], out, AnalyzeOptions(workers=2, batch_rows=1000))
    return out, summary


def test_outputs_follow_the_contract(local_run, corpus):
    out, summary = local_run
    records = pd.read_parquet(out / "records.parquet")
    assert set(records.columns) >= RECORD_COLUMNS
    assert len(records) == len(corpus) == summary["accepted"] == summary["rows_in"]
    assert (out / "campaigns.csv").exists() and (out / "rejects.csv").exists()
    saved = json.loads((out / "summary.json").read_text("utf-8"))
    for key in ("rows_in", "accepted", "rejected", "exact_duplicates", "near_duplicate_groups", "campaigns",
                "masked", "stages"):
        assert key in saved
    assert set(saved["stages"]) >= {"ingest_normalise_sign", "duplicates", "campaigns"}
    assert all(s["seconds"] >= 0 and s["peak_rss_mb"] > 0 for s in saved["stages"].values())


def test_personal_data_is_masked_in_output(local_run, corpus):
    out, summary = local_run
    records = pd.read_parquet(out / "records.parquet")
    planted = corpus["body"].str.extract(r"(?<!\d)(1[3589]\d{9})(?!\d)")[0].dropna()
    assert len(planted) > 0
    joined = "\n".join(records["text"])
    assert not any(number in joined for number in planted)
    assert summary["masked"]["mobile"] >= len(planted)


def test_groups_and_campaigns_match_ground_truth(local_run, corpus):
    out, summary = local_run
    records = pd.read_parquet(out / "records.parquet").set_index("id").loc[corpus["id"]]
    scores = pair_scores(records["dup_group"].to_numpy(), corpus["gt_family"].to_numpy())
    assert scores["precision"] >= 0.99 and scores["recall"] >= 0.95
    truth = corpus.set_index("id")["gt_campaign"]
    flagged = records["campaign_id"].notna()
    assert flagged.sum() > 0
    assert (truth[flagged.index[flagged]] != "").all()
    assert summary["campaigns"] == truth[truth != ""].nunique()
    campaigns = pd.read_csv(out / "campaigns.csv")
    assert (campaigns["people"] >= campaigns["distinct_arguments"]).all()
    assert campaigns["template"].str.len().min() > 50


def test_rerun_gives_identical_output(local_run, corpus_csv, tmp_path):
    out, _ = local_run
    run([corpus_csv], tmp_path, AnalyzeOptions(workers=1, batch_rows=700))
    pd.testing.assert_frame_equal(pd.read_parquet(out / "records.parquet"), pd.read_parquet(tmp_path / "records.parquet"))
    pd.testing.assert_frame_equal(pd.read_csv(out / "campaigns.csv"), pd.read_csv(tmp_path / "campaigns.csv"))


@pytest.mark.dask
def test_dask_local_cluster_gives_the_same_groups(local_run, corpus_csv, tmp_path):
    out, _ = local_run
    run([corpus_csv], tmp_path, AnalyzeOptions(executor="dask", workers=2, batch_rows=1000))
    local = pd.read_parquet(out / "records.parquet")
    dask = pd.read_parquet(tmp_path / "records.parquet")
    pd.testing.assert_frame_equal(local, dask)


def test_a_run_killed_in_the_middle_then_run_again_gives_the_same_result(local_run, corpus_csv, tmp_path):
    out, _ = local_run
    # A complete earlier result in the directory: a killed run leaves it as it was, never half replaced.
    first = read_result(out)
    write_result(first, tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "minsheng.cli", "-v", "analyze", str(corpus_csv), "--out", str(tmp_path),
                             "--no-report", "--quiet", "--batch-rows", "200", "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    started = []
    for line in proc.stderr:  # the engine logs each stage as it starts (at debug level: -v)
        if "stage " in line:
            started.append(line.split("stage ")[1].split(":")[0])
        if "themes" in started:  # the map stage, duplicates and campaigns are done; themes are being fitted
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert started[:3] == ["ingest_normalise_sign", "duplicates", "campaigns"], started
    assert proc.returncode == -signal.SIGKILL  # killed, not finished
    pd.testing.assert_frame_equal(read_result(tmp_path).records, first.records)
    assert not list(tmp_path.glob(".*.tmp"))
    assert main(["analyze", str(corpus_csv), "--out", str(tmp_path), "--quiet", "--no-report", "--workers", "1"]) == 0
    again = read_result(tmp_path)
    pd.testing.assert_frame_equal(first.records, again.records)
    for name, table in first.tables().items():
        pd.testing.assert_frame_equal(table, getattr(again, name), obj=name)


def test_cli_bad_input_is_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,foo\n1,bar\n", "utf-8")
    result = subprocess.run([sys.executable, "-m", "minsheng.cli", "analyze", str(bad), "--out", str(tmp_path / "o"),
                             "--quiet"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()  # one line: no log lines, no traceback
    assert line.startswith("minsheng: error: bad.csv: field text: no text column found")


def test_rejects_are_listed_with_row_and_reason(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,text\n1,有内容的建议\n2,\n1,重复\n", "utf-8")
    summary = run([path], tmp_path / "out", AnalyzeOptions(workers=1))
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv")
    assert summary["accepted"] == 1 and summary["rejected"] == 2
    assert rejects[["row", "field"]].values.tolist() == [[2, "text"], [3, "id"]]


@pytest.fixture(scope="module")
def router_model(tmp_path_factory):
    from minsheng.engine.synth import generate, write_corpus

    tmp = tmp_path_factory.mktemp("router")
    training = write_corpus(generate(1500, seed=99), tmp / "train.csv")
    model = tmp / "router.model"
    assert main(["train", str(training), "--label-col", "gt_department", "--out", str(model), "--cv", "0"]) == 0
    return model


def test_analyze_with_a_router_adds_departments(corpus_csv, router_model, tmp_path):
    model = router_model
    summary = run([corpus_csv], tmp_path / "out", AnalyzeOptions(workers=2, batch_rows=1500, model=str(model)))
    assert "routing" in summary["stages"]
    records = pd.read_parquet(tmp_path / "out" / "records.parquet")
    truth = pd.read_csv(corpus_csv).set_index("id")["gt_department"]
    accuracy = (records.set_index("id")["department"] == truth.loc[records["id"]]).mean()
    assert accuracy > 0.9  # synthetic themes are easy; real-data quality is measured by `minsheng evaluate`
    assert records["department_confidence"].between(0, 1).all()
    assert records["needs_review"].dtype == bool


def test_a_one_partition_run_loads_its_router_once(corpus_csv, router_model, monkeypatch):
    """Its header checked before the map stage, the router loaded to route in this process: one load, not two."""
    import minsheng.engine.routing as routing_module
    from minsheng.engine.pipeline import routing

    loads = []
    load = routing_module.load_model
    monkeypatch.setattr(routing_module, "load_model", lambda path: loads.append(path) or load(path))
    routing_module._cached_model.cache_clear()
    result = analyze([corpus_csv], AnalyzeOptions(model=str(router_model)), [routing])
    assert result.records["department"].notna().all()
    assert len(loads) == 1, loads


def test_the_router_is_loaded_by_the_routing_stage_not_before_the_map_stage(corpus_csv, router_model):
    """Only the model file's header is checked before the map stage: the supervised router's scikit-learn
    modules would delay a small run's digest process, forked before routing and never routing."""
    code = ("import sys; from minsheng.engine.pipeline import AnalyzeOptions, analyze, duplicates; "
            f"analyze([{str(corpus_csv)!r}], AnalyzeOptions(model={str(router_model)!r}), [duplicates]); "
            "print(sorted(m for m in ('sklearn.svm', 'sklearn.calibration', 'minsheng.engine.routing._router') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_incompatible_model_fails_before_any_work(corpus_csv, tmp_path):
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a model")
    result = subprocess.run([sys.executable, "-m", "minsheng.cli", "analyze", str(corpus_csv), "--out",
                             str(tmp_path / "o"), "--model", str(bad), "--quiet"], capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "o" / "records.parquet").exists()


def test_helpers_of_a_small_run_die_with_it(corpus_csv, tmp_path):
    """The digest beside themes and the report helper are killed with a parent that was killed outright."""
    proc = subprocess.Popen([sys.executable, "-m", "minsheng.cli", "-v", "analyze", str(corpus_csv), "--out",
                             str(tmp_path), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in proc.stderr:
            if "stage themes" in line:  # the digest's process is forked just before the theme stage starts
                break
        helpers = psutil.Process(proc.pid).children(recursive=True)
        assert len(helpers) >= 2, helpers  # the report helper and the digest beside themes
        proc.kill()  # the parent alone, as the OOM killer would
        proc.wait()
        gone, alive = psutil.wait_procs(helpers, timeout=10)
        assert not alive, alive
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_places_found_beside_the_first_stages_are_those_the_theme_stage_finds(corpus_csv):
    """Several partitions: places are found by workers while duplicates and campaigns run here, and the theme
    model is fitted in a thread from the end of the duplicate stage on; the records, themes and hot issues
    equal those of a run in one process, where the theme stage finds the places and fits the model."""
    import threading

    threads = {}
    steps = [duplicates, campaigns, themes, hot_issues]
    beside = analyze([corpus_csv], AnalyzeOptions(batch_rows=1500), steps,
                     on_stage=lambda name: threads.setdefault(name, [t.name for t in threading.enumerate()]))
    alone = analyze([corpus_csv], AnalyzeOptions(workers=1), steps)
    assert "minsheng-places" in threads["duplicates"]
    assert any(t.startswith("minsheng-theme-fit") for t in threads["campaigns"])
    assert "place_key" in beside.records and beside.records["place_key"].notna().any()
    assert beside.records.equals(alone.records)
    assert beside.themes.equals(alone.themes) and beside.hot_issues.equals(alone.hot_issues)


def test_steps_in_an_order_that_cannot_run_are_refused_before_any_input_is_read(tmp_path):
    """campaigns without duplicates before it was refused only after the whole map stage (minutes at a million
    rows): here the input does not even exist, and the refusal comes first."""
    from minsheng.engine import pipeline

    with pytest.raises(ValueError, match="campaigns step needs the duplicates step"):
        pipeline.analyze([tmp_path / "absent.csv"], steps=[pipeline.campaigns])
    with pytest.raises(ValueError, match="campaigns step needs the duplicates step"):
        pipeline.analyze([tmp_path / "absent.csv"], steps=[pipeline.campaigns, pipeline.duplicates])


def test_a_wrapped_duplicates_step_still_gets_the_signatures_it_groups_by(tmp_path):
    """A step wrapped with functools.wraps (as the command line wraps steps to draw charts ahead) is the step it
    wraps everywhere in analyze(); the map stage asked for the raw duplicates step, so a wrapped one found no
    signatures."""
    import functools

    src = tmp_path / "in.csv"
    rows = ["建议在幸福小区门口增设公交站点，方便老人出行"] * 3 + ["希望延长图书馆周末开放时间"]
    src.write_text("id,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(rows)), encoding="utf-8")

    @functools.wraps(duplicates)
    def wrapped(run) -> None:
        duplicates(run)

    result = analyze([src], AnalyzeOptions(workers=1), steps=[wrapped])
    assert result.records["dup_group_size"].tolist() == [3, 3, 3, 1]


def test_text_codes_from_the_workers_keys_are_those_of_factorizing_the_texts():
    """The codes of the records' texts come from the 64-bit keys the map stage's workers return, checked against
    the texts: with a key shared by two different texts (forced here) they are the texts' own codes still."""
    import numpy as np
    import pyarrow as pa

    from minsheng.engine import pipeline
    from minsheng.engine.dedup import exact_keys

    texts = ["甲", "乙", "甲", "", "丙", "乙", "甲", ""]
    text = pd.Series(pa.array(texts, pa.large_string()).to_pandas().array)
    want = pd.factorize(text.fillna(""))[0]
    keys = exact_keys(texts)
    assert (pipeline._codes_of_keys(text, keys) == want).all()
    shared = keys.copy()
    shared[shared == shared[4]] = shared[0]  # 丙 with 甲's key
    assert pipeline._codes_of_keys(text, shared) is None
    run = pipeline.Run(AnalyzeOptions(), pipeline.AnalysisResult(records=pd.DataFrame({"text": text})), None, None)
    run.text_keys = shared
    codes, first = run._text_codes()
    assert (codes == want).all() and (first == np.unique(want, return_index=True)[1]).all()
    assert run.text_keys is None  # used once, not held through the stages


def test_the_map_stage_returns_each_texts_key():
    from minsheng.engine import pipeline
    from minsheng.engine.dedup import exact_keys

    part = pipeline.sign_partition(pd.Series(["  你好，世界 ", "ＡＢＣ"]), num_perm=128, shingle=4)
    assert (part.key == exact_keys(part.text.tolist())).all() and part.text.tolist() == ["你好,世界", "ABC"]


def test_the_places_found_beside_are_spread_to_the_records_in_their_thread(tmp_path, monkeypatch):
    """The places' background spreads its distinct texts' places to every record when its workers are done (in
    its thread, not in the theme stage): the same frame as spreading them there."""
    import threading

    from minsheng.engine import pipeline
    from minsheng.engine.metrics import StageMeter
    from minsheng.engine.places import place_columns

    texts = ["岳麓区麓山南路的路灯坏了", "开福区某小区停车难", "岳麓区麓山南路的路灯坏了", "希望增加公交班次"] * 3
    records = pd.DataFrame({"text": pd.Series(texts, dtype="str")})
    run = pipeline.Run(AnalyzeOptions(batch_rows=1, workers=2), pipeline.AnalysisResult(records=records),
                       StageMeter(), tmp_path)
    spread_in, spread = [], pipeline.Run.spread
    monkeypatch.setattr(pipeline.Run, "spread",
                        lambda self, out: spread_in.append(threading.current_thread().name) or spread(self, out))
    got = pipeline._Background(run).records(run)
    assert spread_in == ["minsheng-places"]
    want = spread(run, pd.concat(map(place_columns, run.partitions(run._distinct_texts()[1]))))  # as the stage did
    pd.testing.assert_frame_equal(got, want)
    assert got["place_key"].notna().any()


def test_a_map_of_distinct_texts_takes_each_partition_from_the_records(tmp_path, monkeypatch):
    """The stages that map distinct texts get the partitions of one frame of them (a missing text empty), each
    taken from the records when the map reaches it: the whole column was taken at once before every such map,
    which joins its chunks in this process while the workers wait."""
    import pyarrow as pa

    from minsheng.engine import pipeline
    from minsheng.engine.metrics import StageMeter

    texts = ["路灯坏了", None, "停车难", "路灯坏了", "公交太少", "停车难", "噪音扰民", None, "垃圾没人收"]
    chunks = pa.chunked_array([pa.array(texts[:4], pa.large_string()), pa.array(texts[4:], pa.large_string())])
    records = pd.DataFrame({"text": pd.Series(pd.array(chunks, dtype="str"))})
    run = pipeline.Run(AnalyzeOptions(batch_rows=2, workers=1), pipeline.AnalysisResult(records=records),
                       StageMeter(), tmp_path)
    whole = run._distinct_texts()[1]
    seen = []
    monkeypatch.setattr(pipeline.Run, "_distinct_texts", lambda self: pytest.fail("the whole column taken"))
    monkeypatch.setattr("minsheng.engine.tokens.shared_segmentation", lambda frame, func, folder: func(frame))
    out = run.map_records(lambda part: seen.append(part) or part.assign(n=part["text"].str.len()), ["text"], "x")
    assert len(seen) == 3
    for k, part in enumerate(seen):
        pd.testing.assert_frame_equal(part, whole.iloc[k * 2: (k + 1) * 2])
    assert out["n"].tolist() == [4, 0, 3, 4, 4, 3, 4, 0, 5]


def test_the_run_decides_once_at_ingest_whether_titles_were_glued(tmp_path):
    """Whether a bare export glued its titles to their bodies is decided once, over the whole run, from the map
    stage's workers' line checks; the places' partitions read titles as the run decided (before, each partition
    decided from its own texts, and the hot stage again), and keep each title's end for the hot stage."""
    from minsheng.engine import pipeline
    from minsheng.engine.metrics import StageMeter

    glued = ["咨询独生子女退休职工奖励费我是下岗职工，今年三月办理退休", "投诉景瑞澜庭小区捆绑销售车位尊敬的领导：开发商要求买车位",
             "反映星沙医院收费问题本人是患者，上周缴费后没有发票", "关于岳麓区麓山南路路灯不亮的问题请问何时修好？"]
    titled = ["小区停水\n我是业主", "路灯不亮\n晚上很黑"]
    part = pipeline.sign_partition(pd.Series(glued + titled), num_perm=128, shingle=4)
    assert part.one_line.tolist() == [True] * 4 + [False] * 2
    texts = glued + titled + ["开福区某小区停车难题本人是业主，小区车位太少"]
    records = pd.DataFrame({"text": pd.Series(texts, dtype="str")})
    assert pipeline._glued(records, np.array(["\n" not in t for t in texts]))
    assert not pipeline._glued(records.iloc[4:], np.array(["\n" not in t for t in texts[4:]]))
    # the last partition (two titled texts and a glued one) would not say "glued" alone; the run says so
    run = pipeline.Run(AnalyzeOptions(batch_rows=3, workers=2), pipeline.AnalysisResult(records=records),
                       StageMeter(), tmp_path)
    run.glued = True
    ends = pipeline._Background(run).records(run)["title_end"]
    assert (ends.iloc[:4] > 0).all() and (ends.iloc[4:6] == 0).all() and ends.iloc[6] == len("开福区某小区停车难题")


def test_the_title_ends_are_not_written_with_the_result(local_run):
    out, _ = local_run
    assert "title_end" not in pd.read_parquet(out / "records.parquet").columns
