"""Analysis runs whose folder retention removed keep their row (history), marked so the pages say so."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consultation", "0024_suggestion_region")]

    operations = [
        migrations.AddField(
            model_name="analysisrun",
            name="files_pruned_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
