"""Demo activities and facilitation requests, made through the same services as real ones."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from . import services, verzoeken
from .models import Activiteit, Soort, StilzwijgendRegel


def seed(*, users: dict, buurten: dict, coordinator) -> int:
    """Make the demo data once; returns the number of activities made (0 when they exist)."""
    if Activiteit.objects.filter(buurt__in=buurten.values()).exists():
        return 0
    gemeente = buurten["BU0363AA02"].wijk.gemeente
    for soort, bedrag, dagen in [
        ("materialen", "250", 3),
        ("straatfeest", None, 3),
        ("budget", "250", 5),
    ]:
        StilzwijgendRegel.objects.get_or_create(
            gemeente=gemeente,
            soort=soort,
            defaults={"max_bedrag": Decimal(bedrag) if bedrag else None, "werkdagen": dagen},
        )
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
    Activiteit.objects.filter(pk=borrel.pk).update(
        start=now - timedelta(days=7),
        einde=now - timedelta(days=7) + timedelta(hours=2),
        verslag="Gezellig! Veel nieuwe gezichten, afspraak gemaakt voor een volgende keer.",
    )
    borrel.refresh_from_db()
    services.aanwezigheid_registreren(
        activiteit=borrel,
        by=sanne,
        extra_bezoekers=11,
        aanwezigheid=[
            services.Aanwezigheid(guest.pk, True),
            services.Aanwezigheid(helper.pk, True, Decimal("2.5")),
        ],
    )

    _requests(
        sanne=sanne,
        chantal=users["chantal"],
        buurten=buurten,
        coordinator=coordinator,
        ronde=rondes[0],
    )
    return len(rondes) + 2


def _requests(*, sanne, chantal, buurten, coordinator, ronde) -> None:
    """One request in every state."""
    soon = timezone.localdate() + timedelta(days=14)
    home, west = buurten["BU0363AA02"], buurten["BU0363AA05"]

    def ask(user, buurt, soort, text, bedrag=None, indienen=True, activiteit=None):
        return verzoeken.verzoek_create(
            aanvrager=user,
            buurt=buurt,
            soort=soort,
            toelichting=text,
            nodig_op=soon,
            bedrag=Decimal(bedrag) if bedrag else None,
            indienen=indienen,
            activiteit=activiteit,
        )

    ask(sanne, home, "ruimte", "Buurtkamer voor een overleg met de wijkagent.", indienen=False)
    ask(
        sanne,
        home,
        "materialen",
        "Zes hesjes en zaklampen voor de avondronde.",
        "0",
        activiteit=ronde,
    )
    vraag = ask(chantal, west, "budget", "Koffie en koek voor de opschoonochtend.", "120")
    verzoeken.verzoek_besluiten(
        verzoek=vraag,
        by=coordinator,
        actie="aanvulling_vragen",
        bericht="Voor hoeveel mensen ongeveer?",
    )
    toegekend = ask(sanne, home, "straatfeest", "Straatfeest Zoutkeetsgracht, 14:00-20:00.")
    verzoeken.verzoek_besluiten(verzoek=toegekend, by=coordinator, actie="toekennen")
    nee = ask(chantal, west, "budget", "Springkussen voor het buurtfeest.", "600")
    verzoeken.verzoek_besluiten(
        verzoek=nee,
        by=coordinator,
        actie="afwijzen",
        bericht="Dit past niet in het budget; vraag het Buurtfonds.",
    )
    klaar = ask(sanne, home, "materialen", "Grijpers en vuilniszakken lenen.", "0")
    verzoeken.verzoek_besluiten(verzoek=klaar, by=coordinator, actie="toekennen")
    verzoeken.verzoek_aanvrager_actie(verzoek=klaar, by=sanne, actie="uitgevoerd")
    verantwoord = ask(sanne, home, "budget", "Koffie voor de buurtborrel.", "45")
    verzoeken.verzoek_besluiten(verzoek=verantwoord, by=coordinator, actie="toekennen")
    verzoeken.verzoek_aanvrager_actie(verzoek=verantwoord, by=sanne, actie="uitgevoerd")
    verzoeken.verzoek_aanvrager_actie(
        verzoek=verantwoord,
        by=sanne,
        actie="verantwoorden",
        deelnemers=34,
        foto=ContentFile(_demo_photo(), name="borrel.jpg"),
    )
    ingetrokken = ask(chantal, west, "contact", "Contact met de woningcorporatie.")
    verzoeken.verzoek_aanvrager_actie(verzoek=ingetrokken, by=chantal, actie="intrekken")


def _demo_photo() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (31, 78, 121)).save(buffer, "JPEG")
    return buffer.getvalue()
