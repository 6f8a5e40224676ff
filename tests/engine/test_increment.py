"""New records join an earlier result's duplicate groups and themes without refitting."""

import pandas as pd

from minsheng.engine.increment import join_increment
from minsheng.engine.pipeline import AnalyzeOptions, analyze
from minsheng.engine.result import model_path, read_result, write_result


def test_copies_join_earlier_groups_and_new_texts_start_their_own(corpus, tmp_path):
    base = corpus.head(600)
    src = tmp_path / "base.csv"
    pd.DataFrame({"id": base["id"], "text": base["title"] + "\n" + base["body"]}).to_csv(src, index=False)
    write_result(analyze([src], AnalyzeOptions(workers=1)), tmp_path / "out")
    earlier = read_result(tmp_path / "out")
    reps = earlier.records[earlier.records["is_representative"]]
    source_text = dict(zip(base["id"].astype(str), base["title"] + "\n" + base["body"], strict=True))
    reps = pd.DataFrame({"dup_group": reps["dup_group"], "dup_group_size": reps["dup_group_size"],
                         "text": reps["id"].astype(str).map(source_text)})
    copied = reps.iloc[0]
    new = pd.DataFrame({"id": ["n1", "n2", "n3"],
                        "text": [copied["text"], "全新的一条建议：在每个社区设立共享工具房，方便邻里借用。",
                                 "全新的一条建议：在每个社区设立共享工具房，方便邻里借用。"]})
    added = join_increment(new, reps, theme_model=model_path(tmp_path / "out", "themes"),
                           router=tmp_path / "no-router.model").records
    first, fresh, again = added.to_dict("records")
    assert first["dup_group"] == copied["dup_group"] and first["dup_group_size"] == copied["dup_group_size"] + 1
    assert not first["is_representative"]
    assert fresh["dup_group"] == again["dup_group"] == earlier.records["dup_group"].max() + 1
    assert fresh["is_representative"] and not again["is_representative"] and fresh["dup_group_size"] == 2
    assert set(added["theme_id"]) <= set(earlier.themes["theme_id"])
    assert "department" not in added  # no router file: routing left out


def test_nothing_new_is_an_empty_result():
    empty = pd.DataFrame(columns=["id", "text"])
    reps = pd.DataFrame({"dup_group": [0], "dup_group_size": [1], "text": ["x"]})
    assert join_increment(empty, reps).records.empty
