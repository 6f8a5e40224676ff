"""Imported rows keyed by their own 编号 within the campaign, so a newer export holding an earlier one's rows stores
none of them again. Rows imported before are keyed too, the first of each 编号 only (the copies an earlier
re-import stored stay as they are, unkeyed): the next export is checked against them. Their 渠道 was never kept, so
they are keyed by the 编号 alone, as a file without a 渠道 column is; a row the reader numbered itself (a file
without an 编号 column: import.csv:2) is no 编号 and is not keyed, nor are an import's rows whose 编号 was a row
counter (序号, or numbers exactly 1..n): each export counts from 1 again. One UPDATE statement, so the table lock is
held for the database's time, not Python's."""

from django.db import migrations, models
from django.db.models import Count, F, Max, Min, Q, Subquery
from django.db.models.functions import Cast

# The reader's own number of a row without an 编号: the stored copy's name (import.csv, import_x7Qa2Lp.xlsx, a sheet
# after it), a colon and the row.
OWN_NUMBER = r"^import(_[A-Za-z0-9]+)?[.][A-Za-z0-9]+.*:[0-9]+$"
# A row counter's column names (engine.ingest_headers.ROW_COUNTERS, as they were): each export counts from 1 again
ROW_COUNTERS = ("序号", "行号", "no.", "no", "#", "row", "row_no", "序")
DIGITS = r"^[0-9]{1,15}$"


def counted_jobs(ImportJob, Suggestion) -> list[int]:
    """The imports whose 编号 was a row counter: its column named as one, or its rows' numbers exactly 1..n."""
    named = [pk for pk, mapping in ImportJob.objects.values_list("pk", "mapping")
             if str((mapping or {}).get("id") or "").strip().lower() in ROW_COUNTERS]
    digits = Q(external_id__regex=DIGITS)
    numbers = (Suggestion.objects.filter(source="import", import_job__isnull=False).order_by().values("import_job_id")
               .annotate(rows=Count("pk"), numbered=Count("pk", filter=digits),
                         low=Min(Cast("external_id", models.BigIntegerField()), filter=digits),
                         high=Max(Cast("external_id", models.BigIntegerField()), filter=digits)))
    return named + [n["import_job_id"] for n in numbers if n["rows"] == n["numbered"] and n["low"] == 1
                    and n["high"] == n["rows"]]


def key_imported_rows(apps, schema_editor):
    """One UPDATE (the table is locked while the migration runs): the first row of each campaign's 编号."""
    Suggestion = apps.get_model("consultation", "Suggestion")
    ImportJob = apps.get_model("consultation", "ImportJob")
    numbered = (Suggestion.objects.filter(source="import", external_id__isnull=False).exclude(external_id="")
                .exclude(external_id__regex=OWN_NUMBER).exclude(import_job_id__in=counted_jobs(ImportJob, Suggestion)))
    first = numbered.order_by().values("campaign_id", "external_id").annotate(first=Min("pk")).values("first")
    Suggestion.objects.filter(pk__in=Subquery(first)).update(source_key=F("external_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("consultation", "0030_importjob_sheet_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="already_imported_count",
            field=models.PositiveIntegerField(default=0, verbose_name="此前已导入行数"),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="source_key",
            field=models.CharField(blank=True, editable=False, max_length=210, null=True, verbose_name="来源编号"),
        ),
        # the constraint in a migration of its own: PostgreSQL alters no table with updates of it pending
        migrations.RunPython(key_imported_rows, migrations.RunPython.noop),
    ]
