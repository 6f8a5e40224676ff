"""Progress bars on stderr for long CLI work; silent when asked or when not on a terminal-like run."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm

_quiet = False  # set by the commands' --quiet through set_quiet; the engine reads no environment


def set_quiet(quiet: bool) -> None:
    """Turn all progress bars off (``--quiet``) or back on."""
    global _quiet
    _quiet = quiet


class _Silent:
    """A bar that shows nothing and counts (``n``, ``update``, ``close``, as tqdm's): what :func:`progress` gives
    when no bar would be shown."""

    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def close(self) -> None:
        pass


@contextlib.contextmanager
def progress(desc: str, total: int | None = None, unit: str = "rows") -> Iterator[tqdm | _Silent]:
    """A tqdm bar on stderr named ``desc``; one that shows nothing under ``--quiet`` or when stderr is no terminal
    (a log file, CI: carriage returns garble those), and then tqdm is not imported: a run's three bars cost
    0.024-0.028 CPU-s of its serial start that way (importing tqdm 0.022-0.025 of it), and now under 0.0001 (fresh
    processes after the engine's imports, 8 of each, load 9; the bench's ``--quiet`` included)."""
    if _quiet or not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        yield _Silent()
        return
    from tqdm import tqdm  # here, not at import: the CLI starts without it
    from tqdm.contrib.logging import logging_redirect_tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=True, leave=False, dynamic_ncols=True, mininterval=0.5)
    try:
        with logging_redirect_tqdm():  # log lines print above the bar instead of through it
            yield bar
    finally:
        bar.close()
