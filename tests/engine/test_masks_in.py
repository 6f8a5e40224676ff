"""Masks are counted back from text stored masked: the platform masks at intake, and the report must still say
how much personal data was masked, by kind."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import examples

from minsheng.engine.masking import mask_as_written, mask_personal_data, masks_in

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(body: str) -> str:
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _luhn(body: str) -> str:
    total = sum(sum(divmod(int(d) * (2 if i % 2 == 0 else 1), 10)) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


digits = st.text("0123456789", min_size=1, max_size=1)
PERSONAL = st.one_of(
    st.builds(lambda d: "1" + "3456789"[int(d[0]) % 7] + d, st.text("0123456789", min_size=9, max_size=9)),
    st.builds(lambda a, d: f"0{a}-{d}", st.text("123456789", min_size=2, max_size=3),
              st.text("123456789", min_size=7, max_size=8)),
    st.builds(lambda a, d, full: (f"（0{a}）{d}" if full else f"(0{a}){d}"), st.text("123456789", min_size=2, max_size=3),
              st.text("123456789", min_size=7, max_size=8), st.booleans()),
    st.builds(lambda d: _resident_id("4304" + d), st.text("0123456789", min_size=13, max_size=13)),
    st.builds(lambda p, d: _luhn(p + d), st.sampled_from(["62", "4", "5"]),
              st.text("0123456789", min_size=13, max_size=17)).filter(lambda card: len(card) != 18),
    st.builds(lambda u, h: f"{u}@{h}.cn", st.text("abcxyz._", min_size=1, max_size=6).filter(lambda s: s[0].isalpha()),
              st.text("abcdef", min_size=2, max_size=6)),
)
FILLER = st.sampled_from(["，电话", "。联系我：", " 或 ", "，谢谢！", "建议修路", "😊"])


@examples(300)
@given(st.lists(st.tuples(FILLER, PERSONAL), min_size=1, max_size=4))
def test_every_mask_written_is_counted_back_by_kind(parts):
    text = "".join(filler + value for filler, value in parts)
    for mask in (mask_as_written, mask_personal_data):
        masked, counts = mask(text)
        assert masks_in(masked) == counts, masked


def test_text_without_masks_counts_nothing():
    assert not masks_in("2020年3月产值12345678元，订单号20200301123456789，星号***不算")
    assert not masks_in("")


def test_ten_stars_are_read_as_an_id_number():
    """The one shape two kinds share: an 18-digit card masks like an ID number, the far commoner of the two."""
    card = "6222021234567890" + "12"
    assert masks_in(card[:4] + "*" * 10 + card[-4:]) == {"id_card": 1}
