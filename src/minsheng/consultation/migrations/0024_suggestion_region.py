"""检索 filters by the region (地区) an imported file or a partner gave: a partial index, so suggestions without a
region cost nothing to keep."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consultation", "0023_moves_in_record")]

    operations = [
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(condition=models.Q(region__gt=""), fields=["campaign", "region"],
                               name="suggestion_region"),
        ),
    ]
