"""``minsheng serve``: the web platform under gunicorn plus its background task worker, in one command.

Both run as supervised child processes: one that exits (the worker does when the database goes away) is
started again with back-off while the other keeps serving; Ctrl-C (or SIGTERM) stops both. Imports a crash
left half-done are queued again before each start of the worker, and finish without duplicates because rows
are keyed by number.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from minsheng.web.gunicorn import gunicorn_command

# serve's own lines (restarts, re-queued work) in the format and on the clock of the task worker's beside them.
# Its level is its own: Django's settings leave the root at WARNING (LOG_LEVEL) once set up.
log = logging.getLogger(__name__)
log.setLevel(logging.INFO)


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
                        help="queue the assistance escalation, consultation reminder and upload expiry jobs this often "
                             "(0: never; default 600)")
    parser.add_argument("--welcome", type=Path, metavar="FILE",
                        help="print FILE once the site answers (make run: the demo logins from seed_demo)")
    parser.set_defaults(func=run)


def _queue_escalation() -> None:
    """Overdue needs escalate, officers are reminded of deadlines and uploads never imported expire on a timer
    without cron: the worker runs the jobs, this loop only queues them."""
    from minsheng.assistance.tasks import escalate_overdue
    from minsheng.consultation.tasks import handling_remind_task, imports_expire_task

    for job in (escalate_overdue, handling_remind_task, imports_expire_task):
        try:
            job.enqueue()
        except Exception as exc:  # a database hiccup must not stop the server; the next tick tries again
            log.warning("could not queue the %s job: %s", job.name, exc)


@dataclass
class Child:
    """One supervised process: started again with back-off whenever it exits while serving goes on."""

    name: str
    command: list[str]
    before_start: Callable[[], None] | None = None
    process: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        if self.before_start is not None:
            self.before_start()
        self.process = subprocess.Popen(self.command)
        self.started, self.restart_at = time.monotonic(), None

    def check(self, now: float) -> None:
        """Schedule a restart when the process has exited; restart it when its back-off is over."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                log.info("restarting %s", self.name)
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        self.failures = 1 if now - self.started >= HEALTHY_AFTER else self.failures + 1
        delay = backoff_seconds(self.failures)
        log.warning("%s exited with code %s; restarting in %g s", self.name, code, delay)
        self.restart_at = now + delay

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# A child that crashes is started again after 1, 2, 4 ... 30 s; one that ran a minute starts the count afresh.
BACKOFF_FIRST, BACKOFF_MAX, HEALTHY_AFTER = 1.0, 30.0, 60.0


def backoff_seconds(failures: int) -> float:
    return min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** max(failures - 1, 0))


RESUME_EVERY = 2.0  # seconds between attempts to re-queue while the database is away


class Resumer:
    """Re-queues what a crashed worker left queued or running (jobs are idempotent, keyed by row number), before the
    worker starts, and again every few seconds until it has: the worker dies with the database, and is started
    again while the database may still be away.

    Why: one attempt at each start, on the connection the database had closed, left an import killed by a
    PostgreSQL restart "running" at 2,000 of 40,000 rows for as long as serve ran (found by h-fuzz2); the
    worker itself never takes up a task it was running when it died."""

    def __init__(self) -> None:
        self.pending, self.next_try = False, 0.0

    def __call__(self) -> None:
        from django.db import connections

        from minsheng.consultation.tasks import resume_stale

        connections.close_all()  # a connection the database closed stays closed: each attempt opens its own
        try:
            resumed = resume_stale()
        except Exception as exc:  # the database is still away: tried again from the loop
            if not self.pending:
                log.warning("could not re-queue unfinished work yet (tried again every %g s): %s", RESUME_EVERY, exc)
            self.pending, self.next_try = True, time.monotonic() + RESUME_EVERY
            return
        self.pending = False
        for what, ids in resumed.items():
            if ids:
                log.info("re-queued unfinished %s: %s", what, ids)

    def check(self, now: float) -> None:
        if self.pending and now >= self.next_try:
            self()



def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def port_taken(host: str, port: int) -> str:
    """Why ``host:port`` cannot be served ("" when it can): bound as gunicorn binds it, with SO_REUSEADDR, so a
    port left in TIME_WAIT by a server just stopped is free and only one still listening is not."""
    try:
        family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def served_site(host: str, port: int) -> None:
    """Unless ``MINSHENG_SITE_URL`` is set, it is the address served here, for this process and its children:
    the links the site writes (e-mails, text messages, the demo's logins) named the default
    http://127.0.0.1:8000 for a site served on another port."""
    if "MINSHENG_SITE_URL" not in os.environ and host not in ("", "0.0.0.0", "::"):
        os.environ["MINSHENG_SITE_URL"] = f"http://{host}:{port}"


def welcome_text(path: Path, site: str) -> str:
    """The demo's logins block with the site's address in it (written by ``seed_demo --logins-out``)."""
    from minsheng.demo.management.commands.seed_demo import SITE

    return path.read_text(encoding="utf-8").replace(SITE, site)


def unapplied_migrations() -> int:
    """How many migrations the database still lacks; 0 when it cannot be reached (the worker and the web
    process then retry on their own, as they do when it goes away later)."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0
    finally:
        connections.close_all()


def run(args: argparse.Namespace) -> int:
    served_site(args.host, args.port)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    from minsheng.web.keys import keys_check

    try:
        keys_check()
    except ImproperlyConfigured as exc:
        print(f"minsheng serve: {exc}", file=sys.stderr)
        return 1

    if taken := port_taken(args.host, args.port):
        # gunicorn would fail to bind, be restarted with back-off for ever, and the site answering there (another
        # serve's) be taken for this one: the demo's logins printed for a site that is not this one's.
        print(f"minsheng serve: cannot serve on {args.host}:{args.port} ({taken}): stop what serves there "
              "or choose another --port", file=sys.stderr)
        return 1
    if args.migrate:
        call_command("migrate", interactive=False, verbosity=1)
    elif pending := unapplied_migrations():
        # A site served on a database without its tables answers every page with an error: refuse instead.
        print(f"minsheng serve: the database lacks {pending} migration(s); run `minsheng manage migrate` "
              "first (or serve with --migrate)", file=sys.stderr)
        return 1
    children = []
    resume = Resumer()
    if not args.no_worker:
        children.append(Child("task worker", [sys.executable, "-m", "minsheng.web.manage", "db_worker",
                                              "--queue-name", "default"], before_start=resume))
    children.append(Child("web", gunicorn_command(args.host, args.port, args.workers, args.threads)))
    for child in children:
        child.start()
    log.info("serving on http://%s:%s/  (Ctrl-C to stop)", args.host, args.port)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    next_escalation = time.monotonic()
    welcome = args.welcome if args.welcome and args.welcome.exists() else None
    try:
        while not stopping:
            if welcome is not None and answers(args.host, args.port):
                # Last on the screen before the access log: the address, the logins, where to click first.
                print(welcome_text(welcome, settings.MINSHENG_SITE_URL), flush=True)
                welcome = None
            now = time.monotonic()
            for child in children:
                child.check(now)
            resume.check(now)
            if args.escalate_every and not args.no_worker and now >= next_escalation:
                _queue_escalation()
                next_escalation = time.monotonic() + args.escalate_every
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.stop()
        for child in children:
            child.wait()
    return 0
