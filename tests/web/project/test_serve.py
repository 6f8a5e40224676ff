"""`minsheng serve` for real: gunicorn answers, the task worker finishes a queued import, the escalation and expiry
jobs that serve queues on its timer, and a web process killed outright is started again.

The other tests run tasks immediately in-process; this one goes through the database queue and the
``db_worker`` process that `make run` starts, on a throw-away SQLite file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

pytestmark = pytest.mark.slow

SETUP = """
import django, json, sys
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from minsheng.accounts.services import role_grant, user_create
from minsheng.consultation.intake.imports import import_create, import_start
from minsheng.consultation.intake.services import campaign_create
owner = user_create(username="o", password="x" * 12)
role_grant(user=owner, role="campaign_owner")
campaign = campaign_create(owner=owner, slug="live", title="t", question="q", status="open")
csv = "id,text\\n1,建议一\\n2,\\n3,建议三\\n".encode()
job = import_create(campaign=campaign, user=owner, upload=SimpleUploadedFile("a.csv", csv))
import_start(actor=owner, job=job, mapping={"id": "id", "text": ["text"]})
# previewed eight days ago and never started: its file goes on the worker's timer
from datetime import timedelta
from django.utils import timezone
from minsheng.consultation.intake.models import ImportJob
stale = import_create(campaign=campaign, user=owner, upload=SimpleUploadedFile("b.csv", csv))
ImportJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))
print(job.pk)
"""
STATUS = """
import django, json, sys
django.setup()
from minsheng.consultation.intake.models import ImportJob
from django_tasks_db.models import DBTaskResult
job = ImportJob.objects.get(pk=int(sys.argv[1]))
escalations = DBTaskResult.objects.filter(task_path="minsheng.assistance.tasks.escalate_overdue",
                                          status="SUCCESSFUL").count()
stale = ImportJob.objects.exclude(pk=job.pk).get()
print(json.dumps([job.status, job.created_count, job.error_count, escalations, stale.status, bool(stale.file)]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_and_its_worker_runs_a_queued_import(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASKS_BACKEND")}
    env.update(MINSHENG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="minsheng.web.settings",
               ASSISTANCE_ID_KEY="serve-test-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    cli = [sys.executable, "-m", "minsheng.cli"]
    subprocess.run([*cli, "manage", "migrate", "-v", "0"], env=env, check=True)
    job_id = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True,
                            text=True).stdout.strip()
    port = _free_port()
    log, out, welcome = tmp_path / "serve.log", tmp_path / "serve.out", tmp_path / "logins.txt"
    welcome.write_text("=== owner pw-1234 → 梳理分析 ===\n", encoding="utf-8")
    env.pop("TZ", None)
    server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "1", "--welcome", str(welcome)],
                              env=env, start_new_session=True, stdout=out.open("w"), stderr=log.open("w"))
    try:
        status = None
        deadline = time.time() + 90
        while time.time() < deadline:
            status = json.loads(subprocess.run([sys.executable, "-c", STATUS, job_id], env=env, check=True,
                                               capture_output=True, text=True).stdout)
            if status[0] == "done" and status[3] >= 1 and status[4] == "expired":
                break
            time.sleep(1)
        assert status[:3] == ["done", 2, 1]
        assert status[3] >= 1  # serve queues the escalation job on its own timer, the worker runs it
        assert status[4:] == ["expired", False]  # and the expiry of uploads never imported (ASVS 8.3.8)
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/c/live/", timeout=10) as response:
            assert response.status == 200 and "提交建议" in response.read().decode()
        # The demo logins are printed once the site answers, and every log line keeps one clock (+0800).
        while time.time() < deadline and "梳理分析" not in out.read_text(encoding="utf-8"):
            time.sleep(0.2)
        assert out.read_text(encoding="utf-8").count("=== owner pw-1234 → 梳理分析 ===") == 1
        stamps = re.findall(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ([+-]\d{4})\]", log.read_text())
        assert stamps and set(stamps) == {"+0800"}, log.read_text()
        # The task worker's lines and serve's own too, in the CLI's format (they came bare, with no time at all).
        ours = [line for line in log.read_text().splitlines() if "worker_id=" in line or "serving on" in line]
        assert any("serving on" in line for line in ours) and any("worker_id=" in line for line in ours)
        assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\+0800 INFO (django_tasks_db|minsheng\.commands"
                            r"\.serve): ", line) for line in ours), log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/c/live/?q=430405194503120021", timeout=10):
            pass
        time.sleep(0.5)  # the access log (stdout) carries the path, never the query string
        assert "GET /c/live/" in out.read_text(encoding="utf-8") and "430405" not in out.read_text(encoding="utf-8")
        # A web process that dies is started again: kill gunicorn's master, the site answers again.
        web = [p for p in psutil.Process(server.pid).children() if "gunicorn" in " ".join(p.cmdline())]
        assert len(web) == 1
        web[0].kill()
        web[0].wait(10)
        deadline = time.time() + 30
        while time.time() < deadline and "restarting web" not in log.read_text():
            time.sleep(0.2)
        status = None
        while time.time() < deadline and status != 200:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/c/live/", timeout=5) as response:
                    status = response.status
            except OSError:  # the killed master's worker may answer or reset until it notices and exits
                time.sleep(0.3)
        assert status == 200 and "restarting web" in log.read_text()
        assert server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            assert server.wait(timeout=30) == 0
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)


def test_serve_refuses_a_database_without_its_tables(tmp_path):
    """Before `minsheng manage migrate`, serve used to log an error and go on serving a site where every page
    failed: it says what to run instead, in one line, and serves nothing."""
    key = "serve-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASKS_BACKEND")}
    env.update(MINSHENG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="minsheng.web.settings",
               ASSISTANCE_ID_KEY=key, CONTACT_KEY=key, MINSHENG_PSEUDONYM_KEY=key)
    port = _free_port()
    result = subprocess.run([sys.executable, "-m", "minsheng.cli", "serve", "--port", str(port)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "minsheng manage migrate" in result.stderr and "Traceback" not in result.stderr
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_serve_refuses_a_port_something_already_listens_on(tmp_path):
    """A second `make run` beside a first: gunicorn failed to bind and was started again every few seconds for
    ever, while the welcome (the demo's logins) was printed for the first server, which answered there."""
    key = "serve-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASKS_BACKEND")}
    env.update(MINSHENG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="minsheng.web.settings",
               ASSISTANCE_ID_KEY=key, CONTACT_KEY=key, MINSHENG_PSEUDONYM_KEY=key)
    welcome = tmp_path / "logins.txt"
    welcome.write_text("=== the demo's logins ===\n", encoding="utf-8")
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "minsheng.cli", "serve", "--port", str(port), "--welcome",
                                 str(welcome)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "demo's logins" not in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert f"cannot serve on 127.0.0.1:{port} (Address already in use)" in line and "--port" in line
