"""The command line's start-up without the cyclic garbage collector (``start_up_done``, ``collect_after_start``)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

from minsheng.engine.executor import start_up_done


def test_start_up_done_freezes_what_exists_and_turns_the_collector_on():
    gc.disable()
    try:
        start_up_done()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
    start_up_done()  # the collector on already (a test, the platform): nothing frozen
    assert gc.isenabled() and gc.get_freeze_count() == 0


def _program(code: str, tmp_path) -> dict:
    """Run ``code`` (which calls ``cli.main()`` as the program does) in a fresh interpreter; what it wrote."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=300,
                   cwd=tmp_path)
    return json.loads((tmp_path / "seen.json").read_text())


def test_analyze_starts_up_without_the_collector_and_collects_from_its_first_stage(tmp_path):
    (tmp_path / "in.csv").write_text("id,text\n" + "".join(f"{i},建议在第{i}小区增设公交站点\n" for i in range(30)),
                                     encoding="utf-8")
    seen = _program("""
import atexit, gc, json, sys
from minsheng import cli
from minsheng.commands import analyze
seen = {"before": [], "after": []}
done = analyze.start_up_done
def probe():
    seen["before"].append(gc.isenabled())
    done()
    seen["after"].append(gc.isenabled())
analyze.start_up_done = probe
# analyze ends the process with os._exit after its atexit handlers (cli._hard_exit)
atexit.register(lambda: open("seen.json", "w").write(json.dumps({**seen, "frozen": gc.get_freeze_count() > 0})))
sys.argv = ["minsheng", "analyze", "in.csv", "--out", "out", "--quiet", "--no-report", "--no-themes", "--no-digest"]
cli.main()
""", tmp_path)
    # off through the imports, turned on once, at the first stage, what the start-up made frozen
    assert seen == {"before": [False], "after": [True], "frozen": True}
    assert (tmp_path / "out" / "summary.json").exists()


def test_any_other_command_has_the_collector_from_its_arguments_on(tmp_path):
    seen = _program("""
import gc, json
from minsheng import cli
import sys
sys.argv = ["minsheng", "report", "no-such-folder"]
code = cli.main()
open("seen.json", "w").write(json.dumps({"code": code, "enabled": gc.isenabled()}))
""", tmp_path)
    assert seen == {"code": 2, "enabled": True}
