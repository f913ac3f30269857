"""Team tokens moved to the ``teamapi`` app (``teamapi.0001_feedtoken_from_meldingen`` takes the
model over). The rows stay where they are: only the table is renamed, to the name Django gives
``teamapi``'s model."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0014_single_line_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="feedtoken", table="teamapi_feedtoken"),
            ],
            state_operations=[migrations.DeleteModel(name="FeedToken")],
        ),
    ]
