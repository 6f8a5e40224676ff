"""MinHash signatures of character shingles, vectorised over a whole batch.

Why not one ``datasketch.MinHash`` per text: that applies ``num_perm`` hash functions to every
shingle from Python, ≈ 25,000 multiplications a text, a Python call per shingle. Here a batch of texts
becomes one array of code points; shingle hashes come from a rolling polynomial over shifted views;
**one-permutation hashing** (Li, Owen & Zhang 2012) puts each shingle in one of ``num_perm`` bins
by its top bits and keeps the minimum of its low bits per bin (``np.minimum.at``, a block of the
batch at a time); empty bins are filled by **rotation densification** (Shrivastava & Li 2014) so that
short texts still compare correctly. The fraction of equal bins between two signatures estimates the
Jaccard similarity of their shingle sets, as with classic MinHash.

Signatures depend only on the text, so partitions can be signed anywhere (a local process, a Dask
worker) and merged by concatenation.

>>> sig = signatures(["今天天气很好，我们去公园散步吧", "今天天气很好，我们去公园散步吧！", "完全不同的另一句话内容"])
>>> bool((sig[0] == sig[1]).all()), float((sig[0] == sig[2]).mean()) < 0.2
(True, True)
"""

from __future__ import annotations

import functools
import re

import numpy as np
import xxhash

_NOT_WORD = re.compile(r"[\W_]+")
_MULT = np.uint64(0x100000001B3)
_EMPTY = np.uint32(0xFFFFFFFF)
_ROTATION = np.uint32(0x9E3779B1)
_BLANK = np.uint16(0xFFFF)
_BLOCK = 1 << 16  # code points hashed at a time (:func:`_bin_minima`): 512 kB a temporary


def canonical(text: str) -> str:
    """The form compared for duplicates: letters, digits and CJK only, lower case.

    Punctuation and spacing are what re-posters and mail-merge tools change first, so they carry no
    evidence either way.
    """
    return _NOT_WORD.sub("", text).lower()




def canonical_many(texts: list[str]) -> list[str]:
    """:func:`canonical` for a batch: one regex pass over the joined batch instead of one per text."""
    if not texts:
        return []
    return canonical_joined("\x01".join(t.replace("\x01", "") for t in texts))


def canonical_joined(joined: str) -> list[str]:
    """:func:`canonical` of each text of a batch joined by ``\\x01`` (which no text contains).

    Why code points in numpy rather than the regular expression of :func:`canonical`: the characters kept
    are those ``str.isalnum`` accepts (what ``\\w`` means, less ``_``), a look-up per code point in a table
    made once; the regular expression over a 25,000-text batch cost 0.20-0.34 CPU-s, this 0.09-0.10, a fifth
    of the map stage's own work. The same texts for every code point (``tests/engine/test_dedup.py``).

    Lower case comes from a table too (:func:`_folded_bmp`) unless a text holds a letter whose lower case is
    not one letter alone (İ, Σ at a word's end, any code point beyond U+FFFF): ``str.lower`` of the joined batch
    was half of this function (0.13-0.17 CPU-s for 200,000 texts).
    """
    code = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _folded_bmp().take(code, mode="clip")  # beyond the BMP: U+FFFF's, _ODD
    if not (folded == _ODD).any():
        return folded[folded != 0].tobytes().decode("utf-32-le", "surrogatepass").split("\x01")
    keep = _alnum_bmp()[np.minimum(code, 0xFFFF)]
    beyond = np.flatnonzero(code > 0xFFFF)  # rare (emoji, rare CJK): asked one by one
    keep[beyond] = [chr(c).isalnum() for c in code[beyond].tolist()]
    keep |= code == 1
    return code[keep].tobytes().decode("utf-32-le", "surrogatepass").lower().split("\x01")


_ODD = np.uint32(0xFFFFFFFF)


@functools.cache
def _folded_bmp() -> np.ndarray:
    """Per code point below U+10000: 0 where :func:`canonical` drops it, else its lower case, or ``_ODD`` where
    that is no single code point or depends on the letters around it (Σ); the separator ``\\x01`` is itself."""
    table = np.zeros(0x10000, dtype=np.uint32)
    for c in np.flatnonzero(_alnum_bmp()).tolist():
        lower = chr(c).lower()
        table[c] = ord(lower) if len(lower) == 1 and c != 0x3A3 else _ODD
    table[1], table[0xFFFF] = 1, _ODD
    return table


@functools.cache
def _alnum_bmp() -> np.ndarray:
    """``str.isalnum`` of every code point below U+10000, by code point."""
    return np.fromiter((chr(c).isalnum() for c in range(0x10000)), dtype=bool, count=0x10000)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads a rolling hash over all 64 bits (vectorised, wraps mod 2^64). Public because
    :mod:`.dedup` rolls its band keys with the same mix."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _bin_minima(texts: list[str], num_perm: int, k: int) -> np.ndarray:
    """Each text's minimum of every bin (``_EMPTY`` where no shingle fell), shape ``(len(texts), num_perm)``.

    A shingle's hash is a rolling polynomial over its k code points, spread by :func:`mix64`; its top bits pick
    the bin, its low 32 bits are the value. A text shorter than ``k`` characters has one shingle: itself
    (:func:`hash_text`). Windows that start in a text's last ``k - 1`` characters would run into the next text:
    they are skipped.

    Why in blocks of :data:`_BLOCK` code points: each of the hash's dozen steps over a whole partition's 3 million
    code points made a 25 MB temporary, read from and written to memory, with its page faults; a block's stay in
    the core's cache (0.62-0.90 -> 0.28-0.30 CPU-s for 200,000 texts, the same minima).
    """
    n = len(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    sig = np.full(n * num_perm, _EMPTY, dtype=np.uint32)
    bits, low = np.uint64(64 - int(num_perm).bit_length() + 1), np.uint64(0xFFFFFFFF)
    total = int(lengths.sum())
    with np.errstate(over="ignore"):
        if total:
            # k - 1 zeros after the last text: its windows that reach them are skipped anyway
            cps = np.frombuffer(("".join(texts) + "\0" * (k - 1)).encode("utf-32-le"), dtype=np.uint32)
            ends = np.cumsum(lengths)
            valid = np.ones(total, dtype=bool)
            for back in range(1, k):
                valid[(ends - back)[lengths >= back]] = False
            row = np.repeat(np.arange(0, n * num_perm, num_perm, dtype=np.int64), lengths)  # each code point's
            for s in range(0, total, _BLOCK):
                e = min(s + _BLOCK, total)
                window = cps[s: e + k - 1].astype(np.uint64)
                h = window[:e - s] + np.uint64(1)
                for j in range(1, k):
                    h *= _MULT
                    h += window[j: j + e - s]
                    h += np.uint64(1)
                keep = valid[s:e]
                h = mix64(h[keep])
                np.minimum.at(sig, row[s:e][keep] + (h >> bits).astype(np.int64), (h & low).astype(np.uint32))
        short = np.flatnonzero((lengths > 0) & (lengths < k))
        if len(short):  # a short text's one "shingle" is the text itself
            h = mix64(np.array([hash_text(texts[i]) for i in short], dtype=np.uint64))
            np.minimum.at(sig, short * num_perm + (h >> bits).astype(np.int64), (h & low).astype(np.uint32))
    return sig.reshape(n, num_perm)


def hash_text(text: str) -> int:
    """A stable 64-bit hash of a string (not Python's salted ``hash``)."""
    return xxhash.xxh3_64_intdigest(text.encode("utf-8"))


def signatures(texts: list[str], num_perm: int = 128, k: int = 4, *, canonicalise: bool = True) -> np.ndarray:
    """One-permutation MinHash signatures, shape ``(len(texts), num_perm)``, dtype uint16.

    Only the low 16 bits of each minimum are kept (*b-bit minwise hashing*, Li & König 2010): two
    different minima then agree by chance with probability 2⁻¹⁶, a bias far below the estimate's own
    noise, for half the memory — 256 bytes a record, 256 MB for a million.

    A text with no characters left after canonicalisation gets an all-``0xFFFF`` signature;
    :func:`is_blank` tells them apart so they are never grouped.
    """
    if num_perm & (num_perm - 1) or not 8 <= num_perm <= 4096:
        raise ValueError("num_perm must be a power of two between 8 and 4096")
    if canonicalise:
        texts = canonical_many(texts)
    full = _densify(_bin_minima(texts, num_perm, k))
    blank = (full == _EMPTY).all(axis=1)
    out = (full & np.uint32(0xFFFF)).astype(np.uint16)
    out[blank] = _BLANK
    return out


def _densify(sig: np.ndarray) -> np.ndarray:
    """Fill each empty bin from the next non-empty bin to its right (circularly), offset by distance; in place.

    Works column by column on the transposed rows that have empty bins: ``num_perm`` vector steps instead of
    per-row Python. The carry into the last bin is the row's wrap-around value (its first filled bin's, moved
    that bin's distance to the row's start), so one pass from right to left fills every bin (two passes did,
    the first only to find that value: 0.20 -> 0.15 CPU-s for 100,000 texts).
    """
    empty = sig == _EMPTY
    rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if len(rows) == 0:
        return sig
    cols = np.ascontiguousarray((sig if len(rows) == len(sig) else sig[rows]).T)  # (num_perm, rows)
    first = (cols != _EMPTY).argmax(axis=0)
    with np.errstate(over="ignore"):
        carry = cols[first, np.arange(len(rows))] + first.astype(np.uint32) * _ROTATION
        for j in range(cols.shape[0] - 1, -1, -1):
            col = cols[j]
            carry = np.where(col == _EMPTY, carry + _ROTATION, col)
            cols[j] = carry
    # A filled value that reached the empty marker keeps it from there on (the two passes' rule, kept so that
    # signatures stay as they were): such rows, about one in a hundred million, are filled step by step again.
    stuck = (cols == _EMPTY).any(axis=0)
    if stuck.any():
        cols[:, stuck] = _densified_slowly(np.ascontiguousarray(sig[rows[stuck]].T))
    sig[rows] = cols.T
    return sig


def _densified_slowly(cols: np.ndarray) -> np.ndarray:
    """:func:`_densify`'s fill of transposed rows in two passes from right to left, the first finding the
    wrap-around value, where a value that reaches the empty marker stays at it."""
    carry = np.full(cols.shape[1], _EMPTY, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for _ in range(2):
            for j in range(cols.shape[0] - 1, -1, -1):
                col = cols[j]
                empty = col == _EMPTY
                carry = np.where(empty, carry + np.where(carry == _EMPTY, np.uint32(0), _ROTATION), col)
                cols[j] = np.where(empty, carry, col)
    return cols


def is_blank(sig: np.ndarray) -> np.ndarray:
    """True for rows signed from an empty text."""
    return (sig == _BLANK).all(axis=1)


def similar(sig: np.ndarray, a: np.ndarray, b: np.ndarray, threshold: float, chunk: int = 16_384) -> np.ndarray:
    """Whether the row pairs ``(a[i], b[i])`` agree in at least ``threshold`` of their values (their estimated
    Jaccard similarity), reading the second half of two rows only when the first half leaves the answer open.

    Why: most candidate pairs of the duplicate stage are chance collisions in large buckets (at a million rows
    87 % of 8.4 million score below 0.8, most below 0.3), and gathering two 256-byte rows per pair is the cost;
    a pair whose first half agrees in too few places cannot reach ``threshold`` (3.4 -> 2.0 CPU-s there).
    """
    m = sig.shape[1]
    half = m // 2
    scores = np.arange(m + 1, dtype=np.uint16) / np.float32(m)  # the float32 scores the check always compared
    needed = int((scores < threshold).sum())  # values that must agree (m + 1: none can pass)
    # Each row's two halves as two items of one flat array (row r's at 2r and 2r + 1, no copy), gathered by
    # ``take``, which copies an item whole: ``sig[rows, :half]`` copied its 64 values one by one (2.0 -> 1.5 CPU-s
    # for 8.4 million pairs at a million rows).
    halves = np.ascontiguousarray(sig).view(np.dtype((np.void, half * sig.dtype.itemsize))).reshape(-1)

    def rows(at: np.ndarray, second: int) -> np.ndarray:
        return halves.take(2 * at + second).view(sig.dtype).reshape(len(at), half)

    out = np.empty(len(a), dtype=bool)
    for s in range(0, len(a), chunk):
        ac, bc = a[s: s + chunk], b[s: s + chunk]
        equal = (rows(ac, 0) == rows(bc, 0)).view(np.uint8).sum(axis=1, dtype=np.uint16)
        open_ = np.flatnonzero(equal + (m - half) >= needed)
        rest = rows(ac[open_], 1) == rows(bc[open_], 1)
        equal[open_] += rest.view(np.uint8).sum(axis=1, dtype=np.uint16)
        out[s: s + chunk] = equal >= needed
    return out
