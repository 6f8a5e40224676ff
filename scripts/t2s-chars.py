"""Write src/minsheng/engine/t2s_chars.txt: the code points of which OpenCC's t2s may change a text.

A character that t2s changes alone, and each character that a phrase of its dictionaries changes (all of a
phrase's characters when the phrase changes length). A text holding none of them is its own conversion: every
match in it maps to itself. Run after upgrading OpenCC:

    /work/main/.venv/bin/python scripts/t2s-chars.py > src/minsheng/engine/t2s_chars.txt
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc

root = Path(opencc.__file__).parent / "clib"
config_dicts = ["TSPhrases", "TSCharacters", "TSCharactersExt", "CJK_Compatibility_Ideographs"]  # of t2s.json
convert = opencc.OpenCC("t2s").convert
chars = {chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and convert(chr(c)) != chr(c)}
with tempfile.TemporaryDirectory() as tmp:
    for name in config_dicts:
        out = Path(tmp) / f"{name}.txt"
        subprocess.run([root / "bin" / "opencc_dict", "-i", root / "share" / "opencc" / f"{name}.ocd2", "-o", out,
                        "-f", "ocd2", "-t", "text"], check=True)
        for line in out.read_text(encoding="utf-8").splitlines():
            key, value = line.split("\t")[:2]
            value = value.split(" ")[0]
            if value != key:
                # a phrase of another length: all its characters; else the ones it changes
                changed = zip(key, value, strict=True) if len(key) == len(value) else ()
                chars |= {a for a, b in changed if a != b} if changed else set(key)
sys.stdout.write("".join(sorted(chars)) + "\n")
