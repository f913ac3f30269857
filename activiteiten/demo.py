"""Demo activities, made through the same services as real ones."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from . import services
from .models import Activiteit, Soort


def seed(*, users: dict, buurten: dict) -> int:
    """Make the demo data once; returns the number of activities made (0 when they exist)."""
    if Activiteit.objects.filter(buurt__in=buurten.values()).exists():
        return 0
    soorten = {s.naam: s for s in Soort.objects.all()}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    sanne, anna, bram = users["bewoner"], users["anna"], users["bram"]
    # The evening round starts in the evening, whatever time the demo is seeded.
    avond = timezone.localtime(now).replace(hour=21) + timedelta(days=2)

    rondes = services.activiteit_create(
        organisator=sanne,
        buurt=buurten["BU0363AA02"],
        soort=soorten["Buurtpreventie-ronde"],
        titel="Avondronde Westelijke eilanden",
        plek="Verzamelen bij de Galgenbrug",
        beschrijving="Rustig rondlopen, opletten, en bij iets verdachts: eerst 112 (SAAR).",
        start=avond,
        einde=avond + timedelta(hours=1),
        capaciteit=6,
        herhaling="wekelijks",
        aantal=4,
        rollen=[services.RolSpec("Loper met hesje", 2), services.RolSpec("Contact wijkagent", 1)],
    )
    services.aanmelden(user=anna, activiteit=rondes[0])
    services.aanmelden(user=bram, activiteit=rondes[0], rol=rondes[0].rollen.first())

    opschonen = services.activiteit_create(
        organisator=users["chantal"],
        buurt=buurten["BU0363AA05"],
        soort=soorten["Opschoonactie"],
        titel="Opschoonochtend Haarlemmerplein",
        plek="Hoek Haarlemmerplein",
        start=now + timedelta(days=5),
        einde=now + timedelta(days=5, hours=3),
        capaciteit=2,
        zichtbaarheid=Activiteit.Zichtbaarheid.OPENBAAR,
    )[0]
    for person in (users["dirk"], anna, bram):  # the third lands on the waiting list
        services.aanmelden(user=person, activiteit=opschonen)

    # A past meet-up with attendance: made ahead, then moved back a week (demo history).
    borrel = services.activiteit_create(
        organisator=sanne,
        buurt=buurten["BU0363AA02"],
        soort=soorten["Ontmoeting"],
        titel="Buurtborrel op het Zoutkeetsplein",
        plek="Zoutkeetsplein",
        start=now + timedelta(hours=1),
        einde=now + timedelta(hours=3),
        capaciteit=30,
        rollen=[services.RolSpec("Koffie en thee", 2)],
    )[0]
    guest = services.aanmelden(user=anna, activiteit=borrel)
    helper = services.aanmelden(user=bram, activiteit=borrel, rol=borrel.rollen.get())
    # Moved into the past by a save (not ``update``): the indicators' month aggregates hear
    # of it through the model signals.
    borrel.start = now - timedelta(days=7)
    borrel.einde = now - timedelta(days=7) + timedelta(hours=2)
    borrel.verslag = "Gezellig! Veel nieuwe gezichten, afspraak gemaakt voor een volgende keer."
    borrel.save(update_fields=["start", "einde", "verslag"])
    services.aanwezigheid_registreren(
        activiteit=borrel,
        by=sanne,
        extra_bezoekers=11,
        aanwezigheid=[
            services.Aanwezigheid(guest.pk, True),
            services.Aanwezigheid(helper.pk, True, Decimal("2.5")),
        ],
    )
    return len(rondes) + 2
