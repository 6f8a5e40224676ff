"""Imported rows keyed by their own 编号 within the campaign, so a newer export holding an earlier one's rows stores
none of them again. Rows imported before are keyed too, the first of each 编号 only (the copies an earlier
re-import stored stay as they are, unkeyed): the next export is checked against them. Their 渠道 was never kept, so
they are keyed by the 编号 alone, as a file without a 渠道 column is; a row the reader numbered itself (a file
without an 编号 column: import.csv:2) is no 编号 and is not keyed."""

import re

from django.db import migrations, models

# The reader's own number of a row without an 编号: the stored copy's name (import.csv, import_x7Qa2Lp.xlsx, a sheet
# after it), a colon and the row.
OWN_NUMBER = re.compile(r"^import(?:_[A-Za-z0-9]+)?\.[A-Za-z0-9]+.*:\d+$")


def key_imported_rows(apps, schema_editor):
    Suggestion = apps.get_model("consultation", "Suggestion")
    seen, batch = set(), []
    rows = (Suggestion.objects.filter(source="import", external_id__isnull=False).exclude(external_id="")
            .order_by("pk").values_list("pk", "campaign_id", "external_id"))
    for pk, campaign_id, external_id in rows.iterator(chunk_size=5000):
        if OWN_NUMBER.match(external_id) or (campaign_id, external_id) in seen:
            continue
        seen.add((campaign_id, external_id))
        batch.append(Suggestion(pk=pk, source_key=external_id))
        if len(batch) >= 5000:
            Suggestion.objects.bulk_update(batch, ["source_key"])
            batch = []
    Suggestion.objects.bulk_update(batch, ["source_key"])


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
