"""The active core's target is a streefwaarde: "doel" is the routing target of a melding.

Renames the setting and the keys stored with each snapshot (``doel`` and ``doel_aantal``), so
that snapshots computed before read like those computed after."""

from django.db import migrations

RENAMED = {"doel": "streefwaarde", "doel_aantal": "streefwaarde_aantal"}


def _rename_keys(snapshot_model, renamed: dict[str, str]) -> None:
    changed = []
    for snapshot in snapshot_model.objects.only("pk", "waarden").iterator(chunk_size=500):
        waarden = snapshot.waarden or {}
        if not any(old in waarden for old in renamed):
            continue
        snapshot.waarden = {renamed.get(key, key): value for key, value in waarden.items()}
        changed.append(snapshot)
        if len(changed) == 500:
            snapshot_model.objects.bulk_update(changed, ["waarden"])
            changed = []
    snapshot_model.objects.bulk_update(changed, ["waarden"])


def forwards(apps, schema_editor):
    _rename_keys(apps.get_model("indicatoren", "Snapshot"), RENAMED)


def backwards(apps, schema_editor):
    _rename_keys(
        apps.get_model("indicatoren", "Snapshot"), {new: old for old, new in RENAMED.items()}
    )


class Migration(migrations.Migration):
    dependencies = [("indicatoren", "0002_dutch_field_labels")]

    operations = [
        migrations.RenameField(
            model_name="indicatorinstelling",
            old_name="doel_actieve_kern",
            new_name="streefwaarde_actieve_kern",
        ),
        migrations.RunPython(forwards, backwards),
    ]
