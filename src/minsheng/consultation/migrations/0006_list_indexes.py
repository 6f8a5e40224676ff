"""Indexes in page order for an officer's inbox, and a partial one for suggestions held for moderation."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0005_suggestion_search_bigrams'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='suggestion',
            name='consultatio_departm_5dae3f_idx',
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['department', 'campaign', 'received_at', 'id'], name='suggestion_inbox_order'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('status', 'held')), fields=['campaign', 'received_at', 'id'], name='suggestion_held'),
        ),
    ]
