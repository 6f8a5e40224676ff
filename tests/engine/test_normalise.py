"""Normalisation: width, script, blanks, masking; batch and single forms agree."""

import pytest

from minsheng.engine.normalise import normalise_frame, normalise_text, normalise_texts


def test_full_width_and_traditional_become_half_width_simplified():
    assert normalise_text("ＡＢＣ１２３國務院關於") == "ABC123国务院关于"


def test_blank_runs_and_control_characters_are_folded():
    assert normalise_text("  第一段\u3000\u3000内容\x07\r\n\r\n\r\n\r\n第二段  ") == "第一段 内容\n\n第二段"


def test_batch_equals_one_by_one_and_keeps_count():
    texts = ["電話13812345678", "", "  ", "普通文本", "a\x01b"]
    batch, counts = normalise_texts(texts)
    assert len(batch) == len(texts)
    assert batch == [normalise_text(t) for t in texts]
    assert counts["mobile"] == 1


def test_frame_is_copied_not_mutated():
    import pandas as pd

    frame = pd.DataFrame({"text": ["電話13812345678"]})
    out, counts = normalise_frame(frame)
    assert frame["text"][0] == "電話13812345678"
    assert out["text"][0] == "电话138****5678"
    assert counts["mobile"] == 1 and set(counts) >= {"id_card", "bank_card", "email", "landline"}


def test_only_texts_t2s_may_change_are_converted_and_the_rest_are_as_if_all_were():
    import numpy as np

    from minsheng.engine.normalise import _SEP, _t2s, _t2s_table, _to_simplified

    table = _t2s_table()
    # a character outside the table converts to itself (all of the BMP but the separator and surrogates at once)
    points = np.flatnonzero(~table[:0x10000])
    points = points[(points > 1) & ((points < 0xD800) | (points >= 0xE000))]
    plain = "".join(map(chr, points.tolist()))
    assert _t2s().convert(plain) == plain
    # phrases that change characters t2s keeps alone (毛坏 → 毛坯, 回覆 → 回复) are in the table
    assert table[ord("坏")] and table[ord("覆")] and not table[ord("毛")]
    texts = ["回覆毛坏", "普通文本", "國務院", "深沈", "", "简体中文没有繁体", "憑藉\x02"] * 3
    joined = _SEP.join(texts)
    assert _to_simplified(joined) == _t2s().convert(joined)
    assert _to_simplified(_SEP.join(texts[1:2] * 5)) == _SEP.join(texts[1:2] * 5)


def test_nfkc_by_table_is_arrows_nfkc():
    """Code point by code point where the table knows every code point of a text, by Arrow for the others: the
    same as Arrow's NFKC of each text (full-width forms, compositions across code points, Hangul, astral ones)."""
    import random

    import pyarrow as pa
    import pyarrow.compute as pc

    from minsheng.engine.normalise import _SEP, _nfkc_joined

    rng = random.Random(0)
    pool = [chr(c) for c in [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1100, 0x1200),
                             *range(0x3000, 0x3100), *range(0xAC00, 0xAC40), *range(0xF900, 0xFA10),
                             *range(0xFF00, 0xFFEF), 0x9BE, 0x995, 0x9C7, 0x11099, 0x110BA, 0x1D400, 0x1F600]]
    pool += list("中国人民政府，。！？（）")
    for _ in range(100):
        texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 30))]
        for batch in (texts, ["全角，ＡＢＣ１２３　文本！"] * 10 + texts[:1]):
            arr = pa.array([t.replace(_SEP, " ") for t in batch], pa.large_string())
            assert _nfkc_joined(arr) == _SEP.join(pc.utf8_normalize(arr, "NFKC").to_pylist())


@pytest.mark.parametrize("script, table", [("t2s-chars.py", "t2s_chars.txt"), ("nfkc-bmp.py", "nfkc_bmp.txt")])
def test_shipped_tables_are_those_of_the_installed_libraries(script, table):
    """The tables say what OpenCC, Python's unicodedata and Arrow do now: made again, they are the same."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    made = subprocess.run([sys.executable, str(root / "scripts" / script)], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout
    assert made == (root / "src" / "minsheng" / "engine" / table).read_text(encoding="utf-8")
