"""The competition's own spreadsheets and what Excel and WPS make of them (``tests/stranger_files.py``) read as the
messages they hold: the right column as text, times, ids and counts as meant. Then ``minsheng analyze`` on some
of them, on both executors, gives a complete result."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.stranger_files import FILES, TEDDY, quirks, variants

from minsheng.cli import main
from minsheng.engine.ingest import read_headers, read_records
from minsheng.engine.result import read_result

pytestmark = pytest.mark.skipif(not TEDDY.exists(), reason="shared data not beside the checkout")


def _same_records(variant) -> None:
    records, rejects = read_records([variant.path])
    assert [(r.row, r.field) for r in rejects] == list(variant.rejected), rejects[:3]
    want = variant.expected
    if want["id"].notna().all():
        assert records["id"].tolist() == want["id"].tolist()
    assert records["text"].tolist() == want["text"].tolist()
    assert records["time"].tolist() == pd.Series(want["time"], dtype="datetime64[ns]").tolist()
    if "likes" in want:
        assert records["likes"].tolist() == want["likes"].tolist()


def _misread(found: dict) -> list[str]:
    """The kinds of file (with what went wrong) not read as the messages they hold: all of them, not the first."""
    wrong = []
    for kind, variant in found.items():
        try:
            _same_records(variant)
        except AssertionError as exc:
            wrong.append(f"{kind}: {str(exc).splitlines()[0][:300]}")
    return wrong


@pytest.mark.parametrize("name", list(FILES))
def test_each_teddy_file_in_every_form_an_office_saves_it_reads_as_the_same_messages(name, tmp_path):
    assert _misread(variants(name, tmp_path)) == []


def test_every_quirk_of_times_ids_counts_and_escapes_reads_as_meant(tmp_path):
    assert _misread(quirks(tmp_path)) == []


def test_a_group_heading_that_is_a_known_name_is_not_taken_for_the_header(tmp_path):
    """留言内容 merged over 留言主题 … 点赞数 was the header: the titles became the text, the real header a message,
    and every id, time and count was lost without a word."""
    path = variants("hot", tmp_path, rows=3)["xlsx, merged group headings"].path
    assert read_headers(path)[:4] == ["留言编号", "留言用户", "留言主题", "留言时间"]


@pytest.mark.parametrize(("name", "kind", "executor"), [
    ("hot", "xlsx, merged group headings", "local"),
    ("replied", "Unicode text (.txt)", "local"),
    ("labeled", "CSV, GB18030", "dask"),
])
def test_analyze_gives_a_complete_result_on_an_office_s_file(name, kind, executor, tmp_path):
    variant = variants(name, tmp_path, rows=40)[kind]
    out = tmp_path / "out"
    assert main(["analyze", str(variant.path), "--out", str(out), "--quiet", "--no-report", "--workers", "1",
                 "--executor", executor]) == 0
    result = read_result(out)
    want = variant.expected
    assert result.summary["accepted"] == len(result.records) == len(want.drop_duplicates("id"))
    by_id = result.records.set_index("id")
    assert by_id.loc[want["id"].iloc[0], "time"] == want["time"].iloc[0]
    assert set(result.summary["steps"]) >= {"duplicates", "themes", "hot_issues"}
    if name == "replied":  # 答复意见 found in the header and scored
        assert result.replies is not None and len(result.replies) == len(want)
