"""Demo meldingen for a local try-out, made through the same services as real ones."""

from datetime import timedelta

from django.utils import timezone

from buurten import geo, geometrie
from buurten.models import Buurt

from . import services
from .models import Categorie, Doel, Melder, Melding
from .services import Beschrijving
from .workflow import PASSED_ON_TEXT, Actie

# (reporter, buurt code, category, hours ago, wat, waar, protection, description, people who
#  say "ik ook", then the handling: list of (action, message)), then the reporter's verdict.
# The handling is done by whoever the melding was routed to: routing rules depend on the time
# of day (nuisance goes to the police at night), and the demo must seed the same at any hour.
DEMO = [
    (
        "bewoner",
        "BU0363AA02",
        "Drugshandel",
        3,
        "Elke avond rond 21:00 staat dezelfde witte scooter bij het portiek. Korte ontmoetingen, "
        "iets wordt overhandigd, dan rijdt hij weg richting Haarlemmerplein.",
        "Zoutkeetsgracht, portiek bij nr. 20",
        "coordinator",
        Beschrijving(
            persoon_geslacht="man",
            persoon_lengte="ca. 1,85 m",
            persoon_kleding="donkere jas, wit petje",
            voertuig_kleur="wit",
            voertuig_type="scooter",
            voertuig_kenteken="F-12",
        ),
        ["anna", "bram"],
        [],
        "",
    ),
    (
        "bewoner",
        "BU0363AA02",
        "Afval of dumping",
        50,
        "Matras, kast en bouwafval gedumpt naast de containers.",
        "Hoek Realengracht",
        "coordinator",
        Beschrijving(),
        [],
        [
            (Actie.OPPAKKEN, ""),
            (
                Actie.AFSLUITEN,
                "Het afval is dinsdag opgehaald. We houden de plek in de "
                "gaten; bij herhaling spreken we de vervuiler aan.",
            ),
        ],
        "",
    ),
    (
        "bewoner",
        "BU0363AA02",
        "Kapot in de straat",
        30,
        "Lantaarnpaal bij het bruggetje brandt al een week niet, het pad is 's avonds donker.",
        "Bruggetje Prinsengracht/Realengracht",
        "coordinator",
        Beschrijving(),
        [],
        [(Actie.OPPAKKEN, "")],
        "",
    ),
    (
        "anna",
        "BU0363AA02",
        "Parkeren",
        80,
        "Busje staat al dagen half op de stoep, rolstoelen en kinderwagens kunnen er niet langs.",
        "Galgenstraat 3",
        "coordinator",
        Beschrijving(voertuig_kleur="grijs", voertuig_merk="Ford", voertuig_type="busje"),
        [],
        [(Actie.AFSLUITEN, "Er is een waarschuwing gegeven.")],
        "niet_opgelost",
    ),
    (
        "bram",
        "BU0363AA02",
        "Inbraak of vernieling",
        10,
        "Fietsenstalling opengebroken, drie fietsen weg.",
        "Fietsenstalling Vierwindenstraat",
        "anoniem",
        Beschrijving(),
        [],
        [],
        "",
    ),
    (
        "chantal",
        "BU0363AA05",
        "Overlast",
        20,
        "Groep van zes jongeren met harde muziek bij het speelpleintje, elke avond tot na "
        "middernacht.",
        "Speelplein Haarlemmerdijk",
        "contact",
        Beschrijving(persoon_kenmerken="groep van 6, scooters"),
        [],
        [(Actie.DOORZETTEN, "")],
        "",
    ),
    (
        "dirk",
        "BU0363AA05",
        "Verdachte situatie",
        2,
        "Man probeert portieren van geparkeerde auto's, keek steeds om zich heen.",
        "Binnen Vissersstraat",
        "contact",
        Beschrijving(persoon_geslacht="man", persoon_kleding="grijze hoodie, zwarte rugzak"),
        [],
        [(Actie.ERKENNEN, "")],
        "",
    ),
    (
        "esra",
        "BU0363AB07",
        "Ik word bedreigd of geïntimideerd",
        5,
        "Na mijn melding over de scooters werd ik bij mijn voordeur aangesproken en bedreigd.",
        "Bloemgracht, bij mijn woning",
        "contact",
        Beschrijving(persoon_geslacht="man"),
        [],
        [(Actie.OPPAKKEN, "")],
        "",
    ),
    (
        "fatima",
        "BU0363AB07",
        "Burenruzie of feestje",
        26,
        "Elk weekend tot diep in de nacht harde muziek bij de bovenburen.",
        "Bloemgracht 100",
        "coordinator",
        Beschrijving(),
        [],
        [],
        "",
    ),
]


# The street of each demo place, as a resident may see it ("ik ook"): street names only. The
# address (``Melding.adres``, handlers only) stays empty: the demo points are derived from the
# buurt shapes, not from an address, and a house number that is not at the pin would mislead.
STRATEN = {
    "Zoutkeetsgracht, portiek bij nr. 20": "Zoutkeetsgracht",
    "Hoek Realengracht": "Realengracht",
    "Galgenstraat 3": "Galgenstraat",
    "Fietsenstalling Vierwindenstraat": "Vierwindenstraat",
    "Speelplein Haarlemmerdijk": "Haarlemmerdijk",
    "Binnen Vissersstraat": "Binnen Vissersstraat",
    "Bloemgracht, bij mijn woning": "Bloemgracht",
    "Bloemgracht 100": "Bloemgracht",
}
# No pin where the resident would not set one: at her own front door.
ZONDER_PUNT = {"Bloemgracht, bij mijn woning"}
# The heights (fractions of the buurt's north-south extent) at which the demo points of one
# buurt lie, one after the other: the same points at every run, apart from each other.
HOOGTES = (0.5, 0.35, 0.65, 0.25, 0.75, 0.45, 0.55)


def demo_point(buurt: Buurt, index: int) -> tuple[float, float] | None:
    """A point (lat, lon) inside the buurt's shape, the same at every run: the middle of the
    widest stretch inside the shape along a line across it, at a height that differs per
    melding (``index``). None without a shape, or should the point not test as inside."""
    rings = geo.rings_of(buurt.geometrie)
    if not rings:
        return None
    ys = [y for ring in rings for _, y in ring]
    y = min(ys) + HOOGTES[index % len(HOOGTES)] * (max(ys) - min(ys))
    crossings = sorted(
        x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        for ring in rings
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
        if (y0 <= y < y1) or (y1 <= y < y0)
    )
    runs = list(zip(crossings[::2], crossings[1::2], strict=False))  # even-odd: inside runs
    if not runs:
        return None
    left, right = max(runs, key=lambda run: run[1] - run[0])
    lat, lon = geo.rd_to_wgs84((left + right) / 2, y)
    lat, lon = round(lat, 6), round(lon, 6)  # as the form stores a pin
    found = geometrie.buurt_at(Buurt.objects.filter(pk=buurt.pk), lat, lon)
    return (lat, lon) if found and found[1] == "vorm" else None


# The demo account that handles a melding routed to each target.
HANDLER = {
    Doel.POLITIE: "politie",
    Doel.HANDHAVING: "handhaving",
    Doel.GEMEENTE: "coordinator",
    Doel.COORDINATOR: "coordinator",
    Doel.BUURT: "coordinator",
}


def seed(*, users: dict, buurten: dict) -> int:
    """Make the demo meldingen once; returns how many were made (0 when they exist)."""
    if Melding.objects.filter(buurt__in=buurten.values()).exists():
        return 0
    now = timezone.now()
    categories = {c.naam: c for c in Categorie.objects.all()}
    made = 0
    per_buurt: dict[str, int] = {}
    for (
        reporter,
        code,
        categorie,
        hours,
        wat,
        waar,
        tier,
        beschrijving,
        ik_ook,
        handling,
        verdict,
    ) in DEMO:
        punt = None
        if waar not in ZONDER_PUNT:
            punt = demo_point(buurten[code], per_buurt.get(code, 0))
            per_buurt[code] = per_buurt.get(code, 0) + 1
        melding = services.melding_create(
            user=users[reporter],
            buurt=buurten[code],
            categorie=categories[categorie],
            wat=wat,
            waar=waar,
            wanneer=now - timedelta(hours=hours),
            beschrijving=beschrijving,
            bescherming=tier,
            telefoon="06 1234 5678" if tier == "contact" else "",
            latitude=punt[0] if punt else None,
            longitude=punt[1] if punt else None,
        )
        if waar in STRATEN:
            Melding.objects.filter(pk=melding.pk).update(straat=STRATEN[waar])
        services.melding_route(melding_id=melding.pk)
        for neighbour in ik_ook:
            services.melding_join(user=users[neighbour], melding=melding, bescherming="coordinator")
        melding.refresh_from_db()
        for actie, message in handling:
            text = message or (str(PASSED_ON_TEXT) if actie == Actie.DOORZETTEN else "")
            services.melding_transition(
                melding=melding, actie=actie, by=users[HANDLER[melding.doel]], terugkoppeling=text
            )
        if verdict:
            melder = Melder.objects.get(melding=melding, user=users[reporter])
            services.melder_oordeel(
                melder=melder, user=users[reporter], opgelost=verdict == "opgelost"
            )
        made += 1
    return made
