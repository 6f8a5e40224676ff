"""SuggestionResult's theme, form letter, hot issue and digest keys indexed, each on its own rows: PostgreSQL's
foreign-key check, once per item deleted with a run or when a full run's tables are replaced, looks up ``key = $1``
by reading a whole (run, key) index; with two runs of 200,000 results a run's deletion took
3.1 s, 0.9 s with these (inserting a run's results: 3.3 -> 4.4 s)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0027_region_count_item_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='suggestionresult',
            index=models.Index(condition=models.Q(('theme__isnull', False)), fields=['theme'], name='result_theme'),
        ),
        migrations.AddIndex(
            model_name='suggestionresult',
            index=models.Index(condition=models.Q(('form_letter__isnull', False)), fields=['form_letter'], name='result_form_letter'),
        ),
        migrations.AddIndex(
            model_name='suggestionresult',
            index=models.Index(condition=models.Q(('hot_issue__isnull', False)), fields=['hot_issue'], name='result_hot_issue'),
        ),
        migrations.AddIndex(
            model_name='suggestionresult',
            index=models.Index(condition=models.Q(('digest__isnull', False)), fields=['digest'], name='result_digest'),
        ),
    ]
