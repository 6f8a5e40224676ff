"""File imports: preview the column mapping, then take the rows in as a background task.

Rows are keyed by (import, row number) in the database, so a task killed half-way is simply run again:
rows already stored are skipped, nothing is duplicated. Rows the engine's ingest rejects (empty text,
duplicate id, malformed line…) are listed with their row number and reason.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import User
from minsheng.consultation import tasks
from minsheng.consultation.access import require_manager
from minsheng.consultation.intake.clean import needs_moderation
from minsheng.consultation.intake.contact import encrypt_contact
from minsheng.consultation.intake.models import Campaign, ImportJob, Suggestion
from minsheng.consultation.intake.receipts import new_receipt
from minsheng.engine.errors import InputError

log = logging.getLogger(__name__)
ROLES = ("id", "text", "time", "user", "channel")
MAX_LISTED_ERRORS = 500
BATCH_ROWS = 2000


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    mapping: dict
    rows: list[dict]


def _column_map(mapping: dict):
    from minsheng.engine.ingest import ColumnMap

    return ColumnMap(id=mapping.get("id") or None, text=tuple(mapping.get("text") or ()),
                     time=mapping.get("time") or None, user=mapping.get("user") or None,
                     channel=mapping.get("channel") or None)


def import_preview(*, job: ImportJob, rows: int = 8) -> Preview:
    """Headers, the detected (or chosen) mapping and the first rows as they will be read."""
    from minsheng.engine.ingest import ColumnMap, iter_batches, read_headers

    path = Path(job.file.path)
    try:
        headers = read_headers(path)
        detected = ColumnMap.detect(headers)
        mapping = job.mapping or {"id": detected.id, "text": list(detected.text), "time": detected.time,
                                  "user": detected.user, "channel": detected.channel}
        batch = next(iter_batches([path], _column_map(mapping), batch_rows=rows), None)
    except InputError as exc:
        raise InputError(in_words(exc.message), file=job.original_name, row=exc.row, field=exc.field) from None
    sample = [] if batch is None else [
        {"row": int(r["row"]), "id": r["id"], "text": r["text"][:200],
         "time": "" if r["time"] is None or str(r["time"]) == "NaT" else str(r["time"]),
         "user": r["user"] or "", "channel": r["channel"] or ""}
        for r in batch.head(rows).to_dict("records")]
    return Preview(headers=headers, mapping=mapping, rows=sample)


@transaction.atomic
def import_create(*, campaign: Campaign, user: User, upload: UploadedFile) -> ImportJob:
    require_manager(user, campaign)
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise InputError(_("文件过大（上限 {value} MB）").format(value=settings.IMPORT_MAX_BYTES // 2**20), file=upload.name)
    suffix = Path(upload.name).suffix.lower()
    if suffix not in {".csv", ".tsv", ".tab", ".xlsx", ".jsonl", ".ndjson", ".json", ".parquet"}:
        raise InputError(_("不支持的文件类型（支持 CSV、TSV、XLSX、JSONL、Parquet）"), file=upload.name)
    job = ImportJob(campaign=campaign, created_by=user, original_name=upload.name[:255])
    job.file.save(f"import{suffix}", upload, save=False)
    job.full_clean()
    job.save()
    return job


def import_start(*, actor: User, job: ImportJob, mapping: dict) -> ImportJob:
    """Fix the mapping and queue the job; the worker picks it up (see :func:`minsheng.consultation.tasks.run_import`)."""
    require_manager(actor, job.campaign)
    if not mapping.get("text"):
        raise InputError(_("请至少选择一列作为建议内容"), field="text")
    with transaction.atomic():
        job.mapping = {role: mapping.get(role) for role in ROLES}
        job.status = ImportJob.Status.QUEUED
        job.save(update_fields=["mapping", "status"])
    transaction.on_commit(lambda: tasks.enqueue(tasks.run_import, job))
    return job


def import_run(*, job: ImportJob) -> int:
    """Import every row of ``job``'s file; safe to call again after a crash."""
    from minsheng.engine.ingest import IngestStats, count_rows, iter_batches
    from minsheng.engine.masking import mask_as_written
    from minsheng.engine.normalise import normalise_texts

    path = Path(job.file.path)
    total = count_rows(path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, total_rows=total, message="")
    stats = IngestStats()
    processed = 0
    for batch in iter_batches([path], _column_map(job.mapping), batch_rows=BATCH_ROWS, stats=stats,
                              max_text_chars=settings.SUGGESTION_MAX_CHARS):
        written = batch["text"].tolist()
        screened = normalise_texts(written)[0]  # moderation reads the normalised spelling
        now = timezone.now()
        rows = []
        for rec, text, plain in zip(batch.to_dict("records"), written, screened, strict=True):
            text = mask_as_written(text)[0]  # kept and shown as written, personal data masked
            when = rec["time"]
            when = now if when is None or str(when) == "NaT" else timezone.make_aware(when.to_pydatetime())
            rows.append(Suggestion(
                campaign=job.campaign, source=Suggestion.Source.IMPORT, import_job=job, source_row=int(rec["row"]),
                external_id=str(rec["id"])[:100], receipt=new_receipt(), text=text, submitted_at=when,
                received_at=now, author_name=mask_as_written(rec["user"] or "")[0][:100],
                contact_encrypted=encrypt_contact(""),
                region="",
                status=Suggestion.Status.HELD if needs_moderation(plain) else Suggestion.Status.RECEIVED))
        with transaction.atomic():
            Suggestion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        processed += len(rows)
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=processed + len(stats.rejects), error_count=len(stats.rejects),
            created_count=Suggestion.objects.filter(import_job=job).count(), errors=_errors(stats))
    created = Suggestion.objects.filter(import_job=job).count()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, processed_rows=total, created_count=created, error_count=len(stats.rejects),
        errors=_errors(stats), finished_at=timezone.now())
    return created


def import_delete_upload(job: ImportJob) -> None:
    """The uploaded file holds every row unmasked: once its rows are in (or it failed), it is removed."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


# The engine speaks English to the command line; an import page says the same in Chinese. One file is
# imported at a time, so the stored copy's name ("import.csv") is never shown: the person's file is meant.
ENGINE_WORDS = [
    (r"^empty text$", gettext_lazy("内容为空")),
    (r"^text has ([\d,]+) characters, more than the limit of ([\d,]+)$", gettext_lazy(r"内容有 \1 个字，超过上限 \2 个字")),
    (r"^duplicate id '(.*)' \(first at .* row (\d+)\)$", gettext_lazy(r"编号“\1”重复（第 \2 行已用过）")),
    (r"^wrong number of fields: expected (\d+) fields?, saw (\d+) \(line (\d+) of the file\)$",
     gettext_lazy(r"列数不对：应为 \1 列，这一行有 \2 列（文件第 \3 行）")),
    (r"^malformed JSON: .* at column (\d+)$", gettext_lazy(r"不是合法的 JSON（第 \1 列附近）")),
    (r"^unknown text encoding", gettext_lazy("无法识别文件的编码，请另存为 UTF-8（或 GB18030/GBK）后重新上传")),
    (r"^text is not valid (\S+?)[ :]", gettext_lazy(r"文件中有不符合 \1 编码的字符，请另存为 UTF-8 后重新上传")),
    (r"^file is empty$", gettext_lazy("文件是空的")),
    (r"^file has no header row$", gettext_lazy("文件没有表头行")),
    (r"^file has (a header but )?no rows$", gettext_lazy("文件没有数据行")),
    (r"^no text column found", gettext_lazy("没有找到建议内容所在的列，请在列对应中选择")),
    (r"^column '(.*)' not found", gettext_lazy(r"找不到列“\1”")),
    (r"^(not a readable XLSX|workbook|first sheet)", gettext_lazy("无法读取这个 Excel 文件（可能已损坏、为空或过大），请另存后重新上传")),
    (r"^not a readable Parquet", gettext_lazy("无法读取这个 Parquet 文件")),
    (r"^cannot parse as (CSV|TSV)", gettext_lazy(r"无法按 \1 格式读取这个文件，请检查分隔符和引号")),
]
FIELD_WORDS = {"text": gettext_lazy("内容"), "id": gettext_lazy("编号"), "time": gettext_lazy("时间"), "user": gettext_lazy("用户"), "*": gettext_lazy("整行")}


def in_words(message: str) -> str:
    """An engine message in Chinese (the English one when it is new to this table)."""
    for pattern, words in ENGINE_WORDS:
        if re.search(pattern, message):
            return re.sub(pattern + (".*" if not pattern.endswith("$") else ""), str(words), message, count=1, flags=re.S)
    return message


def failure_in_words(exc: InputError, *, file_name: str) -> str:
    """A file that cannot be imported at all: which file, where, and why, in one Chinese line."""
    where = "".join([_("第 {row} 行").format(row=exc.row) if exc.row is not None else "",
                     _("“{value}”列").format(value=FIELD_WORDS.get(exc.field, exc.field)) if exc.field else ""])
    return f"{file_name}{'（' + where + '）' if where else ''}：{in_words(exc.message)}"


def _errors(stats) -> list[dict]:
    return [{"row": r.row, "field": r.field, "field_label": str(FIELD_WORDS.get(r.field, r.field)), "id": r.id,
             "reason": in_words(r.reason)} for r in stats.rejects[:MAX_LISTED_ERRORS]]
