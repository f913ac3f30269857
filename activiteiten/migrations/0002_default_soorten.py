"""Default kinds of activity; administrators change them in the admin afterwards."""

from django.db import migrations

SOORTEN = [
    "Buurtpreventie-ronde",
    "Opschoonactie",
    "Ontmoeting",
    "Kinderactiviteit",
    "Straatfeest",
    "Anders",
]


def forwards(apps, schema_editor):
    Soort = apps.get_model("activiteiten", "Soort")
    for volgorde, naam in enumerate(SOORTEN, start=1):
        Soort.objects.get_or_create(naam=naam, defaults={"volgorde": volgorde * 10})


class Migration(migrations.Migration):
    dependencies = [("activiteiten", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
