from django.db import migrations, models

import meldingen.referentie


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0019_referenties_voor_bestaande_meldingen"),
    ]

    operations = [
        migrations.AlterField(
            model_name="melding",
            name="referentie",
            field=models.CharField(
                default=meldingen.referentie.new_melding_reference,
                editable=False,
                max_length=11,
                unique=True,
                verbose_name="referentie",
            ),
        ),
        migrations.AddIndex(
            model_name="melding",
            index=models.Index(
                condition=models.Q(
                    ("overdue_alerted_at", None),
                    ("prioriteit", 3),
                    ("status__in", ("ontvangen", "gerouteerd", "heropend")),
                ),
                fields=["deadline_at"],
                name="melding_overdue_alert",
            ),
        ),
    ]
