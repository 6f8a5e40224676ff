"""Write src/minsheng/engine/nfkc_bmp.txt: what NFKC does to each code point of the BMP, whatever is around it.

Each line is a run of code points ``first last shift`` (hexadecimal; ``shift`` decimal): NFKC turns each code
point of the run into the code point ``shift`` after it (0: keeps it), in any text whose code points are all
in such runs. A code point is in no run where only NFKC itself can say: it has a canonical decomposition,
a combining class, follows another in a composition, is unassigned, or folds into more than one code point or
into one that is not kept itself. Python's ``unicodedata`` and Arrow's utf8proc (which
:func:`minsheng.engine.normalise.normalise_joined` calls) must agree on it. Run after upgrading Python or
pyarrow:

    /work/main/.venv/bin/python scripts/nfkc-bmp.py > src/minsheng/engine/nfkc_bmp.txt
"""
import sys
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SEP = "\x01"  # a starter that composes with nothing: the normal form of characters joined by it, split again


def per_char(form: str, chars: list[str]) -> list[str]:
    return unicodedata.normalize(form, SEP.join(chars)).split(SEP)


def arrow(form: str, chars: list[str]) -> list[str]:
    return pc.utf8_normalize(pa.array(chars, pa.large_string()), form).to_pylist()


everything = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and c != 1]
second = set()  # what composes with the character before it
for decomposed in (per_char("NFD", everything), arrow("NFD", everything)):
    for d in decomposed:
        second.update(d[1:])
bmp = [chr(c) if not 0xD800 <= c < 0xE000 and c != 1 else "\x00" for c in range(0x10000)]
nfkc, nfkc_arrow, nfd, nfd_arrow, nfkd = (per_char("NFKC", bmp), arrow("NFKC", bmp), per_char("NFD", bmp),
                                          arrow("NFD", bmp), per_char("NFKD", bmp))


def plain(c: str) -> bool:
    return c not in second and unicodedata.combining(c) == 0 and unicodedata.category(c) != "Cn"


kept = np.array([plain(c) and nfkc[i] == nfkc_arrow[i] == nfd[i] == nfd_arrow[i] == c and not 0xD800 <= i < 0xE000
                 for i, c in enumerate(bmp)])
kept[1] = True  # the separator of a batch
target = np.where(kept, np.arange(0x10000), -1)
for i, c in enumerate(bmp):
    t = nfkc[i]
    if not kept[i] and i != 0 and plain(c) and len(t) == 1 and t == nfkc_arrow[i] == nfkd[i] and ord(t) < 0x10000 \
            and kept[ord(t)]:
        target[i] = ord(t)
shift = np.where(target >= 0, target - np.arange(0x10000), 1 << 40)
starts = np.flatnonzero(np.r_[True, shift[1:] != shift[:-1]])
ends = np.r_[starts[1:], 0x10000] - 1
for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
    if target[first] >= 0:
        sys.stdout.write(f"{first:x} {last:x} {int(shift[first])}\n")
