"""``minsheng bench-platform``: an analysis run in the platform vs the engine alone on the same data, then the
server time of the list pages with many suggestions in PostgreSQL.

1. ``--analysis N`` generated suggestions are written into a fresh bench campaign with PostgreSQL's COPY, a
   router is trained from their generated departments, and one platform run is timed (export → engine, every
   step → load). The engine alone then runs the same steps on the run's own exported
   Parquet file, so the difference is what the platform adds (export and load). Reports are left out of
   both (they are timed by ``minsheng report``).
2. More suggestions are added to the same campaign until it holds ``--total`` (suggestions received after
   the run, as in a live consultation), and each list page is requested through Django's test client
   (server time: view, queries, template) ``--repeat`` times; the median and the worst are printed with the
   number of SQL queries.
"""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from minsheng.bench.intake import ensure_database

SLUG = "bench-platform"
TARGET_MS = 300


def _dependents(model, where: str, path: tuple = ()) -> list[str]:
    """SQL that empties every table pointing at the rows of ``model`` selected by ``where`` (children first),
    found from the models, so a table the platform adds later is never missed."""
    from django.db import models

    table, pk = model._meta.db_table, model._meta.pk.column
    statements = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        child, column = rel.related_model, rel.field.column
        if child is model or child in path:
            continue
        rows = f"{column} IN (SELECT {pk} FROM {table} WHERE {where})"
        if rel.on_delete is models.SET_NULL:
            statements.append(f"UPDATE {child._meta.db_table} SET {column} = NULL WHERE {rows}")
        else:
            statements += _dependents(child, rows, (*path, model))
            statements.append(f"DELETE FROM {child._meta.db_table} WHERE {rows}")
    return statements


def _drop() -> None:
    """Remove the bench campaign's runs and suggestions with plain SQL (the ORM's cascade would load a million
    rows first), then the campaign itself through the ORM."""
    from django.db import connection, transaction

    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.intake.models import Campaign, Suggestion

    old = Campaign.objects.filter(slug=SLUG).first()
    if old is None:
        return
    statements = [sql for model in (AnalysisRun, Suggestion) for sql in
                  (*_dependents(model, "campaign_id = %s"), f"DELETE FROM {model._meta.db_table} WHERE campaign_id = %s")]
    # Django's foreign keys are checked at commit on PostgreSQL: delete first, so that setting references to
    # NULL touches only the rows that stay.
    statements.sort(key=lambda sql: not sql.startswith("DELETE"))
    with transaction.atomic(), connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql, [old.pk] * sql.count("%s"))
    old.delete()


def _setup():
    from minsheng.accounts.models import Organisation, Role, User
    from minsheng.accounts.services import organisation_create, role_grant, user_create
    from minsheng.consultation.intake.services import campaign_create, channel_create

    _drop()
    owner = User.objects.filter(username="bench-owner").first() or user_create(username="bench-owner")
    role_grant(user=owner, role=Role.CAMPAIGN_OWNER)
    officer = User.objects.filter(username="bench-officer").first() or user_create(username="bench-officer")
    return owner, officer, Organisation, campaign_create, channel_create, organisation_create, role_grant, Role


def _copy_rows(campaign, channels: list, depts: dict, frame, start_index: int) -> int:
    """COPY ``frame`` (synth columns) into the suggestion table; returns rows written.

    Every other non-null column gets its model default: COPY, unlike the ORM, knows only database defaults,
    and a field the platform adds later (``extended``) must not break the bench."""
    from django.db import connection
    from django.utils import timezone

    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.intake.receipts import new_receipt

    columns = ("campaign_id", "channel_id", "source", "external_id", "receipt", "title", "text", "region",
               "contact_encrypted", "author_name", "department_id", "status", "submitted_at", "received_at")
    defaults = {f.column: f.get_default() for f in Suggestion._meta.concrete_fields
                if f.column not in columns and not f.null and f.has_default()}
    now = timezone.now()
    with connection.cursor() as cur:
        raw = cur.cursor
        with raw.copy(f"COPY consultation_suggestion ({', '.join([*columns, *defaults])}) FROM STDIN") as copy:
            for i, r in enumerate(frame.itertuples(index=False), start=start_index):
                channel = channels[i % len(channels)]
                when = timezone.make_aware(r.time.to_pydatetime())
                # Received in submission order, as through the API: one timestamp per suggestion.
                received = now + timedelta(microseconds=i)
                copy.write_row((campaign.pk, channel.pk, "api", f"b{i}", new_receipt(), r.title or "", r.body, "",
                                "", str(r.user or "")[:100], depts.get(r.gt_department), "received", when,
                                received, *defaults.values()))
    return len(frame)


def _fill(campaign, channels, depts, n: int, start: int, seed: int) -> None:
    from minsheng.engine.synth import generate

    done = 0
    while done < n:
        size = min(100_000, n - done)
        frame = generate(size, seed=seed + start + done)
        _copy_rows(campaign, channels, depts, frame, start + done)
        done += size
        print(f"  … {start + done:,} suggestions stored", flush=True)


def _engine_alone(run_out: Path, router: Path) -> float:
    """The engine alone on the run's exported file, with the platform's options, result written."""
    from minsheng.consultation.analysis.services import run_options
    from minsheng.engine.pipeline import analyze
    from minsheng.engine.result import write_result

    out = Path(tempfile.mkdtemp(prefix="engine-alone-"))
    start = time.perf_counter()
    write_result(analyze([run_out / "input.parquet"], run_options(router)), out)
    return time.perf_counter() - start


def _time_pages(client, urls: list[str], repeat: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    for url in urls:
        client.get(url)  # warm caches the way a running server has them (the inbox's group counts are cached)
        times, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        rows.append((url, statistics.median(times), max(times), queries))
    return rows


def _rare_word(campaign, run) -> str:
    """A street named by the hot issues that at most 5,000 suggestions contain (printed with its count)."""
    places = run.hot_issues.filter(place__regex=r"(路|街)$").order_by("-rank").values_list("place", flat=True)
    candidates = [p[-3:] for p in places[:50]] + ["盛西路"]
    for word in candidates:
        hits = campaign.suggestions.filter(text__contains=word)[:5001].count()
        if 0 < hits <= 5000:
            break
    print(f"   rarer search word: {word} ({hits:,} suggestions contain it)")
    return word


def main(*, database_url: str, analysis: int, total: int, repeat: int, router_sample: int,
         keep: bool = False) -> int:
    # Settings come from the environment, set here before Django starts: reports are left out of the timed run
    # (``minsheng report`` times them) and the test client may use any host name.
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="minsheng.web.settings", LOG_LEVEL="ERROR",
                      ANALYSIS_REPORTS="0", ALLOWED_HOSTS="*",
                      MINSHENG_VAR_DIR=os.environ.get("MINSHENG_VAR_DIR", tempfile.mkdtemp(prefix="minsheng-bench-")),
                      TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.retrain import router_retrain
    from minsheng.consultation.analysis.services import analysis_run_execute
    from minsheng.consultation.intake.models import Campaign

    call_command("migrate", interactive=False, verbosity=0)
    owner, officer, Organisation, campaign_create, channel_create, organisation_create, role_grant, Role = _setup()
    from minsheng.engine.synth import generate

    names = sorted(generate(2000, seed=0)["gt_department"].dropna().unique())
    depts = {}
    for i, name in enumerate(names):
        org = Organisation.objects.filter(code=f"bench-d{i}").first() or organisation_create(
            code=f"bench-d{i}", name=f"{name}", kind=Organisation.Kind.DEPARTMENT)
        depts[name] = org.pk
    first = Organisation.objects.get(pk=depts[names[0]])
    role_grant(user=officer, role=Role.DEPARTMENT_OFFICER, organisation=first)
    campaign = campaign_create(owner=owner, slug=SLUG, title="平台压测", question="?", status=Campaign.Status.OPEN,
                               departments=list(Organisation.objects.filter(pk__in=depts.values())))
    channels = [channel_create(actor=owner, campaign=campaign, code=f"c{i}", name=f"渠道{i}")[0] for i in range(5)]

    print(f"1. analysis of {analysis:,} stored suggestions")
    start = time.perf_counter()
    _fill(campaign, channels, depts, analysis, 0, seed=11)
    print(f"   stored with COPY in {time.perf_counter() - start:.1f} s", flush=True)
    start = time.perf_counter()
    version = router_retrain(campaign=campaign, user=owner, max_train=router_sample)
    print(f"   router trained on {version.n_train:,} of them in {time.perf_counter() - start:.1f} s "
          f"(macro-F1 {version.after.get('macro_f1')})", flush=True)
    run = AnalysisRun.objects.create(campaign=campaign, started_by=owner)
    start = time.perf_counter()
    analysis_run_execute(run=run)
    platform = time.perf_counter() - start
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE, run.error
    engine = _engine_alone(Path(run.out_dir), Path(version.path))
    t = run.counts.get("timings", {})
    print(f"   platform run: {platform:.1f} s  (export {t.get('export')} s, engine {t.get('engine')} s, "
          f"load {t.get('load')} s)")
    print(f"   engine alone on the same Parquet, same stages: {engine:.1f} s  → platform/engine = "
          f"{platform / engine:.2f}")
    print(f"   results: {run.results.count():,} rows, {run.themes.count()} themes, "
          f"{run.form_letters.count()} form letters, {run.hot_issues.count()} hot issues", flush=True)

    if total > analysis:
        print(f"2. list pages with {total:,} suggestions in the campaign")
        start = time.perf_counter()
        _fill(campaign, channels, depts, total - analysis, analysis, seed=97)
        print(f"   added with COPY in {time.perf_counter() - start:.1f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cur:  # what autovacuum does soon after a bulk load anyway
        cur.execute("VACUUM ANALYZE consultation_suggestion")
        cur.execute("VACUUM ANALYZE consultation_suggestionresult")
    buf = io.StringIO()
    client = Client()
    client.force_login(owner)
    rare = _rare_word(campaign, run)
    theme = run.themes.filter(level="fine").order_by("-n_messages").first()
    broad = run.themes.filter(level="broad").order_by("-n_messages").first()
    group = run.results.filter(is_representative=True, dup_group_size__gt=1).order_by("-dup_group_size").first()
    base = f"/manage/c/{SLUG}/analysis"
    urls = [f"{base}/", f"{base}/themes/", f"{base}/themes/{broad.code}/", f"{base}/themes/{theme.code}/",
            f"{base}/themes/{theme.code}/?page=50", f"{base}/groups/", f"{base}/groups/{group.dup_group}/",
            f"{base}/hot/", f"{base}/search/", f"{base}/search/?page=400", f"{base}/search/?q=停车",
            # Rarer words: no early stop in the newest rows, so the bigram index has to find them; a word
            # that occurs nowhere is the worst case, a rare two-character one the case trigrams cannot answer.
            f"{base}/search/?q={rare}", f"{base}/search/?q={rare[:2]}", f"{base}/search/?q=鼠疫防控",
            f"{base}/search/?q=鼠疫",
            f"{base}/search/?q=停车+{rare}",
            f"{base}/search/?theme={broad.code}", f"{base}/search/?channel=c1&status=received",
            f"/manage/c/{SLUG}/"]
    rows = _time_pages(client, urls, repeat)
    client.force_login(officer)
    rows += _time_pages(client, [f"/manage/inbox/?c={SLUG}", f"/manage/inbox/?c={SLUG}&theme={broad.code}",
                                 f"/manage/inbox/?c={SLUG}&page=100"], repeat)
    n = Campaign.objects.get(pk=campaign.pk).suggestions.count()
    print(f"   server time per page, {n:,} suggestions, median / worst of {repeat} (target < {TARGET_MS} ms):",
          file=buf)
    slow = 0
    for url, median, worst, queries in rows:
        flag = "" if median < TARGET_MS else "  ← over target"
        slow += bool(flag)
        print(f"   {median:8.1f} / {worst:8.1f} ms  {queries:3d} queries  {url}{flag}", file=buf)
    print(buf.getvalue(), end="")
    if keep:
        print(f"   campaign {SLUG!r} left in {database_url} (the next run drops it)")
    else:
        _drop()  # other benchmarks share this database and clean "bench-" campaigns through the ORM
    return 1 if slow else 0
