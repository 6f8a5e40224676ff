"""One log line format for every process of the platform: the CLI, ``serve``'s task worker and ``manage``.

Below every layer (no Django, no engine): the CLI installs it before any command runs and the Django settings
name it in ``LOGGING``, so the worker that ``serve`` starts writes its lines on the same clock as the command.
"""

from __future__ import annotations

import logging
import time

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ZonedFormatter(logging.Formatter):
    """Each line's time with its UTC offset (``2026-12-06 00:22:12,861+0800``): the log is on the platform's
    clock while ``date``, the machine's other logs and an operator's terminal may say UTC; a bare time eight
    hours ahead of them read as a clock gone wrong, or as the wrong night's run."""

    def __init__(self, fmt: str | None = FORMAT, *args, **kwargs) -> None:
        super().__init__(fmt, *args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return super().formatTime(record, datefmt) + time.strftime("%z", self.converter(record.created))
