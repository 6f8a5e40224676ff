"""RegionCount's theme, hot issue and digest keys indexed, each on its own rows: deleting a run or replacing its
tables looked up each deleted item's counts by reading the whole table (PostgreSQL's foreign-key check, once per
item), 151 s for a run's deletion among five runs of 62,000 rows, 0.5 s with these."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0026_region_counts'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='regioncount',
            index=models.Index(condition=models.Q(('theme__isnull', False)), fields=['theme'], name='region_count_theme'),
        ),
        migrations.AddIndex(
            model_name='regioncount',
            index=models.Index(condition=models.Q(('hot_issue__isnull', False)), fields=['hot_issue'], name='region_count_hot_issue'),
        ),
        migrations.AddIndex(
            model_name='regioncount',
            index=models.Index(condition=models.Q(('digest__isnull', False)), fields=['digest'], name='region_count_digest'),
        ),
    ]
