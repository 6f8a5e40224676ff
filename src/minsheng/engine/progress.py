"""Progress bars on stderr for long CLI work; silent when asked or when not on a terminal-like run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm

_quiet = False  # set by the commands' --quiet through set_quiet; the engine reads no environment


def set_quiet(quiet: bool) -> None:
    """Turn all progress bars off (``--quiet``) or back on."""
    global _quiet
    _quiet = quiet


@contextlib.contextmanager
def progress(desc: str, total: int | None = None, unit: str = "rows") -> Iterator[tqdm]:
    """A tqdm bar on stderr named ``desc``; a disabled bar under ``--quiet``."""
    from tqdm import tqdm  # here, not at import: the CLI starts without it
    from tqdm.contrib.logging import logging_redirect_tqdm

    # disable=None: no bar when stderr is not a terminal (a log file, CI) — carriage returns garble those.
    bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=True, disable=True if _quiet else None, leave=False,
               dynamic_ncols=True, mininterval=0.5)
    try:
        with logging_redirect_tqdm():  # log lines print above the bar instead of through it
            yield bar
    finally:
        bar.close()
