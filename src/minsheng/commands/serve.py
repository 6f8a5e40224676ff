"""``minsheng serve``: the web platform under gunicorn plus its background task worker, in one command.

Both run as child processes; Ctrl-C (or SIGTERM) stops both. Imports a crash left half-done are queued
again before the worker starts, and finish without duplicates because rows are keyed by number.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the web platform (gunicorn) with its task worker",
                                   description="Serve the platform on HOST:PORT with gunicorn and run the "
                                               "database task worker (imports, analysis runs) beside it.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
    parser.add_argument("--migrate", action="store_true", help="apply migrations first")
    parser.add_argument("--escalate-every", type=int, default=600, metavar="SECONDS",
                        help="queue the assistance escalation job this often (0: never; default 600)")
    parser.set_defaults(func=run)


def gunicorn_command(host: str, port: int, workers: int, threads: int, *, access_log: bool = True) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "minsheng.web.wsgi:application", "--bind", f"{host}:{port}",
               "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
               "--keep-alive", "30", "--graceful-timeout", "10"]
    if access_log:
        command += ["--access-logfile", "-", "--access-logformat", '%(h)s "%(r)s" %(s)s %(M)sms']
    return command


def _queue_escalation() -> None:
    """Overdue needs escalate on a timer without cron: the worker runs the job, this loop only queues it."""
    from minsheng.assistance.tasks import escalate_overdue

    try:
        escalate_overdue.enqueue()
    except Exception as exc:  # a database hiccup must not stop the server; the next tick tries again
        print(f"could not queue the escalation job: {exc}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if args.migrate:
        call_command("migrate", interactive=False, verbosity=1)
    children = []
    if not args.no_worker:
        from minsheng.consultation.imports import imports_resume_stale

        resumed = imports_resume_stale()
        if resumed:
            print(f"re-queued unfinished imports: {resumed}", file=sys.stderr)
        from minsheng.consultation.analysis import analysis_runs_resume_stale

        runs = analysis_runs_resume_stale()
        if runs:
            print(f"re-queued unfinished analysis runs: {runs}", file=sys.stderr)
        children.append(subprocess.Popen([sys.executable, "-m", "minsheng.web.manage", "db_worker",
                                          "--queue-name", "default"]))
    children.append(subprocess.Popen(gunicorn_command(args.host, args.port, args.workers, args.threads)))
    print(f"serving on http://{args.host}:{args.port}/  (Ctrl-C to stop)", file=sys.stderr)

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    next_escalation = time.monotonic()
    try:
        while all(child.poll() is None for child in children):
            if args.escalate_every and not args.no_worker and time.monotonic() >= next_escalation:
                _queue_escalation()
                next_escalation = time.monotonic() + args.escalate_every
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0
