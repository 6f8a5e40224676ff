"""Loading an analysis output directory into report aggregates."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from minsheng.engine.errors import InputError
from minsheng.reports import load_report_data, write_reports
from minsheng.reports._data import MAX_CHANNEL_SERIES, MAX_ROWS

from .analysis_fixture import UNMASKED_PHONE


def test_it_agrees_with_the_summary_and_the_records(analysis_dir):
    summary = json.loads((analysis_dir / "summary.json").read_text(encoding="utf-8"))
    records = pd.read_parquet(analysis_dir / "records.parquet")
    data = load_report_data(analysis_dir)
    figures = dict(data.key_figures)
    assert figures["收到建议"] == summary["rows_in"]
    assert figures["提交人数"] == summary["people"]
    assert data.channels["messages"].sum() == summary["accepted"]
    assert int(data.volume.to_numpy().sum()) == len(records)
    assert data.departments["messages"].sum() == len(records)
    assert data.departments["needs_review"].sum() == int(records["needs_review"].sum())
    assert data.notes == {}


def test_it_masks_every_quote_again(analysis_dir):
    data = load_report_data(analysis_dir)
    quotes = " ".join(data.themes["representative_1"])
    assert UNMASKED_PHONE not in quotes
    assert UNMASKED_PHONE[:3] + "****" + UNMASKED_PHONE[-4:] in quotes


def test_missing_sections_become_notes(analysis_dir, tmp_path):
    for name in ("summary.json", "records.parquet"):
        shutil.copy(analysis_dir / name, tmp_path / name)
    data = load_report_data(tmp_path)
    assert data.replies is None and data.themes is None and data.hot_issues is None
    assert data.notes["replies"] == "本次分析未包含答复评价"
    written = write_reports(tmp_path)
    html = written["html"].read_text(encoding="utf-8")
    assert "本次分析未包含答复评价" in html and "本次分析未包含主题发现" in html


def test_it_rejects_a_directory_without_analysis_output(tmp_path):
    with pytest.raises(InputError, match="neither summary.json nor records.parquet"):
        load_report_data(tmp_path)
    with pytest.raises(InputError, match="not an analysis output directory"):
        load_report_data(tmp_path / "missing")


def test_it_names_a_broken_summary(tmp_path):
    (tmp_path / "summary.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_report_data(tmp_path)
    assert err.value.file.endswith("summary.json")


def test_themes_with_numeric_levels_and_other_column_names(analysis_dir, tmp_path):
    for name in ("summary.json", "records.parquet"):
        shutil.copy(analysis_dir / name, tmp_path / name)
    themes = pd.read_csv(analysis_dir / "themes.csv").rename(columns={"parent_id": "parent", "n_users": "n_people"})
    themes["level"] = themes["level"].map({"broad": 1, "fine": 2})
    themes.to_csv(tmp_path / "themes.csv", index=False)
    expected = load_report_data(analysis_dir).themes
    got = load_report_data(tmp_path).themes
    columns = ["theme_id", "level", "parent", "n_people"]  # the same values; n_people inferred, not Int64 as written
    pd.testing.assert_frame_equal(got[columns], expected[columns], check_dtype=False)
    assert set(got["level"]) == {1, 2}
    assert (got.loc[got["level"] == 2, "parent"] != "").all()


def test_the_report_size_is_bounded_whatever_the_section_sizes(analysis_dir, tmp_path):
    """Ten times more themes, campaigns and rejects than a report carries: the page stays small."""
    for name in ("summary.json", "records.parquet", "hot_issues.csv"):
        shutil.copy(analysis_dir / name, tmp_path / name)
    many, long = 4000, "建议加强社区养老服务，让老人在家门口就能得到照顾。" * 20
    pd.DataFrame({"theme_id": [f"T{i}" for i in range(many)], "level": "fine", "parent_id": "B1",
                  "label": "养老", "keywords": "养老 社区", "n_messages": range(many), "n_users": 1,
                  "representative_1": long, "representative_2": long, "representative_3": long}
                 ).to_csv(tmp_path / "themes.csv", index=False)
    pd.DataFrame({"campaign_id": [f"C{i}" for i in range(many)], "people": range(many), "messages": many,
                  "distinct_arguments": 2, "template": long, "sample_additions": long}
                 ).to_csv(tmp_path / "campaigns.csv", index=False)
    pd.DataFrame({"source": "a.csv", "row": range(10 * many), "id": "x", "reason": "空文本"}
                 ).to_csv(tmp_path / "rejects.csv", index=False)
    data = load_report_data(tmp_path)
    assert len(data.themes) == MAX_ROWS["themes"] and len(data.campaigns) == MAX_ROWS["campaigns"]
    assert data.campaigns["people"].iloc[0] == many - 1  # the largest are kept
    assert data.rejects_by_reason["rows"].sum() == 10 * many  # counted in full, sampled for display
    assert len(data.rejects_sample) == MAX_ROWS["rejects"]
    html = write_reports(tmp_path, formats=["html"])["html"]
    assert html.stat().st_size < 5_000_000


def test_the_highlights_state_the_main_numbers(analysis_dir):
    data = load_report_data(analysis_dir)
    text = "".join(data.highlights)
    assert f"{data.summary['accepted']:,}" in text
    assert data.departments["department"].iloc[0] in text
    assert data.channels["channel"].iloc[0] in text


def test_thousands_of_channels_are_folded(analysis_dir, tmp_path):
    records = pd.read_parquet(analysis_dir / "records.parquet")
    records["channel"] = [f"渠道{i % 3000}" for i in range(len(records))]
    records.to_parquet(tmp_path / "records.parquet")
    data = load_report_data(tmp_path)
    assert data.volume.shape[1] == MAX_CHANNEL_SERIES
    assert int(data.volume.to_numpy().sum()) == len(records)
    assert len(data.channels) == MAX_ROWS["channels"]
    assert data.channels["messages"].sum() == len(records)


def test_replies_per_department_come_from_the_scores_when_not_aggregated(analysis_dir, tmp_path):
    for name in ("summary.json", "records.parquet"):
        shutil.copy(analysis_dir / name, tmp_path / name)
    scores = pd.read_csv(analysis_dir / "replies.csv")
    departments = pd.read_parquet(analysis_dir / "records.parquet", columns=["id", "department"])
    scores.merge(departments, on="id").to_csv(tmp_path / "replies.csv", index=False)
    expected = load_report_data(analysis_dir).replies.set_index("department")
    got = load_report_data(tmp_path).replies.set_index("department")
    assert got["replies"].sum() == len(scores)
    assert (got["relevance"] - expected.loc[got.index, "relevance"]).abs().max() < 0.002


def test_a_platform_run_names_its_data_in_words_and_no_internal_file(analysis_dir, tmp_path):
    """The platform writes ``source`` and ``masked_at_intake`` into the summary: the report shows them, and
    neither the export's file name nor its row numbers."""
    out = tmp_path / "run"
    shutil.copytree(analysis_dir, out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary.update(source="规划征求意见：网站提交 5 条、合作渠道 300 条",
                   masked_at_intake={"mobile": 7, "id_card": 0, "bank_card": 0, "landline": 0, "email": 2})
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    data = load_report_data(out)
    assert data.source == "规划征求意见：网站提交 5 条、合作渠道 300 条"
    assert "parquet" not in data.full_results and "source" not in data.rejects_sample
    masked = data.masked.set_index("kind")
    assert masked.loc["手机号码", "masked_at_intake"] == 7
    assert masked.loc["手机号码", "masked_in_analysis"] == summary["masked"]["mobile"]
    cli = load_report_data(analysis_dir)
    assert cli.source == "、".join(cli.input_names) != ""  # the command line names the files it read
    assert "masked_at_intake" not in cli.masked and "source" in cli.rejects_sample


def test_hot_issues_without_times_get_no_empty_timeline(analysis_dir, tmp_path):
    """A file without a time column gives hot issues without first and last times: the report lists them but
    draws no timeline (an empty chart of issue names tells the reader nothing)."""
    timed = tmp_path / "timed"
    shutil.copytree(analysis_dir, timed)
    assert 'id="chart-hot"' in write_reports(timed, formats=["html"])["html"].read_text(encoding="utf-8")
    out = tmp_path / "untimed"
    shutil.copytree(analysis_dir, out)
    hot = pd.read_csv(out / "hot_issues.csv", dtype=str)
    hot[["time_start", "time_end"]] = ""
    hot.to_csv(out / "hot_issues.csv", index=False)
    data = load_report_data(out)
    assert data.timed_hot_issues(20) is None and len(data.hot_issues) == len(hot)
    html = write_reports(out, formats=["html", "pdf"])["html"].read_text(encoding="utf-8")
    assert 'id="chart-hot"' not in html and hot["description"].iloc[0][:10] in html
    assert load_report_data(analysis_dir).timed_hot_issues(20) is not None  # the fixture's issues have times


def test_a_quoted_text_keeps_only_the_surname_of_a_writer_who_names_themselves():
    """The reports quote records, which keep names for the analysis: the quote masks them as the exports do."""
    from minsheng.reports._data import mask_text

    assert mask_text("我叫李建义，家住韶山路12号，电话0746—6222903") == "我叫李**，家住韶山路**号，电话0746****2903"


def test_the_highlights_name_no_single_leader_among_equals(analysis_dir):
    """A six-suggestion campaign's report read 建议最多的是“学校·临时·交警”（1 条） over six themes of one suggestion
    each, and 来自 1 个渠道，最多的是文件导入（100%）: a leader picked among equals, a "most" of one."""
    from dataclasses import replace

    from minsheng.reports._data import _highlights

    data = load_report_data(analysis_dir)
    broad = data.themes[data.themes["level"] == data.themes["level"].min()].copy()
    assert len(broad) >= 3
    text = "".join(_highlights(replace(data, themes=broad.assign(n_messages=1), channels=data.channels.head(1))))
    assert f"归纳出 {len(broad)} 个大类主题，各含 1 条建议。" in text and "建议最多的是" not in text
    assert f"全部来自{data.channels['channel'].iloc[0]}。" in text and "个渠道" not in text
    two = broad.assign(n_messages=[5, 5] + [1] * (len(broad) - 2))
    text = "".join(_highlights(replace(data, themes=two)))
    assert "建议最多的是“" in text and "（各 5 条）" in text
    one = broad.assign(n_messages=[5] + [1] * (len(broad) - 1))
    assert "（5 条）。" in "".join(_highlights(replace(data, themes=one)))  # a theme that leads alone is named


def test_the_highlights_shorten_a_long_hot_issue_but_keep_its_counts_whole(analysis_dir):
    """The overview cut a long description at 60 characters, inside its bracket: 「…可以先试点再推广（20。」."""
    from dataclasses import replace

    from minsheng.reports._data import _highlights

    data = load_report_data(analysis_dir)
    long = "建议在老旧小区加装电梯时统一规划，" * 5 + "可以先试点再推广（20人，2019-11 至 2020-01）"
    hot = data.hot_issues.head(1).assign(description=long)
    line = next(x for x in _highlights(replace(data, hot_issues=hot)) if x.startswith("热度最高的问题"))
    assert line.endswith("…（20人，2019-11 至 2020-01）。") and len(line) < 100
    short = "A2区丽发新城附近修建搅拌站，噪音和粉尘扰民（41人，2019-11 至 2020-01）"
    line = next(x for x in _highlights(replace(data, hot_issues=hot.assign(description=short)))
                if x.startswith("热度最高的问题"))
    assert line == f"热度最高的问题：{short}。"
