"""Aanvraag meant a join request elsewhere: the record of which outside app filed a melding is
its herkomst (provenance)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0002_dutch_field_labels"),
    ]

    operations = [
        migrations.RenameModel("Aanvraag", "Herkomst"),
        migrations.AlterModelOptions(
            name="herkomst",
            options={
                "verbose_name": "Open311-herkomst",
                "verbose_name_plural": "Open311-herkomsten",
            },
        ),
        migrations.AlterField(
            model_name="herkomst",
            name="client",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="herkomsten",
                to="open311.client",
                verbose_name="Open311-client",
            ),
        ),
    ]
