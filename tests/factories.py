from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import Role, Team, User
from buurten.models import Buurt, Gemeente, Lidmaatschap, Uitnodigingscode, Wijk

PASSWORD = "een-lang-wachtwoord-42"


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ["code"]

    code = "GM0363"
    naam = "Amsterdam"


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk

    gemeente = factory.SubFactory(GemeenteFactory)
    code = factory.Sequence(lambda n: f"WK0363{n % 100:02d}")
    naam = factory.Sequence(lambda n: f"Wijk {n}")


class BuurtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buurt

    wijk = factory.SubFactory(WijkFactory)
    code = factory.Sequence(lambda n: f"BU0363{n % 10000:04d}")
    naam = factory.Sequence(lambda n: f"Testbuurt {n}")
    inwoners = 1200
    leeftijd_0_15 = 200
    leeftijd_15_25 = 150
    leeftijd_25_45 = 400
    leeftijd_45_65 = 300
    leeftijd_65_plus = 150
    peiljaar = 2024


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Team {n}")
    organisatie = Team.Organisatie.GEMEENTE
    gemeente = factory.SubFactory(GemeenteFactory)

    @factory.post_generation
    def wijken(self, create, extracted, **kwargs):
        if create and extracted:
            self.wijken.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified e-mail address; professionals get TOTP unless ``mfa=False``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    weergavenaam = factory.Sequence(lambda n: f"Buur{n}")
    role = Role.BEWONER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if create and self.role != Role.BEWONER and extracted is not False:
            TOTP.activate(self, generate_totp_secret())


def professional(role: str, *wijken: Wijk, **kwargs) -> User:
    organisatie = {
        Role.COORDINATOR: Team.Organisatie.GEMEENTE,
        Role.POLITIE: Team.Organisatie.POLITIE,
        Role.HANDHAVING: Team.Organisatie.HANDHAVING,
    }[role]
    team = TeamFactory(organisatie=organisatie, wijken=list(wijken))
    return UserFactory(role=role, team=team, **kwargs)


class LidmaatschapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lidmaatschap

    user = factory.SubFactory(UserFactory)
    buurt = factory.SubFactory(BuurtFactory)
    status = Lidmaatschap.Status.LID
    via = Lidmaatschap.Via.COORDINATOR
    # Approved and welcomed long ago: a member of standing, who may vouch (buurten.borgstelling).
    decided_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=365))
    welcome_sent_at = factory.SelfAttribute("decided_at")


class UitnodigingscodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Uitnodigingscode

    buurt = factory.SubFactory(BuurtFactory)
    code = factory.Sequence(lambda n: f"TEST{n:04d}")
    label = "Flyer"
    created_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR, mfa=False)


class CategorieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meldingen.Categorie"
        django_get_or_create = ["naam"]

    naam = factory.Sequence(lambda n: f"Categorie {n}")
    toelichting = "Wat hier hoort."
    voorbeeld = "Een voorbeeld."
    ernst = 2
    reactietermijn_uren = 48


def melding(*, user=None, buurt=None, categorie=None, route=True, **kwargs):
    """A melding made the way residents make them (the intake service), routed by the same
    service the Celery task calls."""
    from django.utils import timezone

    from meldingen import services

    if user is None:
        user = LidmaatschapFactory(**({"buurt": buurt} if buurt else {})).user
    if buurt is None:
        buurt = user.lidmaatschappen.get(status="lid").buurt
    values = {
        "wat": "Man probeert portieren van auto's.",
        "waar": "Hoek Prinsengracht",
        "wanneer": timezone.now(),
        **kwargs,
    }
    made = services.melding_create(
        user=user, buurt=buurt, categorie=categorie or CategorieFactory(), **values
    )
    if route:
        services.melding_route(melding_id=made.pk)
        made.refresh_from_db()
    return made


def activiteit(*, organisator=None, buurt=None, start=None, capaciteit=10, rollen=(), **kwargs):
    """An activity made the way residents make them (the service)."""
    from datetime import timedelta

    from django.utils import timezone

    from activiteiten import services
    from activiteiten.models import Soort

    if organisator is None:
        organisator = LidmaatschapFactory(**({"buurt": buurt} if buurt else {})).user
    if buurt is None:
        buurt = organisator.lidmaatschappen.get(status="lid").buurt
    start = start or timezone.now() + timedelta(days=3)
    return services.activiteit_create(
        organisator=organisator,
        buurt=buurt,
        soort=kwargs.pop("soort", None)
        or Soort.objects.get_or_create(naam="Buurtpreventie-ronde")[0],
        titel=kwargs.pop("titel", "Avondronde"),
        plek=kwargs.pop("plek", "Verzamelen bij de kerk"),
        start=start,
        einde=start + timedelta(hours=2),
        capaciteit=capaciteit,
        rollen=[services.RolSpec(naam, plaatsen) for naam, plaatsen in rollen],
        **kwargs,
    )[0]


def square(x: float, y: float, half: float, *, hole: float = 0) -> str:
    """An EWKT square in RD New around (x, y), ``half`` metres each way; with a hole of
    ``hole`` metres each way in the middle when given."""

    def ring(h):
        corners = [(x - h, y - h), (x + h, y - h), (x + h, y + h), (x - h, y + h), (x - h, y - h)]
        return "(" + ", ".join(f"{cx:.3f} {cy:.3f}" for cx, cy in corners) + ")"

    rings = ring(half) + (", " + ring(hole) if hole else "")
    return f"SRID=28992;POLYGON ({rings})"


def kiest(user: User, keuzes: dict):
    """``user`` chose, on "Meldingen en berichten", ``keuzes`` (kind: choice) and no quiet
    hours: saved through the page's own service."""
    from datetime import time

    from notificaties.services import berichtinstelling_save

    return berichtinstelling_save(
        user=user, keuzes=keuzes, stille_uren=False, stil_van=time(22), stil_tot=time(7)
    )


def submitted_verzoek(aanvrager, buurt, **values):
    """A facilitation request submitted the way the resident's form does it (materials for
    twenty days from now unless ``values`` say otherwise)."""
    from verzoeken import services

    values = {
        "soort": "materialen",
        "nodig_op": timezone.localdate() + timedelta(days=20),
        "toelichting": "Hesjes",
        **values,
    }
    return services.verzoek_create(aanvrager=aanvrager, buurt=buurt, indienen=True, **values)
