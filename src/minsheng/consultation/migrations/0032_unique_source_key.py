"""A row's 编号 stored once per campaign: the database decides, for two imports running at once (0031 keyed the rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("consultation", "0031_import_source_key"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.UniqueConstraint(condition=models.Q(("source_key__isnull", False)),
                                               fields=("campaign", "source_key"), name="unique_source_key_per_campaign"),
        ),
    ]
