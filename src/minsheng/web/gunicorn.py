"""The gunicorn command line that serves the platform (``minsheng serve`` and the intake benchmark run it)."""

from __future__ import annotations

import sys


def gunicorn_command(host: str, port: int, workers: int, threads: int, *, access_log: bool = True) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "minsheng.web.wsgi:application", "--bind", f"{host}:{port}",
               "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
               "--keep-alive", "30", "--graceful-timeout", "10"]
    if access_log:
        # The path without its query string: a query may carry personal data (a name, an ID number, a phone).
        command += ["--access-logfile", "-", "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(M)sms']
    return command
