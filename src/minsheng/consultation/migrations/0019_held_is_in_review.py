"""Suggestions a department already holds and nobody has answered read 办理中, as new ones do from the moment a
department receives them (Suggestion.status_when_held)."""

from django.db import migrations


def held_in_review(apps, schema_editor):
    Suggestion = apps.get_model("consultation", "Suggestion")
    Suggestion.objects.filter(status="received", department__isnull=False).update(status="in_review")


class Migration(migrations.Migration):

    dependencies = [
        ("consultation", "0018_model_names"),
    ]

    operations = [migrations.RunPython(held_in_review, migrations.RunPython.noop)]
