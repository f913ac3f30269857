"""English names beside the Dutch of the default kinds of activity (0002), for rows an
administrator has not translated yet: a name already filled in, or a kind renamed, is left
alone (ADR 0014)."""

from django.db import migrations

ENGLISH = {
    "Buurtpreventie-ronde": "Neighbourhood watch walk",
    "Opschoonactie": "Clean-up",
    "Ontmoeting": "Get-together",
    "Kinderactiviteit": "Children's activity",
    "Straatfeest": "Street party",
    "Anders": "Something else",
}


def forwards(apps, schema_editor):
    Soort = apps.get_model("activiteiten", "Soort")
    for naam, naam_en in ENGLISH.items():
        Soort.objects.filter(naam=naam, naam_en="").update(naam_en=naam_en)


class Migration(migrations.Migration):
    dependencies = [("activiteiten", "0009_soort_in_het_engels")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
