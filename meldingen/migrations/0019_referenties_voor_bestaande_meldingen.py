from django.db import migrations

from wijkaanpak.ids import new_reference

BATCH = 2000


def give_references(apps, schema_editor):
    """Every existing melding gets a random reference, none twice (0020 makes that a rule)."""
    Melding = apps.get_model("meldingen", "Melding")
    used = set(Melding.objects.exclude(referentie=None).values_list("referentie", flat=True))
    while True:
        batch = list(Melding.objects.filter(referentie=None).only("pk")[:BATCH])
        if not batch:
            return
        for melding in batch:
            reference = new_reference("M")
            while reference in used:
                reference = new_reference("M")
            used.add(reference)
            melding.referentie = reference
        Melding.objects.bulk_update(batch, ["referentie"])


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0018_melding_referentie_en_termijnalarm"),
    ]

    operations = [migrations.RunPython(give_references, migrations.RunPython.noop)]
