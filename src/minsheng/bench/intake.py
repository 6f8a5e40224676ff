"""Intake benchmark against the real server: gunicorn + PostgreSQL, a threaded HTTP client, a crash.

Three phases on a fresh campaign and channel:

1. single submissions (one suggestion per request) — requests/s and p50/p99 latency;
2. batches of 1,000 — suggestions/s and p99 latency per batch;
3. crash: both kinds of load while the whole gunicorn process group is killed with SIGKILL and restarted;
   clients retry every request without a 2xx. Afterwards the database must hold exactly the distinct
   suggestions that were acknowledged, each with the receipt the client was given: none lost, none doubled.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

TEXT = "建议在老城区增设公交线路，方便老人出行；同时加强社区养老服务，增加日间照料中心。编号{n}"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    acked: dict[str, str] = field(default_factory=dict)  # external_id -> receipt
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Client:
    """One keep-alive connection that reconnects and retries until the server says 2xx."""

    def __init__(self, port: int, key: str, path: str):
        self.port, self.path = port, path
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes, tally: Tally) -> dict:
        while True:
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                start = time.perf_counter()
                self.conn.request("POST", self.path, body=body, headers=self.headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.status in (200, 201):
                    with tally.lock:
                        tally.latencies.append(time.perf_counter() - start)
                    return json.loads(data)
                if response.status not in (429, 500, 502, 503, 504):
                    raise RuntimeError(f"unexpected {response.status}: {data[:300]!r}")
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
            with tally.lock:
                tally.retries += 1
            time.sleep(0.05)


def run_load(port: int, key: str, slug: str, *, prefix: str, singles: int, batches: int, batch_size: int,
             threads: int) -> tuple[Tally, float]:
    """Send ``singles`` one-item requests and ``batches`` batches, spread over ``threads`` clients."""
    tally = Tally()
    path = f"/api/v1/campaigns/{slug}/suggestions"
    jobs: list[list[int]] = [[i] for i in range(singles)]
    jobs += [list(range(singles + b * batch_size, singles + (b + 1) * batch_size)) for b in range(batches)]
    cursor = iter(range(len(jobs)))
    cursor_lock = threading.Lock()

    def worker() -> None:
        client = Client(port, key, path)
        while True:
            with cursor_lock:
                index = next(cursor, None)
            if index is None:
                return
            numbers = jobs[index]
            items = [{"external_id": f"{prefix}-{n}", "text": TEXT.format(n=n)} for n in numbers]
            body = json.dumps(items[0] if len(items) == 1 and index < singles else items,
                              ensure_ascii=False).encode()
            answer = client.post(body, tally)
            results = answer.get("results", [answer])
            with tally.lock:
                for result in results:
                    if result.get("receipt"):
                        tally.acked[result["external_id"]] = result["receipt"]

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return tally, time.perf_counter() - started


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {port}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def start_server(port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    from minsheng.web.gunicorn import gunicorn_command

    command = gunicorn_command("127.0.0.1", port, workers, threads, access_log=False)
    log = open(os.path.join(env["MINSHENG_VAR_DIR"], "gunicorn.log"), "ab")  # noqa: SIM115 (lives with the server)
    process = subprocess.Popen(command, env=env, start_new_session=True, stdout=log, stderr=log)
    try:
        wait_for_port(port)
    except RuntimeError:
        kill_hard(process)
        raise RuntimeError(f"gunicorn did not start; see {log.name}") from None
    return process


def kill_hard(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def ensure_database(url: str) -> None:
    import psycopg
    from dj_database_url import parse

    cfg = parse(url)
    with psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"],
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def setup_campaign(slug: str) -> str:
    from minsheng.accounts.models import Role, User
    from minsheng.accounts.services import role_grant, user_create
    from minsheng.consultation.intake.models import Campaign, Suggestion
    from minsheng.consultation.intake.services import campaign_create, channel_create

    # Earlier runs' data would only make the tables (and each run) bigger: start from empty bench campaigns.
    Suggestion.objects.filter(campaign__slug__startswith="bench-").delete()
    Campaign.objects.filter(slug__startswith="bench-").delete()

    owner = User.objects.filter(username="bench-owner").first() or user_create(username="bench-owner")
    role_grant(user=owner, role=Role.CAMPAIGN_OWNER)
    campaign = campaign_create(owner=owner, slug=slug, title="压测", question="?", status="open")
    _channel, key = channel_create(actor=owner, campaign=campaign, code="bench", name="压测渠道", rate_per_minute=10**9)
    return key


def cpu_seconds(server: subprocess.Popen) -> tuple[float, float]:
    """CPU seconds used so far by the gunicorn processes and by this client process."""
    import psutil

    def used(p: psutil.Process) -> float:
        times = p.cpu_times()
        return times.user + times.system

    root = psutil.Process(server.pid)
    return sum(used(p) for p in [root, *root.children(recursive=True)]), used(psutil.Process())


def report(name: str, tally: Tally, seconds: float, items: int, requests: int,
           cpu: tuple[float, float] = (0.0, 0.0)) -> dict:
    line = {"phase": name, "load_avg_1m": round(os.getloadavg()[0], 1),
            "server_cpu_ms_per_request": round(1000 * cpu[0] / requests, 2),
            "client_cpu_ms_per_request": round(1000 * cpu[1] / requests, 2), "requests": requests, "suggestions": items, "seconds": round(seconds, 2),
            "requests_per_s": round(requests / seconds, 1), "suggestions_per_s": round(items / seconds, 1),
            "p50_ms": round(1000 * percentile(tally.latencies, 0.50), 1),
            "p99_ms": round(1000 * percentile(tally.latencies, 0.99), 1), "retries": tally.retries}
    print(json.dumps(line, ensure_ascii=False), flush=True)
    return line


def main(*, database_url: str, port: int, workers: int, threads: int, clients: int, singles: int,
         batches: int, crash_singles: int, crash_batches: int, kill_after: float) -> int:
    ensure_database(database_url)
    port = port or free_port()
    if port_in_use(port):
        raise RuntimeError(f"port {port} is already in use by another server")
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="minsheng.web.settings",
               MINSHENG_VAR_DIR=os.environ.get("MINSHENG_VAR_DIR", tempfile.mkdtemp(prefix="minsheng-bench-")),
               LOG_LEVEL="ERROR", DB_CONN_MAX_AGE="600")
    for key in ("ASSISTANCE_ID_KEY", "CONTACT_KEY"):  # the server refuses to start without them
        env.setdefault(key, secrets.token_urlsafe(48))
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    slug = f"bench-{int(time.time())}"
    key = setup_campaign(slug)
    server = start_server(port, workers, threads, env)
    try:
        run_load(port, key, slug, prefix="warm", singles=200, batches=2, batch_size=1000, threads=clients)
        before = cpu_seconds(server)
        tally, seconds = run_load(port, key, slug, prefix="single", singles=singles, batches=0, batch_size=0,
                                  threads=clients)
        after = cpu_seconds(server)
        single = report("single", tally, seconds, singles, singles, (after[0] - before[0], after[1] - before[1]))
        tally, seconds = run_load(port, key, slug, prefix="batch", singles=0, batches=batches, batch_size=1000,
                                  threads=min(clients, 4))
        before, after = after, cpu_seconds(server)
        batch = report("batch", tally, seconds, batches * 1000, batches, (after[0] - before[0], after[1] - before[1]))

        print(f"crash phase: kill -9 of the server group after {kill_after}s, restart, clients retry", flush=True)
        holder: dict = {}

        def load() -> None:
            holder["result"] = run_load(port, key, slug, prefix="crash", singles=crash_singles,
                                        batches=crash_batches, batch_size=1000, threads=clients)

        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(kill_after)
        kill_hard(server)
        killed_at = time.perf_counter()
        while port_in_use(port):  # the listening socket goes away with the processes
            time.sleep(0.01)
        server = start_server(port, workers, threads, env)
        print(f"server restarted after {time.perf_counter() - killed_at:.1f}s", flush=True)
        loader.join()
        tally, seconds = holder["result"]
        report("crash", tally, seconds, crash_singles + 1000 * crash_batches, crash_singles + crash_batches)
        ok = verify(slug, tally, expected=crash_singles + 1000 * crash_batches)
    finally:
        kill_hard(server)
    targets = single["requests_per_s"] >= 500 and batch["suggestions_per_s"] >= 5000
    print(json.dumps({"single_target_500_per_s": single["requests_per_s"] >= 500,
                      "batch_target_5000_per_s": batch["suggestions_per_s"] >= 5000, "crash_consistent": ok}))
    return 0 if ok and targets else 1


def verify(slug: str, tally: Tally, *, expected: int) -> bool:
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.intake.receipts import normalise_receipt

    rows = dict(Suggestion.objects.filter(campaign__slug=slug, external_id__startswith="crash-")
                .values_list("external_id", "receipt"))
    count = Suggestion.objects.filter(campaign__slug=slug, external_id__startswith="crash-").count()
    lost = [eid for eid, receipt in tally.acked.items() if rows.get(eid) != normalise_receipt(receipt)]
    extra = set(rows) - set(tally.acked)
    result = {"acknowledged": len(tally.acked), "expected": expected, "rows_in_db": count,
              "distinct_in_db": len(rows), "lost_or_changed": len(lost), "unacknowledged_rows": len(extra)}
    print(json.dumps(result), flush=True)
    return count == len(rows) == len(tally.acked) == expected and not lost and not extra


if __name__ == "__main__":
    sys.exit(main(database_url="postgres://postgres@127.0.0.1:5432/minsheng_bench", port=0, workers=3,
                  threads=4, clients=16, singles=5000, batches=30, crash_singles=3000, crash_batches=20,
                  kill_after=2.0))
