"""The `minsheng` command line.

Each subcommand lives in its own module under :mod:`minsheng.commands` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to the function that runs it.
Modules are discovered, so adding a command never means editing this file.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import logging
import os
import pkgutil
import sys
import time

from minsheng import DEFAULT_TIME_ZONE, __version__, commands
from minsheng.engine.errors import InputError
from minsheng.engine.executor import WorkerDied, start_up_done
from minsheng.logs import ZonedFormatter


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minsheng", description="Minsheng (民声) analysis engine and platform.")
    parser.add_argument("--version", action="version", version=f"minsheng {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the program's arguments) and return its exit status.

    Run as the program (``argv`` None: the ``minsheng`` script or ``python -m minsheng.cli``), a command that
    sets ``hard_exit`` ends the process as soon as its output is flushed (:func:`_hard_exit`), and one that sets
    ``collect_after_start`` runs its start-up without the cyclic garbage collector, until it calls
    :func:`~minsheng.engine.executor.start_up_done` (``minsheng analyze``: at its first stage); every other
    command has it from the parsing of its arguments on.
    """
    if argv is None:
        gc.disable()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "collect_after_start", False):
        start_up_done()
    # One clock: Django sets TZ to TIME_ZONE in its processes; the engine's log lines and reports (and the
    # gunicorn and worker processes `serve` starts) follow the same zone instead of the machine's UTC.
    os.environ["TZ"] = os.environ.get("TIME_ZONE") or DEFAULT_TIME_ZONE
    time.tzset()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ZonedFormatter())
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, handlers=[handler])
    try:
        code = int(args.func(args) or 0)
    except InputError as exc:
        # Bad input is the user's to fix: one clear line naming file, row and field, no traceback.
        print(f"minsheng: error: {exc}", file=sys.stderr)
        return 2
    except WorkerDied as exc:  # killed twice on one partition: the machine's limits, not a bug to trace
        print(f"minsheng: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("minsheng: interrupted", file=sys.stderr)
        return 130
    if argv is None and getattr(args, "hard_exit", False):
        _hard_exit(code)
    return code


def _hard_exit(code: int) -> None:
    """End the process now, without the interpreter's teardown.

    Why: after ``minsheng analyze`` has written its last file, Python's teardown (freeing every object of the
    engine, scikit-learn, matplotlib and pandas, module by module) took 0.35-0.45 s of a 5,000-row run's 5 s.
    Nothing is left to do at that point: files are closed, worker pools and the report helper are shut down,
    temporary directories removed. The ``atexit`` handlers still run (multiprocessing's, which stops a
    forkserver and unlinks its semaphores, and logging's flush): about a millisecond. In-process callers
    (tests, the platform) pass ``argv`` and get the status back instead.
    """
    atexit._run_exitfuncs()  # what the interpreter's own exit calls first; the teardown after it is skipped
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
