"""A withdrawn aanvraag was stored as ended ("beeindigd") and told apart from an ended
membership only by an empty ``via`` (it was never verified). It now has its own state."""

from django.db import migrations


def forwards(apps, schema_editor):
    Lidmaatschap = apps.get_model("buurten", "Lidmaatschap")
    Lidmaatschap.objects.filter(status="beeindigd", via="").update(status="ingetrokken")


def backwards(apps, schema_editor):
    Lidmaatschap = apps.get_model("buurten", "Lidmaatschap")
    Lidmaatschap.objects.filter(status="ingetrokken").update(status="beeindigd")


class Migration(migrations.Migration):
    dependencies = [("buurten", "0006_lidmaatschap_ingetrokken_and_historie")]

    operations = [migrations.RunPython(forwards, backwards)]
