"""Ordinary small inputs that once crashed the engine (issue 13): each now gives a complete, readable result."""

import json

import pandas as pd
import pytest

from minsheng.cli import main
from minsheng.engine.result import TABLES, read_result
from minsheng.reports import load_report_data, write_reports

ADVICE = "建议放宽二套房限购政策，因为现在负担太重。"


def _advice(n: int) -> list[str]:
    """Place-free policy advice, the main input of a national consultation (no time, no user)."""
    topics = ["职业教育投入", "养老服务补贴", "农村医保报销比例", "新能源汽车充电桩", "中小学课后服务"]
    return [ADVICE if i % 3 == 0 else f"建议加大{topics[i % 5]}，第{i}条意见：提高待遇，减轻负担。" for i in range(n)]


INPUTS = {
    "300 rows of place-free advice, id and text": pd.DataFrame({"id": range(300), "text": _advice(300)}),
    "25 identical rows": pd.DataFrame({"id": range(25), "text": [ADVICE] * 25}),
    "40 rows of English": pd.DataFrame({"id": range(40),
                                        "text": [f"Please improve bus line {i} in the city centre" for i in range(40)]}),
    "only a text column": pd.DataFrame({"text": ["建议放宽二套房限购政策。", "希望增加公园绿地。", "加强养老服务。"]}),
    # Found by Hypothesis (test_any_input.py): one message of 44,000 characters, one sentence repeated.
    "one row, one sentence repeated": pd.DataFrame({"id": ["a"], "time": ["1597536000"], "user": ["\x84p"],
                                                    "text": ["长沙市岳麓区望月湖小区停车难，建议建立体停车场。" * 1839],
                                                    "channel": ["人民网"]}),
    # Found probing (h-fuzz2): three texts of one word each that no other text shares ("True", "inf", "nan": how a
    # JSON true, 1e400 and NaN arrive as text): a reduced embedding of zero, which cosine average-linkage refused.
    "three one-word texts sharing no word": pd.DataFrame({"id": range(3), "text": ["True", "inf", "nan"]}),
}


@pytest.mark.parametrize("name", list(INPUTS))
def test_small_input_gives_a_complete_readable_result(name, tmp_path):
    src = tmp_path / "in.csv"
    INPUTS[name].to_csv(src, index=False)
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out), "--quiet", "--no-report", "--workers", "1"]) == 0
    result = read_result(out)
    assert len(result.records) == len(INPUTS[name]) == result.summary["accepted"]
    assert {"dup_group", "campaign_id", "hot_issue_id"} <= set(result.records.columns)
    assert result.campaigns is not None and result.hot_issues is not None and result.rejects is not None
    assert set(result.summary["steps"]) >= {"duplicates", "campaigns", "themes", "hot_issues"}
    # No time anywhere: times are null, never the string "NaT". Epoch seconds are a time (engine/values.py).
    raw = json.loads((out / "summary.json").read_text("utf-8"))
    when = "2020-08-16T08:00:00" if "time" in INPUTS[name] else None
    assert raw["time_start"] == when and raw["time_end"] == when
    assert "NaT" not in (out / "summary.json").read_text("utf-8")
    for table in result.tables().values():
        for col in set(table.columns) & {"time_start", "time_end", "first_time", "last_time"}:
            assert pd.api.types.is_datetime64_any_dtype(table[col])
    data = load_report_data(out)
    assert (data.time_span == "") == (when is None) and data.key_figures[0] == ("收到建议", len(INPUTS[name]))
    assert write_reports(out, formats=["html"])["html"].stat().st_size > 0


def test_identical_rows_are_one_group_and_still_themed(tmp_path):
    src = tmp_path / "in.csv"
    INPUTS["25 identical rows"].to_csv(src, index=False)
    assert main(["analyze", str(src), "--out", str(tmp_path / "o"), "--quiet", "--no-report", "--workers", "1"]) == 0
    result = read_result(tmp_path / "o")
    assert result.records["dup_group"].nunique() == 1 and result.summary["exact_duplicates"] == 24
    assert result.themes is not None and (result.records["theme_id"] == result.records["theme_id"].iloc[0]).all()


def test_a_table_round_trips_with_its_dtypes(tmp_path):
    from minsheng.engine.result import AnalysisResult, write_result

    hot = pd.DataFrame({"issue_id": ["007", "NA"], "heat": [1.5, 2.0], "n_messages": [3, 4],
                        "time_start": [pd.Timestamp("2020-08-16 08:00"), pd.NaT], "flag": [True, False],
                        "description": ["12345", ""], "template": ["=HYPERLINK(1)", "－3 建议"]})
    result = AnalysisResult(records=pd.DataFrame({"id": ["1"], "text": ["x"], "time": [pd.NaT]}), hot_issues=hot,
                            summary={"time_start": pd.NaT, "time_end": None})
    write_result(result, tmp_path)
    back = read_result(tmp_path)
    assert back.hot_issues["issue_id"].tolist() == ["007", "NA"]  # ids of digits, and the text "NA", stay texts
    assert back.hot_issues["description"].iloc[0] == "12345" and pd.isna(back.hot_issues["description"].iloc[1])
    assert back.hot_issues["time_start"].iloc[0] == pd.Timestamp("2020-08-16 08:00")
    assert pd.isna(back.hot_issues["time_start"].iloc[1]) and back.hot_issues["flag"].tolist() == [True, False]
    assert back.summary["time_start"] is None and back.campaigns is None
    # Written safe to open in a spreadsheet, read back as it was.
    assert (tmp_path / "hot_issues.csv").read_text("utf-8").count("'=HYPERLINK") == 1
    assert back.hot_issues["template"].tolist() == ["=HYPERLINK(1)", "－3 建议"]
    assert set(TABLES) >= {"suggestions", "novel", "replies"}


def test_a_newer_format_is_refused_in_one_line(tmp_path):
    from minsheng.engine.errors import InputError

    (tmp_path / "summary.json").write_text('{"format_version": 99}', "utf-8")
    with pytest.raises(InputError, match="newer minsheng"):
        read_result(tmp_path)


def test_stale_files_of_an_earlier_result_are_removed(tmp_path):
    from minsheng.engine.result import AnalysisResult, write_result

    records = pd.DataFrame({"id": ["1"], "text": ["x"]})
    write_result(AnalysisResult(records=records, themes=pd.DataFrame({"theme_id": ["B01"]})), tmp_path)
    write_result(AnalysisResult(records=records), tmp_path)
    assert not (tmp_path / "themes.csv").exists() and read_result(tmp_path).themes is None


def test_one_suggestion_spread_over_many_small_partitions(tmp_path):
    """Found exploring with --batch-rows 3 (and on Dask): 16 near-identical rows in six partitions made the
    digest's member ids an Arrow ChunkedArray, which LargeListArray.from_arrays refused (TypeError, exit 1)."""
    src = tmp_path / "in.csv"
    pd.DataFrame({"id": range(16), "text": [f"{ADVICE}{i}" for i in range(16)]}).to_csv(src, index=False)
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out), "--quiet", "--no-report", "--workers", "1",
                 "--batch-rows", "3"]) == 0
    suggestions = read_result(out).suggestions
    assert sorted(int(i) for ids in suggestions["member_ids"] for i in ids.split(";")) == list(range(16))


def test_a_ten_megabyte_cell_is_its_row_s_reject_and_the_rest_is_analysed(tmp_path):
    """A cell of 10 MB (a whole document pasted into one answer) between ordinary rows of a GB18030 file: that
    row is rejected as too long, naming its row; the others are analysed (h-fuzz2; a JSON array's reading of
    such a cell: test_ingest_values.py)."""
    texts = [_advice(3)[1], ADVICE * (10_000_000 // len(ADVICE)), _advice(3)[2]]
    src = tmp_path / "in.csv"
    src.write_bytes(pd.DataFrame({"编号": ["a1", "a2", "a3"], "留言详情": texts}).to_csv(index=False).encode("gb18030"))
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out), "--quiet", "--no-report", "--workers", "1"]) == 0
    result = read_result(out)
    assert result.records["id"].tolist() == ["a1", "a3"]
    assert result.rejects["row"].tolist() == [2] and result.rejects["id"].tolist() == ["a2"]


def test_unit_rows_of_a_matrix_of_no_rows_is_that_matrix():
    """scikit-learn's normalize refuses it: the digest reading no headlines alike ended small runs in a traceback."""
    import numpy as np
    import scipy.sparse as sp

    from minsheng.engine.unit_rows import unit_rows

    for empty in (sp.csr_matrix((0, 7), dtype=np.float32), np.zeros((0, 3)), sp.csr_matrix((2, 0))):
        assert unit_rows(empty).shape == empty.shape
