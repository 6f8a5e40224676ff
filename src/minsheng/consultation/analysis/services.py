"""Analysis runs: the engine over a campaign's suggestions, as a background task, results back in the database.

A run exports the suggestions to Parquet in its own directory under ``var/analysis/``, runs the engine's
``analyze`` on that file with every step, exactly as the command line would, writes the
:class:`~minsheng.engine.result.AnalysisResult` there (the reports read it from there) and loads the same
result into the database in one transaction that first deletes anything of the same run. So a run killed at
any point is simply run again: nothing is half-loaded and nothing is duplicated. The platform adds nothing
to the engine's result: what the engine skipped (themes of 25 identical suggestions) stays skipped.

Incremental runs (``base`` set) do not refit: :func:`~minsheng.engine.increment.join_increment` joins new
suggestions to the base run's duplicate groups, its stored theme model and the router.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Count, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.consultation import tasks
from minsheng.consultation.access import require_manager
from minsheng.consultation.analysis.models import (
    AnalysisRun,
    DigestMember,
    DigestSuggestion,
    FormLetter,
    HotIssue,
    NovelIdea,
    RegionCount,
    SuggestionResult,
    Theme,
)
from minsheng.consultation.analysis.provenance import count_intake_masks, masked_at_intake, source_in_words
from minsheng.consultation.analysis.regions import write_region_counts
from minsheng.consultation.handling.deadlines import due_for
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import ColumnMap
from minsheng.engine.result import AnalysisResult

log = logging.getLogger(__name__)
EXPORT_CHUNK = 20_000
#: The columns :func:`export_suggestions` writes, named for the engine.
_COLUMNS = ColumnMap(id="id", text=("text",), time="time", user="user", channel="channel", likes="likes",
                     region="region")
INSERT_BATCH = 5_000
ANALYSED = [Suggestion.Status.HELD, Suggestion.Status.REJECTED]  # statuses left out of analysis


class RunBusy(Exception):
    """A run of this campaign is already queued or running."""


def run_dir(run: AnalysisRun) -> Path:
    return Path(settings.VAR_DIR) / "analysis" / run.campaign.slug / f"run-{run.pk}"


def router_path(campaign: Campaign) -> Path:
    return Path(settings.VAR_DIR) / "models" / f"router-{campaign.slug}.model"


#: A retrained router routes on its own only once it scored this macro-F1 on at least ROUTER_TRUSTED_TESTS held-out
#: suggestions (:mod:`~minsheng.consultation.analysis.retrain`); before, a run marks every department it gives for
#: review. Walked live on an empty site (h-journey4): retrained on 51 suggestions settled over two of three
#: departments, a router scoring 0.42 on 11 held out sent all 1,399 of the next run to one department, none to
#: review (two departments learnt: no confidence is below 0.5, the review threshold).
ROUTER_TRUSTED_F1 = 0.8
ROUTER_TRUSTED_TESTS = 10


def router_untrusted(campaign: Campaign):
    """The newest retraining of the campaign's router when that router is not trusted to route alone yet, else None.

    A router put in place without a retraining (``minsheng train``, the demo's) has no held-out score here and keeps
    its own review threshold."""
    version = campaign.router_versions.first() if router_trained(campaign) else None
    if version is None:
        return None
    after = version.after or {}
    trusted = after.get("n_test", 0) >= ROUTER_TRUSTED_TESTS and after.get("macro_f1", 0) >= ROUTER_TRUSTED_F1
    return None if trusted else version


def router_context(campaign: Campaign) -> dict:
    """What the campaign and analysis pages say of the campaign's router: none yet (and how many settled suggestions a
    first one needs), or one not trusted yet (and the bar it must pass)."""
    from minsheng.consultation.analysis.retrain import MIN_LABELLED  # retrain imports this module

    return {"router_trained": router_trained(campaign), "min_labelled": MIN_LABELLED,
            "router_untrusted": router_untrusted(campaign), "trusted_f1": ROUTER_TRUSTED_F1,
            "trusted_tests": ROUTER_TRUSTED_TESTS}


def router_guesses(campaign: Campaign, suggestions: list[Suggestion]) -> None:
    """Give each of ``suggestions`` (not yet routed) the department the latest full run's router guessed and its
    confidence, as ``guess`` / ``guess_confidence`` (None when none): what 待分派 proposes while the router is not
    trusted to route alone."""
    from minsheng.consultation.analysis.selectors import current_run

    run = current_run(campaign)
    found = {} if run is None else {
        sid: (label, conf) for sid, label, conf in SuggestionResult.objects.filter(
            run=run, suggestion_id__in=[s.pk for s in suggestions]).exclude(department_label="").values_list(
            "suggestion_id", "department_label", "department_confidence")}
    for s in suggestions:
        s.guess, s.guess_confidence = found.get(s.pk, (None, None))


def router_trained(campaign: Campaign) -> bool:
    """Whether a run will send suggestions to departments: a campaign's first run has no router, so it sends none
    until people have settled enough departments by hand and retrained (the pages say so)."""
    return router_path(campaign).exists()


def pseudonym(author_id: int | None, author_name: str) -> str | None:
    """A stable id for "same person" counting that is never a name: a keyed hash, ``None`` when unknown."""
    if author_id is None and not author_name:
        return None
    raw = f"u{author_id}" if author_id is not None else f"n{author_name}"
    key = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(raw.encode(), key=key, digest_size=8).hexdigest()


def analysis_run_start(*, campaign: Campaign, user: User | None, incremental: bool = False) -> AnalysisRun:
    """Queue a run; an incremental one needs a finished full run to build on."""
    require_manager(user, campaign)
    from minsheng.consultation.analysis.selectors import current_run

    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one start at a time per campaign
        if campaign.analysis_runs.filter(status__in=[AnalysisRun.Status.QUEUED, AnalysisRun.Status.RUNNING]).exists():
            raise RunBusy(_("该活动已有分析任务在进行中"))
        base = current_run(campaign) if incremental else None
        run = AnalysisRun.objects.create(campaign=campaign, started_by=user, base=base)
    transaction.on_commit(lambda: tasks.enqueue(tasks.run_analysis, run))
    return run


def _progress(run: AnalysisRun, stage: str, percent: int, **extra) -> None:
    AnalysisRun.objects.filter(pk=run.pk).update(stage=stage, progress=percent, **extra)


def analysis_run_execute(*, run: AnalysisRun) -> int:
    """Do the whole run in this process (the task calls this; tests and the benchmark may too).

    A first attempt that finds its folder already there empties it: the folder is another run's of the same number,
    left by a database restored from before that run (run numbers are the database's), and its files would
    otherwise mix with this run's — a report or a model this run did not write, read as its own."""
    out = run_dir(run)
    if run.attempts == 0 and out.exists():
        log.warning("run folder %s existed before run %s started (a database restored from before it?): emptied",
                       out, run.pk)
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    _progress(run, _("导出建议"), 5, status=AnalysisRun.Status.RUNNING, started_at=timezone.now(),
              attempts=run.attempts + 1, error="", out_dir=str(out))
    timings, start = {}, time.perf_counter()
    n, intake_masks = export_suggestions(run=run, path=out / "input.parquet")
    if n == 0 and not run.base_id:
        raise _nothing_to_analyse(run.campaign)
    timings["export"] = time.perf_counter() - start
    start = time.perf_counter()
    router = router_path(run.campaign)
    if run.base_id:
        _progress(run, _("增量：并入已有分组与主题"), 30, n_suggestions=n)
        result = _increment(run, out / "input.parquet", router)
    else:
        from minsheng.engine.pipeline import STEPS, analyze
        from minsheng.engine.result import mask_tables, write_result
        from minsheng.reports import STAGES

        names = ["ingest_normalise_sign", *(step.__name__ for step in STEPS)]

        def stage(name: str) -> None:  # the progress bar follows the engine's stages from 10 % to 70 %
            done = names.index(name) / len(names) if name in names else 1
            _progress(run, _("分析引擎：{value}").format(value=STAGES.get(name, name)), 10 + int(60 * done))

        _progress(run, _("分析引擎"), 10, n_suggestions=n)
        untrusted = router_untrusted(run.campaign) is not None
        result = analyze([out / "input.parquet"], run_options(router, review_all=untrusted), on_stage=stage)
        result.summary.update(source=source_in_words(run.campaign, _exported(run)),
                              masked_at_intake=masked_at_intake(intake_masks), router_untrusted=untrusted)
        result = mask_tables(result)  # the pages show the tables as the files hold them: names and doors masked
        write_result(result, out)
        run.counts = {k: result.summary.get(k) for k in ("accepted", "rejected", "exact_duplicates",
                                                         "near_duplicate_groups", "campaigns", "people",
                                                         "seconds")}
    timings["engine"] = time.perf_counter() - start
    _progress(run, _("写入数据库"), 75)
    start = time.perf_counter()
    load_results(run=run, result=result)
    timings["load"] = time.perf_counter() - start
    if not run.base_id and settings.ANALYSIS_REPORTS:
        _progress(run, _("生成报告"), 90)
        try:
            from minsheng.reports import write_reports

            write_reports(out)
        except Exception:  # reports are a convenience; the run's results stand without them
            log.exception("reports of run %s failed", run.pk)
    from minsheng.consultation.analysis.selectors import campaign_volume

    target = run.base if run.base_id else run
    total = SuggestionResult.objects.filter(run_id=target.pk).count()
    volume = campaign_volume(run.campaign)
    if run.base_id:  # the pages read the base run: its charts follow the new suggestions
        base_counts = {**AnalysisRun.objects.get(pk=run.base_id).counts, "volume": volume, "results": total}
        AnalysisRun.objects.filter(pk=run.base_id).update(counts=base_counts)
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=AnalysisRun.Status.DONE, progress=100, stage=_("完成"), finished_at=timezone.now(),
        n_suggestions=n, counts={**run.counts, "results": total, "volume": volume,
                                 "timings": {k: round(v, 2) for k, v in timings.items()}})
    return n


def _nothing_to_analyse(campaign: Campaign) -> InputError:
    """Why a full run has no suggestion to analyse, in the analyst's words: none yet, or all held or rejected."""
    left_out = Suggestion.objects.filter(campaign=campaign, status__in=ANALYSED).count()
    words = (_("没有可分析的建议：本活动的 {count} 条建议都在待审核或已驳回").format(count=f"{left_out:,}") if left_out
             else _("没有可分析的建议：本活动还没有收到建议"))
    return InputError(words, code="nothing_to_analyse")


def run_options(router: Path, *, review_all: bool = False):
    """The engine's options for a platform run: the export's columns, the campaign's router when trained (with every
    department it gives for review when ``review_all``: :func:`router_untrusted`)."""
    from minsheng.engine.pipeline import AnalyzeOptions

    return AnalyzeOptions(columns=_COLUMNS, model=str(router) if router.exists() else None,
                          review_threshold=1.0 if review_all else None, workers=settings.ANALYSIS_WORKERS)


def _exported(run: AnalysisRun) -> QuerySet[Suggestion]:
    """The suggestions a run analyses: all but held and rejected ones; an incremental run only the new ones."""
    qs = Suggestion.objects.filter(campaign_id=run.campaign_id).exclude(status__in=ANALYSED)
    return qs.exclude(results__run_id=run.base_id) if run.base_id else qs


def export_suggestions(*, run: AnalysisRun, path: Path) -> tuple[int, Counter]:
    """Write the suggestions to analyse as Parquet (id, text, time, user, channel, likes, region), streamed in chunks;
    return how many, and the masks the intake left in their texts (the engine finds none left to mask). The region
    goes with them so the run's report breaks down by it, as the pages do."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _exported(run).order_by("pk").values_list("pk", "title", "text", "submitted_at", "author_id",
                                                      "author_name", "channel__name", "source", "likes", "region")
    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("time", pa.timestamp("us")),
                        ("user", pa.string()), ("channel", pa.string()), ("likes", pa.int64()),
                        ("region", pa.string())])
    n, masks = 0, Counter()
    tz = timezone.get_current_timezone()
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[tuple] = []
        for row in rows.iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(row)
            if len(chunk) >= EXPORT_CHUNK:
                writer.write_table(_table(chunk, schema, tz, masks))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(_table(chunk, schema, tz, masks))
            n += len(chunk)
    return n, masks


def _table(chunk: list[tuple], schema, tz, masks: Counter):
    import pyarrow as pa

    texts = [f"{r[1]}\n{r[2]}" if r[1] else r[2] for r in chunk]
    count_intake_masks(texts, masks)
    return pa.table({
        "id": [str(r[0]) for r in chunk],
        "text": texts,
        "time": [timezone.localtime(r[3], tz).replace(tzinfo=None) for r in chunk],
        "user": [pseudonym(r[4], r[5]) for r in chunk],
        "channel": [r[6] or str(Suggestion.Source(r[7]).label) for r in chunk],
        "likes": [r[8] for r in chunk],
        "region": [r[9] or None for r in chunk],
    }, schema=schema)


def _increment(run: AnalysisRun, new: Path, router: Path):
    """New suggestions joined to the base run (the engine's :func:`~minsheng.engine.increment.join_increment`); their texts and the base
    run's group representatives' texts come as the export writes them (title, newline, text)."""
    from minsheng.engine.increment import join_increment
    from minsheng.engine.result import model_path

    reps = pd.DataFrame(list(SuggestionResult.objects.filter(run_id=run.base_id, is_representative=True)
                             .values_list("dup_group", "dup_group_size", "suggestion__title", "suggestion__text")),
                        columns=["dup_group", "dup_group_size", "title", "text"])
    reps["text"] = [f"{t}\n{x}" if t else x for t, x in zip(reps["title"], reps["text"], strict=True)]
    untrusted = router_untrusted(run.campaign) is not None
    result = join_increment(pd.read_parquet(new), reps, theme_model=model_path(run_dir(run.base), "themes"),
                            router=router, review_threshold=1.0 if untrusted else None)
    result.summary["router_untrusted"] = untrusted
    return result


def load_results(*, run: AnalysisRun, result: AnalysisResult) -> None:
    """Replace this run's rows with the result's records and tables, in one transaction.

    An incremental run adds its records to the base run (whose tables stay: sizes are refreshed instead).
    """
    records = result.records
    target = run.base if run.base_id else run
    with transaction.atomic():
        if run.base_id:
            SuggestionResult.objects.filter(run=target, suggestion_id__in=[int(i) for i in records["id"]]).delete()
            DigestMember.objects.filter(digest__run=target,
                                        suggestion_id__in=[int(i) for i in records["id"]]).delete()
        else:
            SuggestionResult.objects.filter(run=target).delete()
            for model in (RegionCount, Theme, FormLetter, HotIssue, DigestSuggestion, NovelIdea):
                model.objects.filter(run=target).delete()
            _load_tables(target, result.themes, result.hot_issues, result.campaigns)
            _load_digest(target, result.suggestions)
            _load_novel(target, result.novel)
        theme_ids = dict(Theme.objects.filter(run=target).values_list("code", "pk"))
        letter_ids = dict(FormLetter.objects.filter(run=target).values_list("dup_group", "pk"))
        hot_ids = dict(HotIssue.objects.filter(run=target).values_list("code", "pk"))
        digest_ids = dict(DigestSuggestion.objects.filter(run=target).values_list("code", "pk"))
        _bulk_results(target, records, theme_ids, letter_ids, hot_ids, digest_ids)
        _bulk_insert(DigestMember, ("digest_id", "suggestion_id"),
                     _member_rows(records, None if run.base_id else result.suggestions, digest_ids))
        if run.base_id:
            _refresh_after_increment(target, records)
        write_region_counts(target)
        if not result.summary.get("router_untrusted"):  # its guesses wait in 待分派 for a person (router_guesses)
            _route_suggestions(run.campaign, records)
    if not run.base_id:
        _analyze_tables()


def _analyze_tables() -> None:
    """Fresh planner statistics for the tables a full run has just filled. Before autovacuum gets to them,
    PostgreSQL plans as if a campaign had a handful of rows: at 5,000 suggestions the search page's list query
    then joined and sorted all of them (87 ms of execution instead of 0.1, measured with EXPLAIN ANALYZE)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        tables = (Suggestion, SuggestionResult, DigestMember)
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {', '.join(model._meta.db_table for model in tables)}")


def _col(records: pd.DataFrame, name: str, default=None) -> list:
    if name not in records.columns:
        return [default] * len(records)
    return [default if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else v
            for v in records[name].tolist()]


RESULT_COLUMNS = ("run_id", "suggestion_id", "department_label", "department_confidence", "needs_review",
                  "theme_id", "dup_group", "dup_group_size", "is_representative", "form_letter_id", "addition",
                  "hot_issue_id", "digest_id")


def _result_rows(run, records, theme_ids, letter_ids, hot_ids, digest_ids):
    """One tuple per record in the order of :data:`RESULT_COLUMNS`."""
    cols = {name: _col(records, name) for name in ("department", "department_confidence", "needs_review",
                                                     "theme_id", "dup_group", "dup_group_size",
                                                     "is_representative", "campaign_addition", "hot_issue_id",
                                                     "suggestion_id")}
    for i, pk in enumerate(records["id"].tolist()):
        group = cols["dup_group"][i]
        group = None if group is None else int(group)
        confidence = cols["department_confidence"][i]
        representative = cols["is_representative"][i]
        yield (run.pk, int(pk), cols["department"][i] or "", None if confidence is None else float(confidence),
               bool(cols["needs_review"][i]), theme_ids.get(cols["theme_id"][i]), group,
               int(cols["dup_group_size"][i] or 1), True if representative is None else bool(representative),
               letter_ids.get(group), cols["campaign_addition"][i] or "", hot_ids.get(cols["hot_issue_id"][i]),
               digest_ids.get(cols["suggestion_id"][i]))


def _bulk_results(run, records, theme_ids, letter_ids, hot_ids, digest_ids) -> None:
    """Insert the run's results; the caller has deleted the same rows in this transaction."""
    _bulk_insert(SuggestionResult, RESULT_COLUMNS, _result_rows(run, records, theme_ids, letter_ids, hot_ids,
                                                                 digest_ids))


def _member_rows(records: pd.DataFrame, table: pd.DataFrame | None, digest_ids: dict):
    """(digest, letter) for every letter an ask of which falls in a digest suggestion: the table's member ids
    (a full run) and each record's main suggestion (also an increment's, which has no table of its own)."""
    pairs = {(code, int(pk)) for code, pk in zip(_col(records, "suggestion_id"), records["id"].tolist(), strict=True)
             if code is not None}
    if table is not None and len(table):
        pairs |= {(code, int(pk)) for code, ids in zip(table["suggestion_id"], table["member_ids"], strict=True)
                  if isinstance(ids, str) for pk in ids.split(";") if pk}
    return sorted((digest_ids[code], pk) for code, pk in pairs if code in digest_ids)


def _bulk_insert(model, columns, rows) -> None:
    """Insert rows (tuples in the order of ``columns``) the caller has made room for in this transaction.

    PostgreSQL gets them through COPY (a hundred thousand rows in about a second); elsewhere bulk_create.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.cursor.copy(
                f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) >= INSERT_BATCH:
            model.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    model.objects.bulk_create(batch, ignore_conflicts=True)


def _aware(value):
    """A naive engine time (the campaign's local time, as exported) as an aware datetime; null stays null."""
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    return stamp.to_pydatetime() if stamp.tzinfo else timezone.make_aware(stamp.to_pydatetime())


def _load_tables(run: AnalysisRun, themes, hot, campaigns) -> None:
    if themes is not None and len(themes):
        themes = themes.fillna("")
        broad = [Theme(run=run, code=r.theme_id, level="broad", label=str(r.label)[:200],
                       keywords=str(r.keywords)[:500], n_messages=int(r.n_messages), n_users=int(r.n_users),
                       quotes=[q for q in (r.representative_1, r.representative_2, r.representative_3) if q])
                 for r in themes.itertuples() if r.level == "broad"]
        Theme.objects.bulk_create(broad)
        parents = dict(Theme.objects.filter(run=run).values_list("code", "pk"))
        Theme.objects.bulk_create([
            Theme(run=run, code=r.theme_id, level="fine", parent_id=parents.get(r.parent_id),
                  label=str(r.label)[:200], keywords=str(r.keywords)[:500], n_messages=int(r.n_messages),
                  n_users=int(r.n_users),
                  quotes=[q for q in (r.representative_1, r.representative_2, r.representative_3) if q])
            for r in themes.itertuples() if r.level != "broad"], batch_size=INSERT_BATCH)
    if hot is not None and len(hot):
        HotIssue.objects.bulk_create([
            HotIssue(run=run, code=str(r.issue_id), rank=int(r.rank), heat=float(r.heat),
                     place=str(r.place_or_group if isinstance(r.place_or_group, str) else "")[:200],
                     description=r.description if isinstance(r.description, str) else "",
                     n_messages=int(r.n_messages), n_users=int(r.n_users),
                     time_start=_aware(r.time_start), time_end=_aware(r.time_end))
            for r in hot.itertuples()], batch_size=INSERT_BATCH)
    if campaigns is not None and len(campaigns):
        FormLetter.objects.bulk_create([
            FormLetter(run=run, code=str(r.campaign_id), dup_group=int(r.dup_group), people=int(r.people),
                       messages=int(r.messages), distinct_arguments=int(r.distinct_arguments),
                       burst_per_hour=int(r.burst_per_hour or 0), first_time=_aware(r.first_time),
                       last_time=_aware(r.last_time), template=str(r.template),
                       sample_additions=r.sample_additions if isinstance(r.sample_additions, str) else "")
            for r in campaigns.itertuples()], batch_size=INSERT_BATCH)


def _load_digest(run: AnalysisRun, table) -> None:
    """The run's digest (建议摘编) from the engine's suggestions table."""
    if table is None or not len(table):
        return

    def text(value, limit=None):
        value = "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else str(value)
        return value[:limit] if limit else value

    def number(value):
        return None if value is None or value is pd.NA or pd.isna(value) else float(value)

    DigestSuggestion.objects.bulk_create([
        DigestSuggestion(
            run=run, code=text(r.suggestion_id, 12), rank=int(r.rank), headline=text(r.headline, 300),
            description=text(r.description), people=int(r.people), messages=int(r.messages), voices=int(r.voices),
            campaigns=text(r.campaigns, 300), likes=int(r.likes), department_label=text(r.department, 100),
            department_confidence=number(r.department_confidence), coherence=number(r.coherence) or 0.0,
            ask_spread=number(r.ask_spread) or 0.0, mixed=bool(number(r.mixed)), places=text(r.places, 300),
            first_time=_aware(r.first_time), last_time=_aware(r.last_time),
            quotes=[q for q in (text(getattr(r, f"quote_{i}")) for i in range(1, 6)) if q])
        for r in table.itertuples()], batch_size=INSERT_BATCH)


def _load_novel(run: AnalysisRun, table) -> None:
    """The run's novel ideas (金点子) from the engine's ``novel.csv``, each with its letter (``id`` is its key)."""
    if table is None or not len(table):
        return
    ids = [int(i) if str(i).isdigit() else None for i in table["id"]]
    known = set(Suggestion.objects.filter(campaign=run.campaign, pk__in=[i for i in ids if i])
                .values_list("pk", flat=True))
    NovelIdea.objects.bulk_create([
        NovelIdea(run=run, rank=int(r.rank), suggestion_id=i if i in known else None, score=float(r.score),
                  proposal=str(r.proposal), why=r.why[:300] if isinstance(r.why, str) else "")
        for r, i in zip(table.itertuples(), ids, strict=True)])


def _author():
    """Who wrote a result's suggestion, told apart exactly as the export's :func:`pseudonym` does."""
    return Case(
        When(suggestion__author_id__isnull=False,
             then=Concat(Value("u"), Cast("suggestion__author_id", CharField()))),
        When(~Q(suggestion__author_name=""), then=Concat(Value("n"), "suggestion__author_name")),
        default=None, output_field=CharField())


def _size_fields() -> dict:
    """Messages, distinct people (the engine's rule: an unknown author is one person per message), time span."""
    return {"n": Count("id"), "known": Count(_author(), distinct=True),
            "unknown": Count("id", filter=Q(suggestion__author__isnull=True, suggestion__author_name="")),
            "first": Min("suggestion__submitted_at"), "last": Max("suggestion__submitted_at")}


def _sizes(results) -> dict:
    return results.aggregate(**_size_fields())


def _refresh_after_increment(run: AnalysisRun, records: pd.DataFrame) -> None:
    """After an increment: the sizes the pages show, for every group, theme and issue the new rows joined.

    New suggestions only add members, so only what they touched changes: their duplicate groups (the size is
    written on every member, so the old representative of a group that was a singleton now lists it), the form
    letters of those groups, their fine themes and the broad themes above, and the hot issues. A copy joins
    the hot issue of its duplicate group (the same text at the same place); other new suggestions join no
    issue until the next full run. Heat and rank are then computed again (:func:`rerank_hot_issues`).
    """
    new_ids = [int(i) for i in records["id"]] if len(records) else []
    results = SuggestionResult.objects.filter(run=run)
    groups = sorted({int(g) for g in _col(records, "dup_group") if g is not None})
    for start in range(0, len(groups), INSERT_BATCH):
        part = groups[start:start + INSERT_BATCH]
        by_size: dict[int, list[int]] = {}
        for group, n in results.filter(dup_group__in=part).values_list("dup_group").annotate(n=Count("id")):
            by_size.setdefault(n, []).append(group)
        for n, members in by_size.items():
            results.filter(dup_group__in=members).exclude(dup_group_size=n).update(dup_group_size=n)
        # Copies join the hot issue their group's earlier members belong to.
        issue_of = dict(results.filter(dup_group__in=part).exclude(hot_issue=None)
                        .values_list("dup_group", "hot_issue_id").distinct())
        by_issue: dict[int, list[int]] = {}
        for group, issue in issue_of.items():
            by_issue.setdefault(issue, []).append(group)
        for issue, members in by_issue.items():
            for chunk in range(0, len(new_ids), INSERT_BATCH):
                results.filter(dup_group__in=members, hot_issue=None,
                               suggestion_id__in=new_ids[chunk:chunk + INSERT_BATCH]).update(hot_issue=issue)
        for letter in FormLetter.objects.filter(run=run, dup_group__in=part):
            size = _sizes(results.filter(form_letter=letter))
            FormLetter.objects.filter(pk=letter.pk).update(
                messages=size["n"], people=size["known"] + size["unknown"], first_time=size["first"],
                last_time=size["last"])
    if new_ids:
        rerank_hot_issues(run)
    theme_codes = {str(t) for t in _col(records, "theme_id") if t is not None}
    fine = list(Theme.objects.filter(run=run, code__in=theme_codes))
    broad = Theme.objects.filter(run=run).filter(Q(pk__in=[t.parent_id for t in fine if t.parent_id])
                                                 | Q(pk__in=[t.pk for t in fine if t.level == "broad"]))
    for theme in [*(t for t in fine if t.level != "broad"), *broad]:
        members = results.filter(Q(theme=theme) | Q(theme__parent=theme)) if theme.level == "broad" else \
            results.filter(theme=theme)
        size = _sizes(members)
        Theme.objects.filter(pk=theme.pk).update(n_messages=size["n"], n_users=size["known"] + size["unknown"])


def rerank_hot_issues(run: AnalysisRun) -> None:
    """Sizes, heat and rank of every hot issue of ``run`` again, from its members now, by the engine's formula.

    After an increment the numbers shown change (copies joined issues, time spans grew) and recency is
    measured from the newest suggestion of the campaign, which may now be a new one: the order must follow.
    Likes count once per voice, as the engine counts them: the most any copy of a message (a duplicate group, or
    a form letter) has. Two grouped queries.
    """
    from minsheng.engine.hot_issues import heat_index

    results = SuggestionResult.objects.filter(run=run)
    newest = results.aggregate(t=Max("suggestion__submitted_at"))["t"]
    # People as the engine counts them: distinct authors, each form letter (campaign) once.
    own = Q(form_letter=None)
    stats = {row["hot_issue"]: row for row in results.exclude(hot_issue=None).values("hot_issue").annotate(
        **_size_fields(), own_known=Count(_author(), distinct=True, filter=own),
        own_unknown=Count("id", filter=own & Q(suggestion__author__isnull=True, suggestion__author_name="")),
        letters=Count("form_letter", distinct=True))}
    voices: dict[tuple, int] = {}
    for row in results.exclude(hot_issue=None).filter(suggestion__likes__gt=0).values(
            "hot_issue", "form_letter", "dup_group").annotate(top=Max("suggestion__likes")):
        voice = (row["hot_issue"], row["form_letter"] is None, row["form_letter"] or row["dup_group"])
        voices[voice] = max(voices.get(voice, 0), row["top"])
    likes = Counter()
    for (issue, *_voice), top in voices.items():
        likes[issue] += top
    issues = list(HotIssue.objects.filter(run=run, pk__in=list(stats)))
    for issue in issues:
        row = stats[issue.pk]
        people = row["own_known"] + row["own_unknown"] + row["letters"]
        span = (row["last"] - row["first"]).total_seconds() / 86400 if row["first"] and row["last"] else 0.0
        age = (newest - row["last"]).total_seconds() / 86400 if newest and row["last"] else 0.0
        issue.heat = heat_index(people, likes[issue.pk], 0, span, age)
        issue.n_messages, issue.n_users, issue.time_start, issue.time_end = (
            row["n"], row["known"] + row["unknown"], row["first"], row["last"])
    issues.sort(key=lambda i: (-i.heat, -i.n_messages, i.code))
    for rank, issue in enumerate(issues, start=1):
        issue.rank = rank
    HotIssue.objects.bulk_update(issues, ["heat", "rank", "n_messages", "n_users", "time_start", "time_end"],
                                 batch_size=INSERT_BATCH)


def _route_suggestions(campaign: Campaign, records: pd.DataFrame) -> None:
    """Give routed suggestions their department, except those a person has moved."""
    if "department" not in records.columns:
        return
    by_name = {d.name: d for d in campaign.departments.all()}
    frame = pd.DataFrame({"id": records["id"].astype(int), "department": records["department"]}).dropna()
    for name, part in frame.groupby("department"):
        org = by_name.get(name)
        if org is None:
            continue
        ids = part["id"].tolist()
        due = due_for(campaign, org.pk)  # the department's clock starts when it receives the suggestion
        for start in range(0, len(ids), INSERT_BATCH):
            Suggestion.objects.filter(pk__in=ids[start:start + INSERT_BATCH], department_locked=False).exclude(
                department=org).update(department=org, due_at=due, extended=False, status=Suggestion.status_when_held())
