"""File imports: preview the column mapping, then take the rows in as a background task.

Rows are keyed by (import, row number) in the database, so a task killed half-way is simply run again:
rows already stored are skipped, nothing is duplicated. Rows the engine's ingest rejects (empty text,
duplicate id, malformed line…) are listed with their row number and reason.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import User
from minsheng.consultation import tasks
from minsheng.consultation.access import require_manager
from minsheng.consultation.intake.clean import LIKES_MAX, needs_moderation
from minsheng.consultation.intake.contact import encrypt_contact
from minsheng.consultation.intake.models import Campaign, ImportJob, Suggestion
from minsheng.consultation.intake.receipts import display_receipt, new_receipt
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import supported_suffix
from minsheng.engine.ingest_headers import ROW_COUNTERS

log = logging.getLogger(__name__)
ROLES = ("id", "text", "time", "date", "user", "channel", "likes", "region")
MAX_LISTED_ERRORS = 500
BATCH_ROWS = 2000


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    mapping: dict
    rows: list[dict]
    skipped: list[dict] = field(default_factory=list)  # rows among the first ones that the import will leave out
    # rows among the first ones whose time cell cannot be read: imported, with the time of import for it
    unreadable_times: list[dict] = field(default_factory=list)
    # a workbook's sheets that will be read, with their rows, and those left out though they name a text column
    sheets: str = ""
    sheets_unread: str = ""
    rows_above: str = ""  # the rows above the header passed over (a title), said
    line_one: str = ""  # line 1 may be data read as names, said while no column holds the text (as the CLI says)
    already: int = 0  # rows of the whole file whose 编号 an earlier import of the campaign stored (Earlier)
    # where most of those rows' text differs: the 编号 may not name the same suggestions, said (they go in as new)
    renumbered: str = ""


def _column_map(mapping: dict):
    """The page's mapping as the reader's: exact, a role set to "none" reads no column (not the one detected)."""
    from minsheng.engine.ingest import ColumnMap

    return ColumnMap(exact=True, id=mapping.get("id") or None, text=tuple(mapping.get("text") or ()),
                     time=mapping.get("time") or None, user=mapping.get("user") or None,
                     channel=mapping.get("channel") or None, date=mapping.get("date") or None,
                     likes=mapping.get("likes") or None, region=_region_column(mapping))


def _region_column(mapping: dict) -> str | None:
    """The column read as the region (the reader's ``region`` role, the partner API's ``region``): none where it is
    a column read as the text already."""
    region = mapping.get("region")
    return region if region and region not in (mapping.get("text") or ()) else None


def _region(rec: dict) -> str:
    """The row's region as written (a phone or an ID number typed into it already masked by the reader)."""
    value = rec.get("region")
    return storable(value.strip())[:100] if isinstance(value, str) else ""


def _within(mapping: dict, headers: list[str]) -> dict:
    """``mapping`` without the columns the file does not have (a stale or hand-made address)."""
    return {role: [h for h in mapping.get("text") or () if h in headers] if role == "text"
            else (mapping.get(role) if mapping.get(role) in headers else None) for role in ROLES}


def import_preview(*, job: ImportJob, rows: int = 8, chosen: dict | None = None) -> Preview:
    """Headers, the mapping (``chosen`` on the page, else the job's, else detected) and the first rows as they
    will be read with it: the owner sees what ticking a column changes before starting the import.

    No row is read while no column holds the text (a header the reader does not know, such as 建议内容): the
    owner is shown the headers to choose from instead of an error with nothing to choose in."""
    from minsheng.engine.ingest import (
        ColumnMap,
        IngestStats,
        check_header_names,
        iter_batches,
        line_one_unknown,
        read_headers,
    )

    path = Path(job.file.path)
    stats = IngestStats()
    try:
        headers = read_headers(path)
        detected = ColumnMap.detect(headers)
        if chosen is None:
            check_header_names(headers, detected.text, job.original_name)
        mapping = _within(chosen, headers) if chosen is not None else job.mapping or {
            "id": detected.id, "text": list(detected.text), "time": detected.time, "date": detected.date,
            "user": detected.user, "channel": detected.channel, "likes": detected.likes, "region": detected.region}
        batch = (next(iter_batches([path], _column_map(mapping), batch_rows=rows, stats=stats,
                                   max_text_chars=settings.SUGGESTION_MAX_CHARS, writers_as_pseudonyms=False), None)
                 if mapping["text"] else None)
        if mapping["text"] and batch is None and not stats.rejects:
            raise InputError("file has no rows", code="no_rows")
        counts = _sheet_rows(job, path, _column_map(mapping), stats.sheets_read)
        already, changed = _already_imported(job, path, mapping) if batch is not None else (0, 0)
    except InputError as exc:
        raise InputError(failure_in_words(exc, file_name=job.original_name)) from None
    sample = [] if batch is None else [
        {"row": int(r["row"]), **_sheet(r["source"]), "id": _shown_id(r["id"], r["source"]), "text": r["text"][:200],
         "time": "" if r["time"] is None or str(r["time"]) == "NaT" else str(r["time"]),
         "user": r["user"] or "", "channel": r["channel"] or "", "region": _region(r)}
        for r in batch.head(rows).to_dict("records")]
    return Preview(headers=headers, mapping=mapping, rows=sample, skipped=_errors(stats)[:rows],
                   unreadable_times=_times(stats)["unreadable_times"][:rows], sheets=_sheets_read(stats, counts),
                   sheets_unread=_sheets_unread(stats), rows_above=_rows_above(stats),
                   line_one=_("第一行的各项都不是系统能识别的列名：如果第一行其实是一行数据（文件没有表头行），请在最上面加一行列名"
                              "（如 编号、内容、时间）后重新上传，否则这一行会被当作列名，不会导入。")
                   if line_one_unknown(headers, mapping["text"]) else "",
                   already=already - changed if _renumbered(already - changed, changed) else already,
                   renumbered=_("{n} 行的编号与本活动此前导入的建议相同，内容却不同，占其中多数：这个文件的编号可能"
                                "并不指同一些建议（如每个文件都从 1 编起）。这些行将作为新建议入库，不会跳过。")
                   .format(n=f"{changed:,}") if _renumbered(already - changed, changed) else "")


def _already_imported(job: ImportJob, path: Path, mapping: dict) -> tuple[int, int]:
    """How many rows of the file, read with ``mapping`` as the import will read it, carry a 编号 an earlier import
    of the campaign stored (:func:`source_key`), and how many of them with another text: the import will skip them
    (or list them, their text changed; or store them as new where most changed, :func:`_renumbered`).
    A pass over the whole file (0.5 CPU-s for 20,000 rows), only where a column is read as the 编号 and the campaign
    has rows keyed so (a campaign's first import is previewed as fast as before), once for the columns it reads."""
    if not mapping.get("id"):
        return 0, 0
    latest = Suggestion.objects.filter(campaign_id=job.campaign_id, source_key__isnull=False).aggregate(m=Max("pk"))["m"]
    if latest is None:
        return 0, 0
    # kept on the job: the preview is asked again at each change of a column (25 CPU-s a pass at 1M rows), and the
    # count changes only with the columns it reads, the file and the rows the campaign keyed since
    asked = [job.file.name, job.sha256, mapping.get("id"), mapping.get("channel"), list(mapping.get("text") or ()),
             latest]
    kept = (job.sheet_rows or {}).get("already")
    if kept and kept["asked"] == asked:
        return tuple(kept["counts"])
    found, changed = _alike_in_file(job, path, mapping)
    job.sheet_rows = {**(job.sheet_rows or {}), "already": {"asked": asked, "counts": [found, changed]}}
    ImportJob.objects.filter(pk=job.pk).update(sheet_rows=job.sheet_rows)
    return found, changed


def _alike_in_file(job: ImportJob, path: Path, mapping: dict) -> tuple[int, int]:
    """:func:`_already_imported`'s pass over the whole file."""
    from minsheng.engine.ingest import IngestStats, iter_batches

    found = changed = 0
    for n, batch in enumerate(iter_batches([path], _column_map(mapping), batch_rows=BATCH_ROWS, stats=IngestStats(),
                                           max_text_chars=settings.SUGGESTION_MAX_CHARS, writers_as_pseudonyms=False)):
        if n == 0 and row_counter(mapping, batch):
            return 0, 0
        same, other = _stored_alike(job, batch.to_dict("records"))
        found, changed = found + same + other, changed + other
    return found, changed


def _stored_alike(job: ImportJob, records: list[dict], texts: list[str] | None = None) -> tuple[int, int]:
    """Of ``records`` (a file's rows), how many carry a 编号 an earlier import of the campaign stored with the same
    text, and how many with another. ``texts``: the rows' texts as stored, else masked here (the preview's)."""
    from minsheng.engine.masking import mask_as_written

    keyed = {}
    for i, rec in enumerate(records):
        if key := source_key(rec):
            keyed[key] = i
    same = other = 0
    keys = list(keyed)
    for start in range(0, len(keys), 1000):
        for key, text in (Suggestion.objects.filter(campaign_id=job.campaign_id, source_key__in=keys[start:start + 1000])
                          .exclude(import_job=job).values_list("source_key", "text")):
            i = keyed[key]
            mine = texts[i] if texts is not None else mask_as_written(storable(records[i]["text"]))[0]
            same, other = (same + 1, other) if mine == text else (same, other + 1)
    return same, other


def _renumbered(same: int, changed: int) -> bool:
    """Most rows of a file whose 编号 an earlier import stored have another text: its 编号 do not name the same
    suggestions (another system's, a numbering begun again), and such rows are no one's correction: stored as new."""
    return changed > same


def row_counter(mapping: dict, batch) -> bool:
    """Whether the column read as the 编号 merely counts the rows: named as a counter (``ingest_headers.ROW_COUNTERS``), or
    its values, in ``batch`` (the file's first rows), are 1, 2, 3… in file order or each row's own number. Each
    export numbers from 1 again: keyed by it, a second file's different rows would read as the first's, changed."""
    column = (mapping.get("id") or "").strip().lower()
    if column in ROW_COUNTERS:
        return True
    ids = [str(v).strip() for v in batch["id"].tolist()]
    if not ids:
        return False
    return (ids == [str(n) for n in range(1, len(ids) + 1)]
            or ids == [str(int(r)) for r in batch["row"].tolist()])


def _sheet_rows(job: ImportJob, path: Path, columns, sheets: list[str]) -> dict:
    """Each sheet's rows (:func:`~minsheng.engine.ingest.rows_by_sheet`), where a workbook's several are
    read or one is left out: a pass over the whole workbook (8 s for 120,000 rows on 12 sheets), kept on the job
    for its file and the sheets read (:func:`_counted`), where the preview is asked again at each change of a
    column and the import counted the rows once more before reading them."""
    from minsheng.engine.ingest import rows_by_sheet

    if not sheets:
        return {}
    counts = _counted(job, sheets)
    if counts is None:
        counts = rows_by_sheet(path, columns)
        job.sheet_rows = {**(job.sheet_rows or {}), "file": job.file.name, "sha256": job.sha256, "sheets": sheets,
                          "rows": [[sheet, n] for sheet, n in counts.items()]}
        ImportJob.objects.filter(pk=job.pk).update(sheet_rows=job.sheet_rows)
    return counts


def _counted(job: ImportJob, sheets: list[str]) -> dict | None:
    """The rows by sheet a preview counted (:func:`_sheet_rows`), where they are of this job's stored file, read
    by the same sheets; else None."""
    kept = job.sheet_rows or {}
    if sheets and kept.get("sheets") == sheets and (kept.get("file"), kept.get("sha256")) == (job.file.name,
                                                                                              job.sha256):
        return {sheet: n for sheet, n in kept["rows"]}
    return None


def _sheets_read(stats, counts: dict) -> str:
    """The sheets of a workbook that will be read and the rows of each, where it has several (the preview's rows
    are the first sheet's only): counted with the mapping chosen, by name, or all under None where one is read."""
    from minsheng.engine.ingest import sheet_of

    names = [sheet_of(source) for source in stats.sheets_read]
    if not names:
        return ""
    rows = [counts.get(name if len(names) > 1 else None, 0) for name in names]
    return _("将读取 {n} 个工作表：{sheets}").format(n=len(names), sheets="、".join(
        _("“{sheet}”{rows} 行").format(sheet=storable(name), rows=f"{count:,}") for name, count in zip(names, rows, strict=True)))


def _sheets_unread(stats, *, done: bool = False) -> str:
    """The later sheets of a workbook left out though their header names a text column: they may hold suggestions,
    and were left out without a word."""
    from minsheng.engine.ingest import sheet_of

    if not stats.sheets_unread:
        return ""
    words = (_("工作表{sheets}的表头与“{read}”不同，虽有建议内容列，未导入：如其中也是建议，请把这些行移到同一表头下，"
               "或把工作表另存为文件后单独导入。") if done else
             _("工作表{sheets}的表头与“{read}”不同，虽有建议内容列，不会导入：如其中也是建议，请把这些行移到同一表头下，"
               "或把工作表另存为文件后单独导入。"))
    return words.format(
        sheets="、".join(f"“{storable(sheet_of(s))}”" for s in stats.sheets_unread),
        read=storable(sheet_of(stats.sheets_read[0])))


def _rows_above(stats, *, done: bool = False) -> str:
    """The rows above the file's header, passed over (a title such as XX区2026年意见征集汇总表): said, for a row of
    suggestions above the header would be left out with them. Masked as a suggestion's text is: the words are kept in
    the import's message after the upload is deleted (a title may carry a contact's phone number)."""
    from minsheng.engine.masking import mask_as_written

    if not stats.rows_above:
        return ""
    _file, rows, words = stats.rows_above[0]
    words = mask_as_written(storable(words))[0]
    return (_("表头上方的 {n} 行（第一行：“{words}”）未作为建议导入。") if done else
            _("表头上方的 {n} 行（第一行：“{words}”）是标题，不会作为建议导入。")).format(n=rows, words=words)


@transaction.atomic
def import_create(*, campaign: Campaign, user: User, upload: UploadedFile) -> ImportJob:
    require_manager(user, campaign)
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise InputError(_("文件过大（上限 {value} MB）").format(value=settings.IMPORT_MAX_BYTES // 2**20), file=upload.name)
    try:
        suffix = supported_suffix(upload.name)
    except InputError as exc:
        raise InputError(in_words(exc.code, exc.params, exc.message), file=upload.name) from None
    fingerprint = hashlib.sha256()
    for chunk in upload.chunks():
        fingerprint.update(chunk)
    job = ImportJob(campaign=campaign, created_by=user, original_name=upload.name[:255], sha256=fingerprint.hexdigest())
    job.file.save(f"import{suffix}", upload, save=False)
    job.full_clean()
    job.save()
    return job


def same_file_imported(job: ImportJob) -> ImportJob | None:
    """The latest earlier import of this campaign whose file had the same bytes and whose rows went in (or are
    going in): a second import stores every row again, and the analysis would count each voice twice."""
    if not job.sha256:
        return None
    return (ImportJob.objects.filter(campaign_id=job.campaign_id, sha256=job.sha256, created_count__gt=0)
            .exclude(pk=job.pk).order_by("-created_at").first()
            or ImportJob.objects.filter(campaign_id=job.campaign_id, sha256=job.sha256,
                                        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
            .exclude(pk=job.pk).order_by("-created_at").first())


def import_start(*, actor: User, job: ImportJob, mapping: dict) -> ImportJob:
    """Fix the mapping and queue the job; the worker picks it up (see :func:`minsheng.consultation.tasks.run_import`)."""
    require_manager(actor, job.campaign)
    if not mapping.get("text"):
        raise InputError(_("请至少选择一列作为建议内容"), field="text")
    job.mapping = {role: mapping.get(role) for role in ROLES}
    # Only a preview starts: one that expired meanwhile (imports_expire) has no file left to import, and one
    # started already (a double click, a second tab) is not started twice. Each is said as it is.
    if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
            mapping=job.mapping, status=ImportJob.Status.QUEUED):
        stored = ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first()
        if stored == ImportJob.Status.EXPIRED:
            raise InputError(_("这个文件已超过保存期限被删除，请重新上传"), code="import_expired")
        if stored is None:
            raise InputError(_("这次导入已被删除，请重新上传"), code="import_gone")
        raise InputError(_("这次导入已经开始，无需再次确认"), code="import_started")
    job.status = ImportJob.Status.QUEUED
    transaction.on_commit(lambda: tasks.enqueue(tasks.run_import, job))
    return job


def import_run(*, job: ImportJob) -> int:
    """Import every row of ``job``'s file; safe to call again after a crash."""
    from minsheng.engine.ingest import IngestStats, count_rows, iter_batches
    from minsheng.engine.normalise import normalise_texts

    path = Path(job.file.path)
    if not path.exists():  # count_rows would raise FileNotFoundError before the reader could say it
        raise InputError("file not found", code="file_not_found")
    stats = IngestStats()
    batches = iter_batches([path], _column_map(job.mapping), batch_rows=BATCH_ROWS, stats=stats,
                           max_text_chars=settings.SUGGESTION_MAX_CHARS, writers_as_pseudonyms=False)
    first = next(batches, None)  # the header read, the sheets read are known: the preview may have counted them
    counted = _counted(job, stats.sheets_read)
    total = sum(counted.values()) if counted is not None else count_rows(path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, total_rows=total, message="")
    processed, earlier = 0, Earlier()
    # a row counter (序号) is no 编号: each export counts from 1 again, and keyed by it a second file's rows would all
    # read as the first's, changed, and be left out
    keyed = bool(job.mapping.get("id")) and first is not None and not row_counter(job.mapping, first)
    alike = [0, 0]  # the rows so far whose 编号 an earlier import stored: with its text, with another (Earlier)
    # A workbook's sheets are numbered from row 1 each: the rows of a later sheet are keyed after the last row
    # stored before it (the same on a second run of the same file), where they collided with the first sheet's.
    source, base, top = None, 0, 0
    for batch in itertools.chain([] if first is None else [first], batches):
        if len(batch) and batch["source"].iat[0] != source:
            source, base = batch["source"].iat[0], top
        written = [storable(t) for t in batch["text"].tolist()]
        screened = normalise_texts(written)[0]  # moderation reads the normalised spelling
        now = timezone.now()
        records = batch.to_dict("records")
        rows = [imported_suggestion(job, rec, text, needs_moderation(plain), now, base)
                for rec, text, plain in zip(records, written, screened, strict=True)]
        if keyed:
            earlier.renumber(job, records, rows, alike)
        else:
            for row in rows:
                row.source_key = None
        top = max([top, *(row.source_row for row in rows)])
        with transaction.atomic():
            Suggestion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        earlier.add(job, records, rows)
        processed += len(rows)
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=processed + len(stats.rejects), error_count=len(stats.rejects) + earlier.changed,
            created_count=Suggestion.objects.filter(import_job=job).count(), errors=_errors(stats, earlier.listed),
            already_imported_count=earlier.same, **_times(stats))
    created = Suggestion.objects.filter(import_job=job).count()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, processed_rows=total, created_count=created,
        error_count=len(stats.rejects) + earlier.changed, errors=_errors(stats, earlier.listed),
        already_imported_count=earlier.same, finished_at=timezone.now(), message=earlier.said() + _unread(stats),
        **_times(stats))
    return created


@dataclass
class Earlier:
    """The rows of a file whose 编号 an earlier import of the campaign stored (:func:`source_key`), which the
    database's unique key kept out: ``same`` counts those stored with the same text (a newer export holds the
    months before it), ``changed`` lists those whose text differs, as rows left out (the suggestion stored is
    neither overwritten nor doubled: which text stands is a person's call)."""

    same: int = 0
    changed: int = 0
    listed: list[tuple[str, int, dict]] = field(default_factory=list)  # the first changed: source, row, entry
    renumbered: int = 0  # rows stored as new, their 编号 an earlier import's with another text, as most were

    def renumber(self, job: ImportJob, records: list[dict], rows: list[Suggestion], alike: list[int]) -> None:
        """Before ``rows`` are stored: where most rows so far whose 编号 an earlier import stored have another text
        (:func:`_renumbered`, ``alike`` the running counts), the 编号 names other suggestions: the batch's rows
        go in unkeyed, as new, counted, rather than left out."""
        same, other = _stored_alike(job, records, [row.text for row in rows])
        alike[0], alike[1] = alike[0] + same, alike[1] + other
        if not other or not _renumbered(*alike):
            return
        stored = dict(Suggestion.objects.filter(campaign_id=job.campaign_id,
                                                source_key__in=[row.source_key for row in rows if row.source_key])
                      .exclude(import_job=job).values_list("source_key", "text"))
        for row in rows:
            if row.source_key in stored and stored[row.source_key] != row.text:
                row.source_key = None
                self.renumbered += 1

    def said(self) -> str:
        if not self.renumbered:
            return ""
        return _("{n} 行的编号与本活动此前导入的建议相同，内容却不同，占其中多数：这个文件的编号可能并不指同一些建议"
                 "（如每个文件都从 1 编起），这些行已作为新建议入库。").format(n=f"{self.renumbered:,}")

    def add(self, job: ImportJob, records: list[dict], rows: list[Suggestion]) -> None:
        keyed = {row.source_key: (rec, row) for rec, row in zip(records, rows, strict=True) if row.source_key}
        if not keyed:
            return
        stored = (Suggestion.objects.filter(campaign_id=job.campaign_id, source_key__in=list(keyed))
                  .exclude(import_job=job).values_list("source_key", "text", "receipt"))
        for key, text, receipt in stored:
            rec, row = keyed[key]
            if text == row.text:
                self.same += 1
                continue
            self.changed += 1
            if len(self.listed) < MAX_LISTED_ERRORS:
                words = _("编号“{id}”此前已导入（回执码 {receipt}），但这一行的内容与之不同：没有导入，原建议也没有改动；"
                          "如这一行是更正，请核对原建议后另行处理")
                self.listed.append((rec["source"], int(rec["row"]), {
                    "row": int(rec["row"]), **_sheet(rec["source"]), "field": "id",
                    "field_label": str(FIELD_WORDS["id"]), "id": row.external_id,
                    "reason": words.format(id=row.external_id, receipt=display_receipt(receipt))}))


def source_key(rec: dict) -> str | None:
    """What keys a row of a file within its campaign (``Suggestion.source_key``): its own 编号, after its 渠道 where
    the file has one (two systems' exports may number alike). None for a row without an 编号 of its own (the
    reader's number, import.csv:2, is no one's): such a row cannot be told from an earlier one, and is stored."""
    own = _shown_id(rec["id"], rec["source"])
    if not own:
        return None
    channel = rec.get("channel")
    channel = storable(channel.strip())[:100] if isinstance(channel, str) else ""
    own = storable(own)[:100]
    return f"{channel}\x1f{own}" if channel else own


def imported_suggestion(job: ImportJob, rec: dict, text: str, held: bool, now, base: int = 0) -> Suggestion:
    """One record of the file as a suggestion: kept as written with personal data masked; a blank cell (None or
    NaN, as pandas leaves it) is an empty name, a missing time is the time of import and missing likes are 0.
    ``base``: the rows stored before its sheet's (its key, ``source_row``, is its row after them)."""
    from minsheng.engine.masking import mask_as_written

    when = rec["time"]
    when = now if when is None or str(when) == "NaT" else timezone.make_aware(when.to_pydatetime())
    user = storable(rec["user"]) if isinstance(rec["user"], str) else ""
    return Suggestion(
        campaign=job.campaign, source=Suggestion.Source.IMPORT, import_job=job, source_row=base + int(rec["row"]),
        external_id=storable(str(rec["id"]))[:100], source_key=source_key(rec), receipt=new_receipt(), text=mask_as_written(text)[0],
        submitted_at=when, received_at=now, author_name=mask_as_written(user)[0][:100],
        contact_encrypted=encrypt_contact(""), region=_region(rec), likes=min(int(rec.get("likes") or 0), LIKES_MAX),
        status=Suggestion.Status.HELD if held else Suggestion.Status.RECEIVED)


def storable(value: str) -> str:
    """``value`` without what PostgreSQL cannot store in text: NUL bytes (a damaged export) are dropped, lone
    surrogates (a JSON escape such as \\ud800) become U+FFFD. The partner API refuses such items so the partner can
    fix them; a file's row is kept, since neither is anything a reader sees."""
    from minsheng.engine.ingest import LONE_SURROGATE

    return LONE_SURROGATE.sub("\ufffd", value.replace("\x00", ""))


def import_unreadable(job: ImportJob, message: str) -> None:
    """A file the preview cannot read at all (not a mapping the owner may still change): the job has failed, with
    ``message``. Left 待确认 it stayed on the campaign page as awaiting a confirmation nobody could give, and its
    upload, every row unmasked, stayed on disk."""
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now())
    import_delete_upload(job)
    job.refresh_from_db()


def imports_expire(*, now: datetime | None = None) -> list[int]:
    """Remove the files uploaded more than ``IMPORT_PREVIEW_KEEP_DAYS`` ago whose import was previewed but never
    started (ASVS 8.3.8): each holds every row of an export unmasked, and nothing else would ever remove it. The
    import stays, 已过期, saying why; its campaign, its suggestions and every other import are untouched. Safe to
    run as often as you like; returns the imports expired now."""
    now = now or timezone.now()
    days = settings.IMPORT_PREVIEW_KEEP_DAYS
    message = _("文件上传后 {days} 天内没有开始导入，已按保存期限删除。需要导入时请重新上传。").format(days=days)
    expired = []
    stale = ImportJob.objects.filter(status=ImportJob.Status.PREVIEW, created_at__lt=now - timedelta(days=days))
    for job in stale.order_by("pk"):
        # Conditional, so an import started at this moment (import_start) keeps its file.
        if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
                status=ImportJob.Status.EXPIRED, message=message, finished_at=now):
            import_delete_upload(job)
            expired.append(job.pk)
    return expired


def import_delete_upload(job: ImportJob) -> None:
    """The uploaded file holds every row unmasked: once its rows are in (or it failed), it is removed."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


# The engine speaks English to the command line and names each problem with a code and the values its message
# quotes; an import page says the same in Chinese. One file is imported at a time, so the stored copy's name
# ("import.csv") is never shown: the person's file is meant.
ENGINE_WORDS = {
    "empty_text": gettext_lazy("内容为空"),
    "header_row": gettext_lazy("这一行是表头（几个文件拼接在一起？），不是建议"),
    "total_row": gettext_lazy("这一行是合计行，不是建议"),
    "text_too_long": gettext_lazy("内容有 {chars:,} 个字，超过上限 {limit:,} 个字"),
    "duplicate_id": gettext_lazy("编号“{id}”重复（{first}已用过）"),
    "duplicate_id_other_text": gettext_lazy("编号“{id}”已用于{first}，但两行内容不同：这一行没有导入，请给它另一个编号后再导入"),
    "wrong_field_count": gettext_lazy("列数不对：应为 {expected} 列，这一行有 {saw} 列（文件第 {line} 行）"),
    "bad_line": gettext_lazy("这一行无法读取（文件第 {line} 行）"),
    "malformed_json": gettext_lazy("不是合法的 JSON（第 {column} 列附近）"),
    "malformed_json_array": gettext_lazy("JSON 数组中这一项不完整或格式有误"),
    "json_too_deep": gettext_lazy("JSON 嵌套超过 {limit} 层，不是一条条建议：请导出为每项一个对象的数组或 JSONL"),
    "json_not_object": gettext_lazy("这一行不是 JSON 对象（应以花括号括起）"),
    "json_several_lists": gettext_lazy("这个 JSON 对象中有多个列表（{lists}），无法确定哪个是建议：请只导出建议的列表，或导出为 JSON 数组"),
    "encoding_unknown": gettext_lazy("无法识别文件的编码，请另存为 UTF-8（或 GB18030/GBK）后重新上传"),
    "not_text": gettext_lazy("这不是文本文件（可能是改了扩展名的 Excel 工作簿或压缩包）：Excel 工作簿请以 .xlsx 文件上传，其他文件请另存为 CSV（UTF-8）后重新上传"),
    "web_page": gettext_lazy("这是网页（HTML）或 XML 格式的文件，不是 Excel 工作簿或 CSV（有些系统“导出 Excel”时生成这种文件）：请用 Excel 或 WPS 打开后另存为 .xlsx 再上传"),
    "encoding_invalid": gettext_lazy("文件中有不符合 {encoding} 编码的字符，请另存为 UTF-8 后重新上传"),
    "file_empty": gettext_lazy("文件是空的"),
    "is_folder": gettext_lazy("这是一个文件夹，不是文件：请选择其中的文件"),
    "file_not_found": gettext_lazy("找不到上传的文件，请重新上传"),
    "unsupported_type": gettext_lazy("不支持的文件类型（支持 {kinds}）"),
    "no_header": gettext_lazy("文件没有表头行"),
    "header_empty": gettext_lazy("文件第一行（表头）没有列名，而下一行已是数据（表格粘贴在空白表头行下面？）：请在第一行填上列名（如 编号、内容、时间）后重新上传"),
    "no_rows": gettext_lazy("文件没有数据行"),
    "formulas_unsaved": gettext_lazy("建议内容列“{column}”每一行都是空的：工作簿中有 {count} 个单元格是没有保存计算结果的公式（由程序生成、未在 Excel 中打开保存过），请用 Excel 或 WPS 打开并保存后重新上传"),
    "text_column_empty": gettext_lazy("建议内容列“{column}”每一行都是空的，请在列对应中选择写有建议内容的列"),
    "header_is_data": gettext_lazy("文件第一行看起来是数据而不是列名（缺少表头行？）：请在最上面加一行列名（如 编号、内容、时间）后重新上传"),
    "no_text_column": gettext_lazy("没有找到建议内容所在的列，请在列对应中选择"),
    "column_not_found": gettext_lazy("找不到列“{column}”"),
    "xlsx_unreadable": gettext_lazy("无法读取这个 Excel 文件（可能已损坏、为空或过大），请另存后重新上传"),
    "parquet_unreadable": gettext_lazy("无法读取这个 Parquet 文件"),
    "serial_days_in_text": gettext_lazy("时间列“{column}”中的 {value} 是一个数字，只有 Excel 工作簿里的数字才表示日期：请把时间写成日期（如 2020-08-16 10:00），或另存为 XLSX 后重新上传"),
    "ids_rounded": gettext_lazy("编号列“{column}”中的 {value} 是 Excel 以科学计数法显示后保存的长编号，末尾数字已丢失，不同留言会共用一个编号：请在 Excel 中把这一列设为文本格式后重新保存上传"),
    "unparseable": gettext_lazy("无法按 {format} 格式读取这个文件，请检查分隔符和引号"),
}
FIELD_WORDS = {"text": gettext_lazy("内容"), "id": gettext_lazy("编号"), "time": gettext_lazy("时间"), "user": gettext_lazy("用户"), "*": gettext_lazy("整行")}


def in_words(code: str, params: dict | None, message: str) -> str:
    """An engine problem in Chinese: by its code, else ``message`` as it is (the platform's own are Chinese)."""
    words = ENGINE_WORDS.get(code)
    return str(words).format(**(_first_named(params) or {})) if words is not None else message


def failure_in_words(exc: InputError, *, file_name: str) -> str:
    """A file that cannot be imported at all: which file, where, and why, in one Chinese line."""
    where = "".join([_("第 {row} 行").format(row=exc.row) if exc.row is not None else "",
                     _("“{value}”列").format(value=FIELD_WORDS.get(exc.field, exc.field)) if exc.field else ""])
    return f"{file_name}{'（' + where + '）' if where else ''}：{in_words(exc.code, exc.params, exc.message)}"


def _shown_id(row_id, source: str) -> str:
    """A row's own id; without an id column the reader numbers rows by the stored copy's name (import_x7Q.csv:2),
    which is nobody's name for the file: shown blank, the row number says which row it is."""
    return "" if row_id is None or str(row_id).startswith(f"{source}:") else str(row_id)


def _times(stats) -> dict:
    """The rows imported with the time of import for the time they were written at: how many, and which."""
    return {"unreadable_time_count": stats.bad_times,
            "unreadable_times": [{"row": row, "value": storable(value), **_sheet(source)}
                                 for source, row, value in stats.bad_time_rows[:MAX_LISTED_ERRORS]]}


def _sheet(source: str) -> dict:
    """The sheet a listed row is on, where a workbook's several sheets were read (each numbers its rows from 1)."""
    from minsheng.engine.ingest import sheet_of

    return {"sheet": storable(sheet)} if (sheet := sheet_of(source)) else {}


def _row_words(source: str, row: int) -> str:
    """A row as the page names it: its sheet's too where a workbook's several sheets are read (each from row 1)."""
    sheet = _sheet(source).get("sheet")
    return _("工作表“{sheet}”第 {row} 行").format(sheet=sheet, row=row) if sheet else _("第 {row} 行").format(row=row)


def _unread(stats, listed: int = 10) -> str:
    """What the import read as nothing, in a line: a workbook's formulas without saved values (read as empty cells),
    and the rows imported with 0 likes because theirs was no number (很多, 若干), the first by row. Both were
    imported without a word."""
    formulas = _("工作簿中有 {n} 个单元格是没有保存计算结果的公式（由程序生成、未在 Excel 中打开保存过），已按空白导入："
                 "请用 Excel 或 WPS 打开并保存后重新导入。").format(n=f"{stats.formulas_unread:,}") if stats.formulas_unread else ""
    formulas = _rows_above(stats, done=True) + _sheets_unread(stats, done=True) + formulas
    if not stats.bad_likes:
        return formulas
    rows = "、".join(_row_words(source, row) for source, row, _value in stats.bad_like_rows[:listed])
    return formulas + _("有 {n} 行的点赞数不是数字（如“{value}”），已按 0 导入：{rows}{more}").format(
        n=f"{stats.bad_likes:,}", value=storable(stats.bad_like_rows[0][2]), rows=rows,
        more=_("等") if stats.bad_likes > listed else "")


def _errors(stats, earlier: list[tuple[str, int, dict]] = ()) -> list[dict]:
    """The first rows left out, listed in the file's order (the reader finds a batch's empty texts before its
    duplicate ids: row 3 was listed above row 2), those an earlier import stored with another text among them
    (:class:`Earlier`)."""
    listed = [(r.source, r.row, {
        "row": r.row, **_sheet(r.source), "field": r.field, "field_label": str(FIELD_WORDS.get(r.field, r.field)),
        "id": storable(_shown_id(r.id, r.source)),  # kept as JSON: PostgreSQL refuses \u0000 there too
        "reason": storable(in_words(r.code, r.params, r.reason))}) for r in stats.rejects[:MAX_LISTED_ERRORS]]
    listed += earlier
    sources = dict.fromkeys([*stats.sheets_read, *(source for source, _row, _entry in listed)])  # sheets in order
    order = {source: at for at, source in enumerate(sources)}
    return [entry for _source, _row, entry in sorted(listed, key=lambda e: (order[e[0]], e[1]))[:MAX_LISTED_ERRORS]]


def _first_named(params: dict | None) -> dict | None:
    """A duplicate id's words name the row that first used it with its sheet (第 2 行 was on which sheet?)."""
    if params and "first_row" in params:
        return {**params, "first": _row_words(params.get("first_file", ""), params["first_row"])}
    return params
