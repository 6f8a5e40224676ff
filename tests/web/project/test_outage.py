"""A database outage during a partner's batch load: the site says "try again later", then comes back.

A real PostgreSQL of the test's own is stopped while a client posts batches (retrying what was not
acknowledged, as the API asks partners to), then started again. The task worker dies with the database and
`minsheng serve` starts it again; the web answers 503 in Chinese (and the API its JSON error) meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from tests.web.project.pgthrowaway import ThrowawayPostgres, free_port

pytestmark = pytest.mark.slow

SETUP = """
import django
django.setup()
from minsheng.accounts.services import role_grant, user_create
from minsheng.consultation.intake.services import campaign_create, channel_create
owner = user_create(username="o", password="x" * 12)
role_grant(user=owner, role="campaign_owner")
campaign = campaign_create(owner=owner, slug="live", title="t", question="q", status="open")
print(channel_create(actor=owner, campaign=campaign, code="p", name="p")[1])
"""
BATCHES, BATCH_SIZE = 40, 25


def _get(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


class BatchClient(threading.Thread):
    """Posts batches in order; a batch is sent again until it is acknowledged (2xx), like a partner's retry."""

    def __init__(self, base: str, key: str) -> None:
        super().__init__(daemon=True)
        self.base, self.key = base, key
        self.acknowledged: set[str] = set()
        self.batches_done = 0
        self.failures: list[str] = []

    def run(self) -> None:
        for b in range(BATCHES):
            items = [{"external_id": f"b{b}-{i}", "text": f"第{b}批第{i}条：建议增加公交线路"} for i in range(BATCH_SIZE)]
            body = json.dumps({"items": items}).encode()
            deadline = time.time() + 120
            while time.time() < deadline:
                request = urllib.request.Request(f"{self.base}/api/v1/campaigns/live/suggestions", data=body,
                                                 headers={"Authorization": f"Bearer {self.key}",
                                                          "Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        answer = json.loads(response.read())
                except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                    self.failures.append(str(getattr(exc, "code", exc)))
                    time.sleep(0.2)
                    continue
                self.acknowledged.update(r["external_id"] for r in answer["results"] if r.get("receipt"))
                break
            self.batches_done += 1
            time.sleep(0.05)


@contextlib.contextmanager
def _served(tmp_path, setup: str):
    """A throwaway PostgreSQL, migrated, `minsheng serve` on it until the site answers, then ``setup`` run against
    it: (the database, the site's address, what ``setup`` printed)."""
    pg = ThrowawayPostgres()
    server = None
    try:
        pg.start()
        env = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
        env.update(MINSHENG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="minsheng.web.settings",
                   ASSISTANCE_ID_KEY="serve-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
                   DATABASE_URL=pg.url)
        cli = [sys.executable, "-m", "minsheng.cli"]
        subprocess.run([*cli, "manage", "migrate", "-v", "0"], env=env, check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (tmp_path / "serve.log").open("w")
        server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "1"], env=env,
                                  start_new_session=True, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if _get(f"{base}/readyz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        # after the site is up, as a person uses it (serve re-queues what is queued when it starts: work queued
        # before it would be queued twice)
        printed = subprocess.run([sys.executable, "-c", setup], env=env, check=True, capture_output=True,
                                 text=True).stdout.strip()
        yield pg, base, printed
        assert server.poll() is None
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        pg.remove()


def _query(pg: ThrowawayPostgres, sql: str) -> list[tuple]:
    with psycopg.connect(pg.url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def test_a_database_outage_during_a_batch_load_loses_and_duplicates_nothing(tmp_path):
    with _served(tmp_path, SETUP) as (pg, base, key):
        client = BatchClient(base, key)
        client.start()
        while client.batches_done < 5:
            time.sleep(0.05)

        pg.stop()
        outage_started = time.time()
        status, page, headers = _get(f"{base}/c/live/")
        assert status == 503 and "服务暂时不可用，请稍后再试" in page and headers["Retry-After"]
        status, body, headers = _get(f"{base}/api/v1/campaigns/live/suggestions?external_id=b0-0",
                                     {"Authorization": f"Bearer {key}"})
        assert status == 503 and headers["Content-Type"] == "application/json"
        assert json.loads(body)["error"]["code"] == "service_unavailable"
        assert _get(f"{base}/healthz")[0] == 200 and _get(f"{base}/readyz")[0] == 503
        assert _get(f"{base}/healthz", {"Cookie": "sessionid=a-session-the-database-holds"})[0] == 200
        while time.time() - outage_started < 15 and "task worker exited" not in (tmp_path / "serve.log").read_text():
            time.sleep(0.2)
        assert "task worker exited" in (tmp_path / "serve.log").read_text()

        pg.start()
        back = time.time()
        while time.time() - back < 30:
            if _get(f"{base}/readyz")[0] == 200 and _get(f"{base}/c/live/")[0] == 200:
                break
            time.sleep(0.2)
        recovered = time.time() - back
        print(f"site answered again {recovered:.1f} s after the database returned; client retries: "
              f"{len(client.failures)}")
        assert recovered <= 10, f"the site answered again {recovered:.1f} s after the database returned"

        client.join(timeout=180)
        assert not client.is_alive() and client.batches_done == BATCHES
        assert client.failures, "the outage never reached the client: the test proved nothing"
        stored = [row[0] for row in _query(pg, "SELECT external_id FROM consultation_suggestion")]
        assert len(stored) == len(set(stored)), "a retried batch was stored twice"
        assert client.acknowledged <= set(stored), "an acknowledged suggestion was lost"
        assert len(stored) == BATCHES * BATCH_SIZE
        deadline = time.time() + 30  # the worker is back: serve logs its restart
        while time.time() < deadline and "restarting task worker" not in (tmp_path / "serve.log").read_text():
            time.sleep(0.5)
        assert "restarting task worker" in (tmp_path / "serve.log").read_text()


IMPORT_ROWS = 40_000
IMPORT_SETUP = """
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from minsheng.accounts.services import role_grant, user_create
from minsheng.consultation.intake.imports import import_create, import_preview, import_start
from minsheng.consultation.intake.services import campaign_create
owner = user_create(username="o", password="x" * 12)
role_grant(user=owner, role="campaign_owner")
campaign = campaign_create(owner=owner, slug="live", title="t", question="q", status="open")
rows = "".join(f"r{i},第{i}条：建议增加{i % 97}路公交的班次,2020-08-{i % 28 + 1:02d} 10:00\\n" for i in range(ROWS))
upload = SimpleUploadedFile("八月建议.csv", ("id,text,time\\n" + rows).encode())
job = import_create(campaign=campaign, user=owner, upload=upload)
with transaction.atomic():
    import_start(actor=owner, job=job, mapping=import_preview(job=job).mapping)
print(job.pk)
""".replace("ROWS", str(IMPORT_ROWS))


def test_a_database_restart_during_a_file_import_ends_it_done_with_every_row_once(tmp_path):
    """PostgreSQL restarted while the worker imports a file (h-fuzz2): the worker dies with the database and serve
    starts it again, but re-queued the import once, at that start, while the database was still away, on a
    connection it had closed: the import stood "running" at 2,000 of 40,000 rows for as long as serve ran. It
    is re-queued once the database answers, and ends done with every row stored once."""
    with _served(tmp_path, IMPORT_SETUP) as (pg, _base, job):
        deadline = time.time() + 120
        while time.time() < deadline and not _query(pg, f"SELECT processed_rows FROM consultation_importjob "
                                                        f"WHERE id={job} AND processed_rows > 0"):
            time.sleep(0.1)
        pg.stop()
        time.sleep(8)  # the worker dies with the database and serve starts it again while it is away
        pg.start()
        deadline = time.time() + 240
        while time.time() < deadline and not _query(pg, f"SELECT 1 FROM consultation_importjob WHERE id={job} "
                                                        "AND status IN ('done', 'failed')"):
            time.sleep(0.5)
        [(status, created, message)] = _query(pg, "SELECT status, created_count, message FROM "
                                                  f"consultation_importjob WHERE id={job}")
        assert (status, created, message) == ("done", IMPORT_ROWS, "")
        [(stored, rows)] = _query(pg, "SELECT count(*), count(DISTINCT source_row) FROM consultation_suggestion")
        assert stored == rows == IMPORT_ROWS
        log = (tmp_path / "serve.log").read_text()
        assert "task worker exited" in log, "the restart never reached the import: the test proved nothing"
