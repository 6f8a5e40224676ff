"""Scoring hot issues against a gold set: B-cubed, splits, misses, place labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from minsheng.engine.errors import InputError
from minsheng.engine.hot_eval import (
    EXPORT_SHAPES,
    export_shape,
    place_acceptance,
    read_gold,
    read_place_labels,
    score_asks,
    score_hot_issues,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def _gold(**issues):
    return pd.DataFrame([(i, g) for g, ids in issues.items() for i in ids], columns=["id", "gold"])


def test_a_perfect_answer_scores_one():
    gold = _gold(G1=["1", "2", "3"], G2=["4", "5"])
    pred = pd.Series(["H1", "H1", "H1", "H2", "H2", "H9"], index=["1", "2", "3", "4", "5", "6"])
    s = score_hot_issues(pred, gold)
    assert (s["bcubed_precision"], s["bcubed_recall"], s["gold_split"], s["gold_missed"]) == (1.0, 1.0, 0, 0)


def test_splits_merges_and_misses_are_counted():
    gold = _gold(G1=["1", "2", "3", "4"], G2=["5", "6"], G3=["7", "8"])
    # G1 split in two, G2 merged into G1's second half, G3 in no issue at all.
    pred = pd.Series(["H1", "H1", "H2", "H2", "H2", "H2", None, None], index=list("12345678"))
    s = score_hot_issues(pred, gold)
    assert s["gold_split"] == 1 and s["gold_missed"] == 1 and s["hot_issues_merging_gold"] == 1
    # Precision: 1,2 → 2/2; 3,4 → 2/4; 5,6 → 2/4; 7,8 singletons → 1.  Recall: 1..4 → 2/4; 5,6 → 1; 7,8 → 1/2.
    assert s["bcubed_precision"] == pytest.approx((2 + 0.5 * 4 + 2) / 8, abs=1e-4)
    assert s["bcubed_recall"] == pytest.approx((0.5 * 4 + 2 + 0.5 * 2) / 8, abs=1e-4)


def test_gold_file_errors_name_file_and_field(tmp_path):
    bad = tmp_path / "gold.csv"
    bad.write_text("gold_id,member_ids\nG1,1;2\nG2,2;3\n", encoding="utf-8")
    with pytest.raises(InputError, match="message 2 is in two gold issues") as err:
        read_gold(bad)
    assert err.value.field == "member_ids" and err.value.file == str(bad)
    bad.write_text("gold_id,ids\nG1,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="member_ids"):
        read_gold(bad)


def test_place_labels_score_only_what_was_labelled(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("value,accepted,why\n丽发新城,1,\n先修路,0,verb glued to a road\n", encoding="utf-8")
    s = place_acceptance(["丽发新城", "先修路", "丽发新城", "新名字"], read_place_labels(labels))
    assert s["accepted_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["rejected"] == ["先修路"] and s["unlabelled"] == ["新名字"]
    labels.write_text("value,accepted\n丽发新城,yes\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2"):
        read_place_labels(labels)


HOT = DATA.parents[1].parent / "shared" / "data" / "teddy2020" / "messages_hot.csv"
REPLIED = HOT.with_name("messages_replied.csv")
LABELED_TEXT = HOT.with_name("messages_labeled_text.csv")


@pytest.mark.parametrize(("name", "data", "least"), [("hot_issues_gold.csv", HOT, 30),
                                                     ("hot_issues_gold_replied.csv", REPLIED, 28),
                                                     ("hot_issues_gold_labeled_text.csv", LABELED_TEXT, 37)])
def test_the_gold_set_is_what_its_readme_says(name, data, least):
    gold = read_gold(DATA / name)
    sizes = gold.groupby("gold").size()
    assert len(sizes) >= least and (sizes >= 2).all()
    if not data.exists():
        return
    if data == LABELED_TEXT:
        # A file without users: at least two messages whose texts differ (a copy is one voice).
        texts = pd.read_csv(data, dtype=str, usecols=["id", "text"]).set_index("id")["text"]
        assert gold["id"].isin(texts.index).all()
        per_issue = gold.assign(text=gold["id"].map(texts)).groupby("gold")["text"].nunique()
        assert (per_issue >= 2).all(), per_issue[per_issue < 2].index.tolist()
        return
    # Rule 3: at least two different users raised it (one user writing twice is one person, as heat counts).
    users = pd.read_csv(data, dtype=str, usecols=["id", "user"]).set_index("id")["user"]
    assert gold["id"].isin(users.index).all()
    per_issue = gold.assign(user=gold["id"].map(users)).groupby("gold")["user"].nunique()
    assert (per_issue >= 2).all(), per_issue[per_issue < 2].index.tolist()


def test_the_engine_on_the_gold_sets(capsys):
    """The figures ``minsheng evaluate --hot-gold`` prints, with floors a regression would break: messages_hot
    against the first gold set, and messages_replied, analysed on its own, against the blind one built on it
    (recall 0.697 when it was added, before anything was tuned on it)."""
    import json

    from minsheng.cli import main

    if not (HOT.exists() and REPLIED.exists() and LABELED_TEXT.exists()):
        pytest.skip("teddy2020 data not available")
    code = main(["evaluate", str(HOT), str(REPLIED), str(LABELED_TEXT), "--hot-gold", str(DATA / "hot_issues_gold.csv"),
                 str(DATA / "hot_issues_gold_replied.csv"), str(DATA / "hot_issues_gold_labeled_text.csv"),
                 "--hot-places", str(DATA / "hot_places_labels.csv"), "--json", "--quiet"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["bcubed_precision"] >= 0.95 and result["bcubed_recall"] >= 0.62
    assert result["gold_split"] <= 8 and result["gold_missed"] <= 18
    assert result["places"]["accepted_share"] >= 0.8
    assert len(result["top_issues"]) == 10
    [replied, labeled_text] = result["other_gold_sets"]
    assert replied["gold_issues"] == 28 and replied["input"] == str(REPLIED)
    assert replied["bcubed_precision"] >= 0.95 and replied["bcubed_recall"] >= 0.6 and replied["gold_missed"] <= 16
    # built blind; 1.000 / 0.649, 17 missed, when it was added (2026-12-04, main 9aa9888)
    assert labeled_text["gold_issues"] == 37 and labeled_text["input"] == str(LABELED_TEXT)
    assert labeled_text["bcubed_precision"] >= 0.95 and labeled_text["bcubed_recall"] >= 0.55


def test_an_export_shape_keeps_the_ids_and_glues_the_title_to_the_body(tmp_path):
    full = tmp_path / "in.csv"
    pd.DataFrame({"id": ["7", "8"], "user": ["u1", "u2"], "title": ["小区停水", "路灯不亮 "],
                  "time": ["2019/5/1 8:00:00", "2019/5/2 9:00:00"], "body": ["三天了。", "晚上很黑。"],
                  "likes": ["3", "0"]}).to_csv(full, index=False)
    shaped = {s: pd.read_csv(export_shape(full, s, tmp_path), dtype=str) for s in EXPORT_SHAPES}
    assert {s: list(t.columns) for s, t in shaped.items()} == {s: list(c) for s, c in EXPORT_SHAPES.items()}
    assert shaped["bare"].values.tolist() == [["7", "小区停水三天了。"], ["8", "路灯不亮晚上很黑。"]]
    assert shaped["glued"]["time"].tolist() == ["2019/5/1 8:00:00", "2019/5/2 9:00:00"]
    with pytest.raises(InputError, match="missing column 'title'"):
        export_shape(_write(tmp_path / "bare.csv", "id,text\n1,小区停水三天了\n"), "bare", tmp_path / "out")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_engine_on_the_gold_sets_written_as_bare_exports(capsys):
    """The DEV gold sets scored on their files' bare twins (id and text, the title glued to the body; no time,
    user or likes: what ``minsheng evaluate --as-bare-export`` prints). Floors a little under what was measured
    when the twins were first scored with glued titles given back (2026-12-06, h-hot19): messages_hot 0.989 /
    0.860, messages_replied 1.000 / 0.785 (theme seed 0; over seeds 0-3 0.860-0.883 and 0.733-0.785)."""
    import json

    from minsheng.cli import main

    if not (HOT.exists() and REPLIED.exists()):
        pytest.skip("teddy2020 data not available")
    code = main(["evaluate", str(HOT), str(REPLIED), "--hot-gold", str(DATA / "hot_issues_gold.csv"),
                 str(DATA / "hot_issues_gold_replied.csv"), "--as-bare-export", "--json", "--quiet"])
    assert code == 0
    [hot, replied] = json.loads(capsys.readouterr().out)["export_shapes"]
    assert (hot["shape"], hot["input"], replied["input"]) == ("bare", str(HOT), str(REPLIED))
    assert hot["bcubed_precision"] >= 0.95 and hot["bcubed_recall"] >= 0.84
    assert replied["bcubed_precision"] >= 0.95 and replied["bcubed_recall"] >= 0.76


def test_gold_sets_one_per_input_or_one_for_all(capsys):
    from minsheng.cli import main

    assert main(["evaluate", "a.csv", "--hot-gold", "g1.csv", "g2.csv"]) == 2
    assert "one gold set, or one per input (1), not 2" in capsys.readouterr().err


def _ask_gold(*rows):
    return pd.DataFrame([dict(id=i, ask=a, generic=g, other_asks=o, title_only="0") for i, a, g, o in rows])


def test_asks_are_right_wrong_missed_or_noise():
    bodies = pd.Series({"1": "门口路灯坏了。希望尽快修好路灯。谢谢", "2": "客服建议我们刷单。请依法查处这家商城。",
                        "3": "路灯坏了很久。", "4": "小区没有路灯，晚上很黑。", "5": "小区停水三天。希望领导重视。"})
    gold = _ask_gold(("1", "希望尽快修好路灯", "0", ""), ("2", "请依法查处这家商城", "0", ""),
                     ("3", "", "0", ""), ("4", "", "0", ""), ("5", "希望领导重视", "1", ""))
    shown = {"1": "尽快修好路灯", "2": "建议我们刷单", "3": "", "4": "小区没有路灯", "5": ""}
    s = score_asks(bodies, gold, ask_of=lambda body: shown[bodies[bodies == body].index[0]])
    assert [r["kind"] for r in s["rows"]] == ["right", "wrong", "right_none", "noise", "missed_generic"]
    # shown 3: one right; specific marked asks 2 (1, 2): one right
    assert (s["shown"], s["precision"], s["recall"]) == (3, round(1 / 3, 4), 0.5)


def test_an_ask_marked_among_other_asks_is_right():
    bodies = pd.Series({"1": "建议增设公交站。另外建议延长末班车时间。"})
    gold = _ask_gold(("1", "建议增设公交站", "0", "另外建议延长末班车时间"))
    s = score_asks(bodies, gold, ask_of=lambda body: "延长末班车时间")
    assert s["outcomes"] == {"right": 1}


def test_a_gold_message_missing_from_the_input_is_an_error():
    with pytest.raises(InputError, match="not in the input"):
        score_asks(pd.Series({"1": "x"}), _ask_gold(("2", "", "0", "")), ask_of=lambda body: "")


def test_the_asks_descriptions_show_against_the_hand_marked_ones(capsys):
    """``minsheng evaluate --ask-gold`` on the 130 messages marked blind (``tests/data/hot_asks_gold.md``): the
    floors sit below what the code reached (P 0.767, R 0.518) and well above the code before it (P 0.744,
    R 0.253: it read the first 400 characters and no questions), so reading less of the body breaks them."""
    import json

    from minsheng.cli import main

    if not HOT.exists():
        pytest.skip("teddy2020 data not available")
    assert main(["evaluate", str(HOT), "--ask-gold", str(DATA / "hot_asks_gold.csv"), "--json", "--quiet"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["messages"] == 130
    assert result["precision"] >= 0.72 and result["recall"] >= 0.45


@pytest.mark.parametrize(("name", "old", "new"), [
    # (issues, coherent, description yes) of each version, as tests/data/hot_review.md reports them
    ("hot_review_ab.csv", (101, 63, 42), (99, 63, 50)),
    ("hot_review_ab2.csv", (99, 60, 49), (98, 62, 48)),
    ("hot_review_ab3.csv", (98, 63, 47), (82, 63, 46)),
    ("hot_review_ab4.csv", (82, 62, 45), (83, 64, 48)),
])
def test_the_blind_ab_readings_add_up_to_what_hot_review_md_says(name, old, new):
    """The blind A/B readings are data the docs quote: their values stay in the rubric, their member ids in the
    source files, and their totals equal the figures written in hot_review.md."""
    table = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    assert set(table["coherent"]) <= {"yes", "no"}
    assert set(table["place"]) <= {"yes", "no", "none_ok", "none_missing"}
    assert set(table["description"]) <= {"yes", "partly", "no"}
    for version, (issues, coherent, described) in (("old", old), ("new", new)):
        judged = table[table[f"rank_{version}"] != ""]
        assert (len(judged), int((judged["coherent"] == "yes").sum()),
                int((judged["description"] == "yes").sum())) == (issues, coherent, described)
    for source, rows in table.groupby("source"):
        path = HOT.with_name(source)
        if path.exists():
            ids = set(pd.read_csv(path, dtype=str, usecols=["id"])["id"])
            assert {i for m in rows["member_ids"] for i in m.split(";")} <= ids
