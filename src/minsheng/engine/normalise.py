"""Normalisation: one canonical, masked form of every text before anything else looks at it.

Steps, in order: Unicode NFKC (full-width → half-width, compatibility forms), control characters
removed, traditional → simplified Chinese (OpenCC ``t2s``), runs of blanks folded, personal data
masked (:mod:`minsheng.engine.masking`).

NFKC runs code point by code point in numpy where a table knows what NFKC does to each of a text's code points
(:func:`_nfkc_joined`), else in Arrow's utf8proc over the batch's array of texts: several times faster than
:mod:`unicodedata`, and three times faster than Arrow on the same texts joined into one string (125 → 38 ms per
25,000 texts).
Why batches are joined into one string for the other steps: OpenCC and the regexes are C code, but calling
them a million times from Python costs more than the work itself. Joining a batch with a separator that
cannot survive normalisation (``\\x01``, a control character removed in step 2) lets each step run
once per batch at C speed, then the batch is split back.

>>> normalise_text("ＡＢＣ１２３　國務院，電話13812345678")
'ABC123 国务院,电话138****5678'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minsheng.engine.masking import KINDS, mask_personal_data

_SEP = "\x01"
_CONTROL = re.compile(r"[\x00\x02-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_BLANKS = re.compile(r"[ \t\u3000\xa0]+")
_FOLDED = ("  ", "\t", "\u3000", "\xa0")  # a run of blanks is one space unless it holds one of these
_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")
# Every match of _BLANK_LINES contains one of this, which starts with a literal and so is found by a fast
# scan: most batches have no blank line, and the full pattern tried at every character cost 15 % of this step.
_HAS_BLANK_LINE = re.compile(r"\n\s*\n")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_table() -> np.ndarray:
    """Per code point: may OpenCC's t2s change a text that holds it (``t2s_chars.txt``, made by
    ``scripts/t2s-chars.py`` from OpenCC's dictionaries)? A text holding none of them converts to itself."""
    chars = (files("minsheng.engine") / "t2s_chars.txt").read_text(encoding="utf-8").strip()
    table = np.zeros(0x110000, dtype=bool)
    table[np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)] = True
    return table


_UNKNOWN = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=1)
def _nfkc_table() -> np.ndarray:
    """Per code point of the BMP: the code point NFKC turns it into in any text of such code points, or
    ``_UNKNOWN`` where only NFKC itself can say (``nfkc_bmp.txt``, made by ``scripts/nfkc-bmp.py``)."""
    table = np.full(0x10000, _UNKNOWN, dtype=np.uint32)
    for line in (files("minsheng.engine") / "nfkc_bmp.txt").read_text(encoding="utf-8").splitlines():
        first, last, shift = line.split()
        run = np.arange(int(first, 16), int(last, 16) + 1)
        table[run] = run + int(shift)
    table[0xFFFF] = _UNKNOWN  # a noncharacter: where code points beyond the BMP are looked up (clipped)
    return table


def _nfkc_joined(arr: pa.Array | pa.ChunkedArray) -> str:
    """NFKC of each text, joined by ``_SEP``: code point by code point in numpy where a table knows each of a
    text's code points (full-width forms, the ideographic space: NFKC folds them alone, whatever is around
    them), and by Arrow's NFKC for the texts it does not. Arrow's was 8 % of the map stage."""
    joined = _SEP.join(arr.to_pylist())
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    folded = _nfkc_table().take(points, mode="clip")  # beyond the BMP: U+FFFF's, unknown
    unknown = np.flatnonzero(folded == _UNKNOWN)
    if len(unknown) == 0:
        return folded.tobytes().decode("utf-32-le")
    which = np.unique(np.searchsorted(np.flatnonzero(points == ord(_SEP)), unknown))
    if 2 * len(which) > len(arr):
        return _SEP.join(pc.utf8_normalize(arr, "NFKC").to_pylist())
    folded[unknown] = 0  # those texts are replaced below
    texts = folded.tobytes().decode("utf-32-le").split(_SEP)
    for i, text in zip(which.tolist(), pc.utf8_normalize(arr.take(pa.array(which)), "NFKC").to_pylist(),
                       strict=True):
        texts[i] = text
    return _SEP.join(texts)


def _to_simplified(joined: str) -> str:
    """t2s of a batch joined by ``_SEP``, converting only the texts that hold a character t2s may change.

    Chinese written in simplified characters holds none in most texts (92 % of the synthetic corpus, 60 % of the
    teddy2020 messages), and OpenCC was the largest cost of normalising. No dictionary entry holds ``_SEP``, so
    converting some texts joined is converting each alone, as converting the whole batch was."""
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    hits = np.flatnonzero(_t2s_table()[points])
    if not len(hits):
        return joined
    texts = joined.split(_SEP)
    which = np.unique(np.searchsorted(np.flatnonzero(points == ord(_SEP)), hits)).tolist()
    if 2 * len(which) > len(texts):
        return _t2s().convert(joined)
    for i, text in zip(which, _t2s().convert(_SEP.join([texts[i] for i in which])).split(_SEP), strict=True):
        texts[i] = text
    return _SEP.join(texts)


def normalise_joined(texts: Sequence[str] | pa.Array | pa.ChunkedArray) -> tuple[str, Counter]:
    """Normalise and mask a batch; returns the texts joined by ``\\x01`` (not yet stripped) and masked counts.

    For callers that go on to work on the whole batch at once (:func:`minsheng.engine.minhash.canonical_joined`).
    NFKC runs per text (:func:`_nfkc_joined`): on one joined string Arrow's NFKC was three times slower than on the
    array.
    """
    arr = texts if isinstance(texts, pa.Array | pa.ChunkedArray) else pa.array(texts, pa.large_string())
    joined = _nfkc_joined(pc.replace_substring(arr.fill_null(""), _SEP, " "))
    joined = _CONTROL.sub("", joined)  # keeps _SEP: the class starts after it
    joined = _to_simplified(joined).replace("\r\n", "\n").replace("\r", "\n")
    if any(b in joined for b in _FOLDED):  # else every run of blanks is one space already: a scan, not a regex
        joined = _BLANKS.sub(" ", joined)
    if _HAS_BLANK_LINE.search(joined):
        joined = _BLANK_LINES.sub("\n\n", joined)
    return mask_personal_data(joined)


def split_joined(joined: str, n: int) -> list[str]:
    """The ``n`` texts of a batch from :func:`normalise_joined`, stripped."""
    out = [t.strip() for t in joined.split(_SEP)]
    if len(out) != n:  # pragma: no cover - would mean a separator leaked through a step
        raise RuntimeError("normalisation changed the number of texts in a batch")
    return out


def normalise_texts(texts: Sequence[str] | pa.Array | pa.ChunkedArray) -> tuple[list[str], Counter]:
    """Normalise and mask a batch of texts; returns the new texts and masked counts by kind."""
    if not len(texts):
        return [], Counter()
    joined, counts = normalise_joined(texts)
    return split_joined(joined, len(texts)), counts


def normalise_text(text: str) -> str:
    """Normalise and mask one text (for the platform's single submissions)."""
    return normalise_texts([text])[0][0]


def normalise_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Return a copy of ``frame`` with ``text`` normalised and masked, and the masked counts."""
    texts, counts = normalise_texts(frame["text"].astype(str).tolist())
    out = frame.copy()
    out["text"] = texts
    return out, {kind: int(counts.get(kind, 0)) for kind in KINDS}


# What NFKC folded to ASCII and Chinese text writes full-width. Kept ASCII: a comma or colon between digits
# (1,000; 7:10), a colon before "//" (a URL), and ?/! inside an ASCII word (a URL's query).
_HALF_WIDTH = re.compile(r"(?<!\d),|,(?!\d)|(?<!\d):(?!//)|:(?!\d|//)|;|(?<![A-Za-z0-9/=&])[!?]|[!?](?![A-Za-z0-9=&])")
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_PARENS = re.compile(r"\(([^()]*)\)")
_HAN = re.compile(r"[\u4e00-\u9fa5]")


def full_width_punctuation(text: str) -> str:
    """``text`` for display, with the full-width punctuation NFKC made half-width (，：；！？ and （）) when it
    holds Chinese: the analysis reads normalised text, a planner reads Chinese as it is written.

    Only pairs of brackets are turned, so a balanced sentence stays balanced.

    >>> full_width_punctuation("请问3号线何时开通?早上7:10等车,人太多(尤其周一)")
    '请问3号线何时开通？早上7:10等车，人太多（尤其周一）'
    """
    if not isinstance(text, str) or not _HAN.search(text):
        return text
    text = _HALF_WIDTH.sub(lambda m: _FULL_WIDTH[m.group(0)], text)
    while True:
        turned = _PARENS.sub(r"（\1）", text)
        if turned == text:
            return text
        text = turned
