"""English beside the Dutch of the default categories (0002), for rows an administrator has not
translated yet: a text already filled in, or a category renamed, is left alone (ADR 0014)."""

from django.db import migrations

ENGLISH = {
    # naam: (naam_en, toelichting_en, voorbeeld_en)
    "Verdachte situatie": (
        "Suspicious situation",
        "Someone trying car doors or front doors, hanging around homes or scoping something out.",
        "At 22:10 a man was trying the doors of parked cars; he walked off towards the canal.",
    ),
    "Drugshandel": (
        "Drug dealing",
        "The same spot or car again and again, with brief contacts where something changes hands.",
        "Every evening around 21:00 a white scooter at the entrance, meetings of a minute or so.",
    ),
    "Ik word bedreigd of geïntimideerd": (
        "I am being threatened or intimidated",
        "You are put under pressure because you do something for the neighbourhood. You will get "
        "support; neighbours never see this.",
        "After my report about the scooters, someone stopped me at my front door and threatened "
        "me.",
    ),
    "Inbraak of vernieling": (
        "Burglary or vandalism",
        "Damage to homes, cars, bikes or things that belong to the neighbourhood.",
        "The window of the community room was smashed last night between 2 and 3 a.m.",
    ),
    "Overlast": (
        "Nuisance",
        "Repeated nuisance from people or groups: noise, antisocial behaviour.",
        "A group of 6 youngsters playing loud music at the playground every night until after "
        "midnight.",
    ),
    "Afval of dumping": (
        "Rubbish or dumping",
        "Bulky waste, dumped rubbish or litter in the street.",
        "A mattress and building waste dumped next to the bins on the corner.",
    ),
    "Parkeren": (
        "Parking",
        "Bad parking that causes danger or gets in people's way.",
        "A van has been on the pavement for 3 days; wheelchairs cannot get past.",
    ),
    "Kapot in de straat": (
        "Broken in the street",
        "A broken street light, bench, paving stone or piece of play equipment.",
        "The street light by number 40 has been out for a week.",
    ),
    "Burenruzie of feestje": (
        "Neighbour dispute or party",
        "Things we can sort out together as neighbours; the neighbourhood helps or mediates.",
        "A party with loud music next door, and it is Saturday 23:30.",
    ),
    "Iets anders": (
        "Something else",
        "Doesn't fit anywhere? The district coordinator will look at it.",
        "",
    ),
}


def forwards(apps, schema_editor):
    Categorie = apps.get_model("meldingen", "Categorie")
    for categorie in Categorie.objects.filter(naam__in=ENGLISH):
        naam_en, toelichting_en, voorbeeld_en = ENGLISH[categorie.naam]
        categorie.naam_en = categorie.naam_en or naam_en
        categorie.toelichting_en = categorie.toelichting_en or toelichting_en
        if categorie.voorbeeld:  # an English example of no example would show alone
            categorie.voorbeeld_en = categorie.voorbeeld_en or voorbeeld_en
        categorie.save(update_fields=["naam_en", "toelichting_en", "voorbeeld_en"])


class Migration(migrations.Migration):
    dependencies = [("meldingen", "0024_categorie_en_samenvatting_in_het_engels")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
