"""Write ``engine/common_bigrams_zh.txt``: the character bigrams found in at least 1 % of the distinct messages.

What any petition says (小区, 反映, 希望) rather than what it is about; ``engine/replies.asks_answered`` leaves
them out of an ask's object. Written once from teddy2020 (6,600 distinct messages, 2,802 bigrams) and
shipped, so a reply scores the same whatever else is scored with it.

    PYTHONPATH=src .venv/bin/python scripts/common_bigrams.py $D/messages_hot.csv $D/messages_replied.csv \\
        $D/messages_labeled_text.csv
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from minsheng.engine.replies import _bigrams
from minsheng.engine.routing import read_texts

OUT = Path(__file__).resolve().parents[1] / "src" / "minsheng" / "engine" / "common_bigrams_zh.txt"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("inputs", nargs="+", help="message files (id, title, body …)")
    p.add_argument("--share", type=float, default=0.01, help="least share of the messages (default 0.01)")
    args = p.parse_args()
    texts = read_texts(args.inputs)["text"].fillna("").astype(str).drop_duplicates()
    counts = Counter(b for t in texts for b in _bigrams(t))
    common = sorted(b for b, n in counts.items() if n >= args.share * len(texts))
    OUT.write_text("\n".join(common) + "\n", encoding="utf-8")
    print(f"{len(common)} bigrams in at least {args.share:.0%} of {len(texts)} messages -> {OUT}")


if __name__ == "__main__":
    main()
