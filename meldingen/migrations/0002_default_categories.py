"""Default categories and routing rules; administrators change them in the admin afterwards."""

from datetime import time

from django.db import migrations

CATEGORIES = [
    # naam, toelichting, voorbeeld, ernst, reactietermijn (uren), intimidatie, doel
    (
        "Verdachte situatie",
        "Iemand die auto's of deuren probeert, rondhangt bij woningen of iets afspeurt.",
        "Man probeert om 22:10 portieren van geparkeerde auto's, liep richting de gracht.",
        2,
        24,
        False,
        "politie",
    ),
    (
        "Drugshandel",
        "Steeds dezelfde plek of auto waar kort contact is en iets wordt overhandigd.",
        "Elke avond rond 21:00 witte scooter bij het portiek, korte ontmoetingen van 1 minuut.",
        3,
        48,
        False,
        "politie",
    ),
    (
        "Ik word bedreigd of geïntimideerd",
        "Je wordt onder druk gezet omdat je iets doet voor de buurt. Je krijgt steun; buren zien dit nooit.",
        "Na mijn melding over de scooters werd ik bij de voordeur aangesproken en bedreigd.",
        3,
        8,
        True,
        "politie",
    ),
    (
        "Inbraak of vernieling",
        "Schade aan woningen, auto's, fietsen of spullen van de buurt.",
        "Ruit van de buurtkamer ingegooid, vannacht tussen 2 en 3 uur.",
        2,
        48,
        False,
        "politie",
    ),
    (
        "Overlast",
        "Herhaalde overlast van personen of groepen: lawaai, hinderlijk gedrag.",
        "Groep van 6 jongeren met harde muziek bij het speelplein, elke avond tot na middernacht.",
        2,
        72,
        False,
        "handhaving",
    ),
    (
        "Afval of dumping",
        "Grofvuil, dumpingen of vervuiling op straat.",
        "Matras en bouwafval gedumpt naast de containers op de hoek.",
        1,
        120,
        False,
        "handhaving",
    ),
    (
        "Parkeren",
        "Fout parkeren dat gevaar of hinder geeft.",
        "Busje staat al 3 dagen op de stoep, rolstoelen kunnen er niet langs.",
        1,
        72,
        False,
        "handhaving",
    ),
    (
        "Kapot in de straat",
        "Kapotte lantaarnpaal, bank, stoeptegel of speeltoestel.",
        "Lantaarnpaal bij nummer 40 brandt al een week niet.",
        1,
        168,
        False,
        "gemeente",
    ),
    (
        "Burenruzie of feestje",
        "Dingen die we als buren samen kunnen oplossen; de buurt helpt of bemiddelt.",
        "Feestje met harde muziek bij de buren, het is zaterdag 23:30.",
        1,
        168,
        False,
        "buurt",
    ),
    (
        "Iets anders",
        "Past het nergens bij? De wijkcoördinator bekijkt het.",
        "",
        2,
        72,
        False,
        None,
    ),
]


def forwards(apps, schema_editor):
    Categorie = apps.get_model("meldingen", "Categorie")
    RoutingRegel = apps.get_model("meldingen", "RoutingRegel")
    for volgorde, (naam, toelichting, voorbeeld, ernst, uren, intimidatie, doel) in enumerate(
        CATEGORIES, start=1
    ):
        categorie, _created = Categorie.objects.get_or_create(
            naam=naam,
            defaults={
                "toelichting": toelichting,
                "voorbeeld": voorbeeld,
                "ernst": ernst,
                "reactietermijn_uren": uren,
                "is_intimidatie": intimidatie,
                "volgorde": volgorde * 10,
            },
        )
        if naam == "Overlast":
            # At night enforcement is off duty: nuisance goes to the police.
            RoutingRegel.objects.get_or_create(
                categorie=categorie,
                vanaf=time(23, 0),
                tot=time(7, 0),
                defaults={"volgorde": 10, "doel": "politie"},
            )
        if doel:
            RoutingRegel.objects.get_or_create(
                categorie=categorie,
                vanaf=None,
                tot=None,
                wijk=None,
                buurt=None,
                defaults={"volgorde": 100, "doel": doel},
            )


class Migration(migrations.Migration):
    dependencies = [("meldingen", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
