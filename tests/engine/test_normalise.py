"""Normalisation: width, script, blanks, masking; batch and single forms agree."""

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
