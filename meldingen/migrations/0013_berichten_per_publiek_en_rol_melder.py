"""Two messages per status change (to all reporters, to the first reporter only) and the
reporter as a role in the history, never as a user.

Messages written before were typed into a field labelled "bericht aan de melder", yet reached
everyone who said "ik ook": they move to the first reporter's field, what their authors meant.
History rows that name a reporter (a resident reopening with "niet opgelost") lose the user and
keep the role."""

from django.db import migrations, models
from django.db.models import F, Q


def split_messages_and_unname_reporters(apps, schema_editor):
    StatusWijziging = apps.get_model("meldingen", "StatusWijziging")
    StatusWijziging.objects.exclude(terugkoppeling="").update(
        bericht_eerste_melder=F("terugkoppeling"), terugkoppeling=""
    )
    StatusWijziging.objects.filter(
        Q(door__role="bewoner") | Q(door__meldingen_gemeld__melding=F("melding"))
    ).update(door=None, door_rol="melder")


def join_messages(apps, schema_editor):
    """Back: one field again; the reporter's name is not restored (it was never needed)."""
    StatusWijziging = apps.get_model("meldingen", "StatusWijziging")
    StatusWijziging.objects.filter(terugkoppeling="").update(
        terugkoppeling=F("bericht_eerste_melder")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0012_delete_kennisgeving"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuswijziging",
            name="bericht_eerste_melder",
            field=models.TextField(
                blank=True,
                help_text="Leest alleen wie de melding deed; buren die 'Ik ook' zeiden niet.",
                max_length=1000,
                verbose_name="bericht aan de eerste melder",
            ),
        ),
        migrations.AddField(
            model_name="statuswijziging",
            name="door_rol",
            field=models.CharField(
                blank=True,
                choices=[("melder", "de melder")],
                editable=False,
                max_length=20,
                verbose_name="door (rol)",
            ),
        ),
        migrations.AlterField(
            model_name="statuswijziging",
            name="terugkoppeling",
            field=models.TextField(
                blank=True,
                help_text="Lezen allen die dit meldden, ook buren die 'Ik ook' zeiden.",
                max_length=1000,
                verbose_name="bericht aan alle melders",
            ),
        ),
        migrations.RunPython(split_messages_and_unname_reporters, join_messages),
    ]
