from django.db import migrations, models


class Migration(migrations.Migration):
    """The reference a reporter quotes, empty at first (0019 fills it, 0020 requires it), and
    when the team was alerted about a high-priority melding past its deadline."""

    dependencies = [
        ("meldingen", "0017_melding_zoektekst_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="melding",
            name="overdue_alerted_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="team gewaarschuwd (termijn verstreken)",
            ),
        ),
        migrations.AddField(
            model_name="melding",
            name="referentie",
            field=models.CharField(
                editable=False, max_length=11, null=True, verbose_name="referentie"
            ),
        ),
    ]
