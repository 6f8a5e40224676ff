"""A run's letters counted per region (地区), in all and per fine theme, hot issue and digest suggestion, so a
large district's pages read stored counts instead of joining its letters to all the run's results. The runs
analysed before are counted here, as a run's load counts its own."""

import django.db.models.deletion
from django.db import migrations, models


def count_earlier_runs(apps, schema_editor):
    """Count each run that has results with this migration's historical models and its own copy of the counting
    (:func:`_region_count_rows`), not the app's: a later change to ``analysis/regions.py`` or its models leaves
    what this migration does as it was."""
    run_model, count_model = (
        apps.get_model("consultation", "AnalysisRun"),
        apps.get_model("consultation", "RegionCount"),
    )
    results, members = (
        apps.get_model("consultation", "SuggestionResult"),
        apps.get_model("consultation", "DigestMember"),
    )
    with_results = models.Exists(results.objects.filter(run=models.OuterRef("pk")))
    for run in run_model.objects.filter(with_results).order_by("pk"):
        count_model.objects.bulk_create(
            [count_model(run=run, **row) for row in _region_count_rows(run, results, members)],
            batch_size=5_000,
        )


def _region_count_rows(run, results_model, members_model):
    """The run's counts as ``regions.write_region_counts`` wrote them when this migration was written (frozen
    here): per region, in all, per fine theme, per hot issue, and per digest suggestion (its members), the run's
    campaign's letters only."""
    regioned = {"suggestion__campaign_id": run.campaign_id, "suggestion__region__gt": ""}
    results = results_model.objects.filter(run_id=run.pk, **regioned)
    for region, n in results.values_list("suggestion__region").annotate(n=models.Count("*")).order_by():
        yield {"region": region, "n": n}
    for field in ("theme", "hot_issue"):
        grouped = (
            results.exclude(**{field: None})
            .values_list("suggestion__region", field)
            .annotate(n=models.Count("*"))
        )
        for region, item, n in grouped.order_by():
            yield {"region": region, f"{field}_id": item, "n": n}
    members = members_model.objects.filter(digest__run_id=run.pk, **regioned)
    for region, item, n in (
        members.values_list("suggestion__region", "digest").annotate(n=models.Count("*")).order_by()
    ):
        yield {"region": region, "digest_id": item, "n": n}


class Migration(migrations.Migration):
    dependencies = [("consultation", "0025_run_files_pruned")]

    operations = [
        migrations.CreateModel(
            name="RegionCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("region", models.CharField(max_length=100)),
                ("n", models.PositiveIntegerField()),
                (
                    "digest",
                    models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="region_counts",
                        to="consultation.digestsuggestion",
                    ),
                ),
                (
                    "hot_issue",
                    models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="region_counts",
                        to="consultation.hotissue",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="region_counts",
                        to="consultation.analysisrun",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="region_counts",
                        to="consultation.theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "地区计数",
                "verbose_name_plural": "地区计数",
                "indexes": [models.Index(fields=["run", "region"], name="region_count_run_region")],
            },
        ),
        migrations.RunPython(count_earlier_runs, migrations.RunPython.noop),
    ]
