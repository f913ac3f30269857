"""Demo facilitation requests, made through the same services as real ones."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from activiteiten.models import Activiteit

from . import services
from .models import StilzwijgendRegel, Verzoek

RONDE = "Avondronde Westelijke eilanden"  # the demo activity a request asks support for


def seed(*, users: dict, buurten: dict, coordinator) -> int:
    """Make the demo rules and requests once; returns the number of requests made (0 when the
    demo resident has requests already)."""
    sanne = users["bewoner"]
    if Verzoek.objects.filter(aanvrager=sanne).exists():
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
    ronde = Activiteit.objects.filter(organisator=sanne, titel=RONDE).order_by("start").first()
    _requests(
        sanne=sanne,
        chantal=users["chantal"],
        buurten=buurten,
        coordinator=coordinator,
        ronde=ronde,
    )
    return Verzoek.objects.filter(aanvrager__in=[sanne, users["chantal"]]).count()


def _requests(*, sanne, chantal, buurten, coordinator, ronde) -> None:
    """One request in every state."""
    soon = timezone.localdate() + timedelta(days=14)
    home, west = buurten["BU0363AA02"], buurten["BU0363AA05"]

    def ask(user, buurt, soort, text, bedrag=None, indienen=True, activiteit=None):
        return services.verzoek_create(
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
    services.verzoek_besluiten(
        verzoek=vraag,
        by=coordinator,
        actie="aanvulling_vragen",
        bericht="Voor hoeveel mensen ongeveer?",
    )
    toegekend = ask(sanne, home, "straatfeest", "Straatfeest Zoutkeetsgracht, 14:00-20:00.")
    services.verzoek_besluiten(verzoek=toegekend, by=coordinator, actie="toekennen")
    nee = ask(chantal, west, "budget", "Springkussen voor het buurtfeest.", "600")
    services.verzoek_besluiten(
        verzoek=nee,
        by=coordinator,
        actie="afwijzen",
        bericht="Dit past niet in het budget; vraag het Buurtfonds.",
    )
    klaar = ask(sanne, home, "materialen", "Grijpers en vuilniszakken lenen.", "0")
    services.verzoek_besluiten(verzoek=klaar, by=coordinator, actie="toekennen")
    services.verzoek_aanvrager_actie(verzoek=klaar, by=sanne, actie="uitgevoerd")
    verantwoord = ask(sanne, home, "budget", "Koffie voor de buurtborrel.", "45")
    services.verzoek_besluiten(verzoek=verantwoord, by=coordinator, actie="toekennen")
    services.verzoek_aanvrager_actie(verzoek=verantwoord, by=sanne, actie="uitgevoerd")
    services.verzoek_aanvrager_actie(
        verzoek=verantwoord,
        by=sanne,
        actie="verantwoorden",
        deelnemers=34,
        foto=ContentFile(_demo_photo(), name="borrel.jpg"),
    )
    ingetrokken = ask(chantal, west, "contact", "Contact met de woningcorporatie.")
    services.verzoek_aanvrager_actie(verzoek=ingetrokken, by=chantal, actie="intrekken")


def _demo_photo() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (31, 78, 121)).save(buffer, "JPEG")
    return buffer.getvalue()
