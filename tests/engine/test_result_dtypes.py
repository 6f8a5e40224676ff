"""A text column stays text through write_result and read_result even when every cell of it is empty: pandas
makes such a column float64 NaN, and the reports would then show novel.csv's empty titles as numbers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from minsheng.engine.digest_table import suggestion_table
from minsheng.engine.novel import NOVEL_COLUMNS, novel_ideas
from minsheng.engine.result import AnalysisResult, read_result, write_result


def _novel(title) -> pd.DataFrame:
    return pd.DataFrame({"rank": [1, 2], "id": ["m7", "m9"], "score": [2.5, 1.5],
                         "proposal": ["建议公交南站增设改签窗口", "建议延长图书馆开放时间"], "title": title,
                         "department": ["交通运输局", "文化局"], "place": ["南站", ""], "why": ["proposal+1.00"] * 2},
                        columns=NOVEL_COLUMNS)


def test_an_all_empty_title_is_recorded_and_read_as_text(tmp_path):
    novel = _novel(np.full(2, np.nan))  # what pandas builds for a column with no value at all
    assert novel["title"].dtype == "float64"
    write_result(AnalysisResult(records=pd.DataFrame({"id": ["m7", "m9"]}), novel=novel), tmp_path)
    schema = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["schema"]["novel.csv"]
    assert schema["title"] == "string" and schema["score"] == "float64" and schema["rank"] == "Int64"
    back = read_result(tmp_path).novel
    assert pd.api.types.is_string_dtype(back["title"]) and back["title"].isna().all()
    assert pd.api.types.is_float_dtype(back["score"]) and back["score"].tolist() == [2.5, 1.5]


def test_a_directory_without_a_schema_reads_empty_text_as_text(tmp_path):
    write_result(AnalysisResult(records=pd.DataFrame({"id": ["m7", "m9"]}), novel=_novel(["", ""])), tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    del summary["schema"]  # as an older writer left it
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    back = read_result(tmp_path).novel
    assert pd.api.types.is_string_dtype(back["title"]) and pd.api.types.is_string_dtype(back["id"])
    assert pd.api.types.is_float_dtype(back["score"])


def test_empty_suggestions_and_novel_record_numbers_and_times_not_text(tmp_path):
    """A run where nothing forms a suggestion and nobody proposes anything still writes tables whose counts are
    numbers and whose times are times, as a run with rows does (they were recorded as "string")."""
    records = pd.DataFrame({"id": ["m1"], "text": ["你好"]})
    claims = pd.DataFrame({"record": [0], "cluster": [-1], "score": [0.0], "kind": ["context"], "text": ["你好"]})
    suggestions, main = suggestion_table(records, claims, model=None)
    novel = novel_ideas(records, claims.iloc[:0], np.full(1, False), {})
    assert suggestions.empty and novel.empty and main.tolist() == [None]
    write_result(AnalysisResult(records=records, suggestions=suggestions, novel=novel), tmp_path)
    schema = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["schema"]
    assert schema["suggestions.csv"]["rank"] == "Int64" and schema["suggestions.csv"]["people"] == "Int64"
    assert schema["suggestions.csv"]["coherence"] == "float64" and schema["suggestions.csv"]["first_time"] == "datetime"
    assert schema["suggestions.csv"]["headline"] == "string"
    assert schema["novel.csv"]["rank"] == "Int64" and schema["novel.csv"]["score"] == "float64"
    back = read_result(tmp_path)
    assert pd.api.types.is_integer_dtype(back.suggestions["people"]) and back.novel.empty


def test_the_records_region_is_written_and_read_back_and_an_older_result_reads_without_it(tmp_path):
    """``minsheng analyze`` of a file with a 地区 column: the records carry each suggestion's region to the reports;
    a result written before (no region column) still reads, the column absent."""
    from minsheng.engine.pipeline import analyze, duplicates

    path = tmp_path / "in.csv"
    pd.DataFrame({"详情": ["建议增加公交班次", "小区停车位不够", "路灯不亮"],
                  "地区": ["珠晖区", "雁峰区", None]}).to_csv(path, index=False)
    result = analyze([path], steps=[duplicates])
    assert result.summary["regions"] == 2
    write_result(result, tmp_path / "out")
    back = read_result(tmp_path / "out", record_columns=["id", "region"])
    assert back.records["region"].fillna("无").tolist() == ["珠晖区", "雁峰区", "无"]
    assert read_result(tmp_path / "out").summary["regions"] == 2
    older = tmp_path / "older"
    write_result(AnalysisResult(records=pd.DataFrame({"id": ["m1"], "text": ["你好"]})), older)
    assert list(read_result(older, record_columns=["id", "region"]).records.columns) == ["id"]
