"""Find installed CJK fonts through fontconfig, the way the desktop and the browser find them.

matplotlib keeps its own font cache, built once; fonts installed later (``scripts/system-deps.sh`` on a
fresh machine) are invisible to it until the cache is rebuilt. Asking fontconfig (``fc-list``) sees them
at once, and also tells the outline format, which matters because reportlab embeds TrueType only.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from typing import NamedTuple

log = logging.getLogger(__name__)

#: Preference order: Simplified Chinese sans first.
PREFERRED = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN", "Noto Serif CJK SC"]


class CjkFont(NamedTuple):
    family: str
    path: str
    index: int
    truetype: bool  # TrueType outlines (embeddable by reportlab), not CFF


@functools.cache
def cjk_fonts() -> tuple[CjkFont, ...]:
    """Installed regular-weight fonts covering Chinese, preferred ones first."""
    if not shutil.which("fc-list"):
        log.warning("fc-list not found: cannot look for CJK fonts (install fontconfig)")
        return ()
    out = subprocess.run(["fc-list", ":lang=zh", "--format", "%{family[0]}|%{file}|%{index}|%{fontformat}|%{style[0]}\n"],
                         capture_output=True, text=True, check=False).stdout
    fonts = []
    for line in out.splitlines():
        family, path, index, fmt, style = (line.split("|") + [""] * 5)[:5]
        if style.lower() in ("regular", "book", "medium", "") and path:
            fonts.append(CjkFont(family, path, int(index or 0), fmt == "TrueType"))
    rank = {f: i for i, f in enumerate(PREFERRED)}
    return tuple(sorted(set(fonts), key=lambda f: (rank.get(f.family, len(rank)), f.family, f.path)))
