"""Put existing single-line text on one line (wijkaanpak.singleline), in every app.

Line breaks and control characters become a space (runs of spaces one), as the forms and models
now do on every write. Rows without such characters are not touched. Where cleaning would make
a unique name equal to another row's, the row's id is added to keep both.
"""

import re

from django.db import IntegrityError, migrations, transaction

FIELDS = {
    ("accounts", "Team"): ["naam"],
    ("accounts", "User"): ["weergavenaam"],
    ("buurten", "Gemeente"): ["naam"],
    ("buurten", "Stadsdeel"): ["naam"],
    ("buurten", "Wijk"): ["naam"],
    ("buurten", "Buurt"): ["naam"],
    ("buurten", "Uitnodigingscode"): ["label"],
    ("buurten", "Lidmaatschap"): ["toelichting", "reden_afwijzing"],
    ("meldingen", "Categorie"): ["naam", "toelichting", "voorbeeld", "trefwoorden"],
    ("meldingen", "Melding"): [
        "waar",
        "persoon_geslacht",
        "persoon_lengte",
        "persoon_kleding",
        "persoon_kenmerken",
        "voertuig_kleur",
        "voertuig_merk",
        "voertuig_type",
        "voertuig_kenteken",
        "samenvatting",
    ],
    ("meldingen", "Melder"): ["telefoon", "contact_naam"],
    ("meldingen", "Inzage"): ["reden"],
    ("meldingen", "FeedToken"): ["naam"],
    ("activiteiten", "Soort"): ["naam"],
    ("activiteiten", "Activiteit"): ["titel", "plek"],
    ("activiteiten", "Rol"): ["naam"],
    ("open311", "Client"): ["naam"],
    ("indicatoren", "Peiling"): ["titel"],
}

# Frozen copies of wijkaanpak.singleline (a migration must not change when that module does).
NOT_SINGLE_LINE = (
    "[" + "".join(map(chr, [*range(0x01, 0x20), *range(0x7F, 0xA0)])) + "\u2028\u2029]"
)
_DROP = dict.fromkeys(
    code for code in [*range(0x01, 0x20), 0x7F, *range(0x80, 0xA0)] if not chr(code).isspace()
)


def single_line(value: str) -> str:
    return " ".join(value.translate(_DROP).split())


def clean(apps, schema_editor):
    from django.db.models import Q

    for (app_label, model_name), fields in FIELDS.items():
        model = apps.get_model(app_label, model_name)
        matches = Q()
        for field in fields:
            matches |= Q(**{f"{field}__regex": NOT_SINGLE_LINE})
        for row in model._base_manager.filter(matches).only("pk", *fields).iterator():
            changed = {}
            for field in fields:
                value = getattr(row, field)
                if value and re.search(NOT_SINGLE_LINE, value):
                    changed[field] = single_line(value)
            _update(model, row.pk, changed)


def _update(model, pk, changed):
    try:
        with transaction.atomic():
            model._base_manager.filter(pk=pk).update(**changed)
    except IntegrityError:  # a unique name now equal to another's
        suffix = f" ({pk})"
        for name, value in changed.items():
            field = model._meta.get_field(name)
            if field.unique:
                changed[name] = value[: field.max_length - len(suffix)] + suffix
        model._base_manager.filter(pk=pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_security_cache_table"),
        ("activiteiten", "0007_dutch_field_labels"),
        ("buurten", "0005_lidmaatschap_coordinators_notified_of_vouching"),
        ("indicatoren", "0002_dutch_field_labels"),
        ("meldingen", "0013_berichten_per_publiek_en_rol_melder"),
        ("open311", "0002_dutch_field_labels"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
