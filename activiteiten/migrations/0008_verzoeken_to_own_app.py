"""Faciliteringsverzoeken move to their own app, ``verzoeken``, keeping every row.

Here the three models leave activiteiten's state and their tables are renamed to the names
Django gives them in the new app (``verzoeken_*``); ``verzoeken/migrations/0001_initial.py``
takes them into its state without touching the database, and moves their content types (and so
their permissions and admin log entries) along."""

from django.db import migrations

MOVED = ["verzoekhistorie", "verzoek", "stilzwijgendregel"]  # history first: it points to verzoek


class Migration(migrations.Migration):
    dependencies = [("activiteiten", "0007_dutch_field_labels")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=name, table=f"verzoeken_{name}") for name in MOVED
            ],
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
        )
    ]
