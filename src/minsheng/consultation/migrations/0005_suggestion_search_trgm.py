"""Trigram (pg_trgm) GIN indexes for the substring search over suggestions, on PostgreSQL only.

The search (``selectors_analysis.suggestions_search``) filters with ``text LIKE '%词%' OR title LIKE '%词%'``;
pg_trgm's GIN operator class answers such a LIKE from the index when the word has three or more
characters. It indexes Chinese characters only when the database's LC_CTYPE classifies them as letters
(C.UTF-8, zh_CN.UTF-8, en_US.UTF-8 do; plain "C" does not, and the index then finds nothing to use):
``tests/web/consultation/test_search_index.py`` checks ``show_trgm('噪音扰民')``.

SQLite has no such index; the migration does nothing there.
"""

from django.db import migrations

INDEXES = {
    "consultation_suggestion_text_trgm": "text",
    "consultation_suggestion_title_trgm": "title",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON consultation_suggestion USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0004_suggestion_counts'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
