"""Areas (gemeente → stadsdeel → wijk → buurt, from CBS data) and residents' membership."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import SingleLineCharField

from . import workflow

GEMEENTE_CODE_RE = r"^GM\d{4}$"
WIJK_CODE_RE = r"^WK\d{4}[0-9A-Z]{2}$"
BUURT_CODE_RE = r"^BU\d{4}[0-9A-Z]{4}$"


class Gemeente(models.Model):
    code = models.CharField(_("CBS-code"), max_length=6, unique=True)
    naam = SingleLineCharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Stadsdeel(models.Model):
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="stadsdelen", verbose_name=_("gemeente")
    )
    code = models.CharField(_("code"), max_length=10)
    naam = SingleLineCharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("stadsdeel")
        verbose_name_plural = _("stadsdelen")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "code"], name="stadsdeel_unique_code")
        ]

    def __str__(self):
        return self.naam


class Wijk(models.Model):
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="wijken", verbose_name=_("gemeente")
    )
    stadsdeel = models.ForeignKey(
        Stadsdeel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijken",
        verbose_name=_("stadsdeel"),
    )
    code = models.CharField(_("CBS-code"), max_length=8, unique=True)
    naam = SingleLineCharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Buurt(models.Model):
    """A CBS buurt: the unit of everything on the platform.

    Population figures are CBS Kerncijfers wijken en buurten; ``None`` means CBS suppressed or
    did not publish the figure (small numbers), which is different from zero.
    """

    wijk = models.ForeignKey(
        Wijk, on_delete=models.CASCADE, related_name="buurten", verbose_name=_("wijk")
    )
    stadsdeel = models.ForeignKey(
        Stadsdeel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buurten",
        verbose_name=_("stadsdeel"),
    )
    code = models.CharField(_("CBS-code"), max_length=10, unique=True)
    naam = SingleLineCharField(_("naam"), max_length=100, db_index=True)
    # Residents often know a buurt by its older name (Amsterdam renamed many in 2022): searched too.
    naam_2015 = SingleLineCharField(
        _("buurtnaam 2015"),
        max_length=100,
        blank=True,
        help_text=_("De naam uit de gebiedsindeling van 2015, als die anders was."),
    )
    inwoners = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    leeftijd_0_15 = models.PositiveIntegerField(_("0 tot 15 jaar"), null=True, blank=True)
    leeftijd_15_25 = models.PositiveIntegerField(_("15 tot 25 jaar"), null=True, blank=True)
    leeftijd_25_45 = models.PositiveIntegerField(_("25 tot 45 jaar"), null=True, blank=True)
    leeftijd_45_65 = models.PositiveIntegerField(_("45 tot 65 jaar"), null=True, blank=True)
    leeftijd_65_plus = models.PositiveIntegerField(_("65 jaar of ouder"), null=True, blank=True)
    latitude = models.FloatField(_("breedtegraad (centrum)"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad (centrum)"), null=True, blank=True)
    geometrie = models.TextField(
        _("vorm (EWKT, RD New)"), blank=True, help_text=_("Polygoon in SRID 28992 (meters).")
    )
    peiljaar = models.PositiveSmallIntegerField(_("peiljaar CBS-cijfers"), null=True, blank=True)

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("buurten:detail", kwargs={"code": self.code})

    @property
    def inwoners_15_plus(self) -> int | None:
        """P15, the denominator of every participation indicator."""
        if self.inwoners is None or self.leeftijd_0_15 is None:
            return None
        return self.inwoners - self.leeftijd_0_15

    @property
    def leeftijdsgroepen(self) -> list[tuple[str, int | None]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in (
                "leeftijd_0_15",
                "leeftijd_15_25",
                "leeftijd_25_45",
                "leeftijd_45_65",
                "leeftijd_65_plus",
            )
        ]


def normalise_code(raw: str) -> str:
    """Codes are typed over from paper: case, spaces and dashes do not matter."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


class Uitnodigingscode(models.Model):
    """A code printed on a flyer or letter: whoever has it lives (or is welcome) in the buurt."""

    buurt = models.ForeignKey(
        Buurt, on_delete=models.CASCADE, related_name="uitnodigingscodes", verbose_name=_("buurt")
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    label = SingleLineCharField(
        _("omschrijving"),
        max_length=80,
        help_text=_("Waar deze code verspreid wordt, bijvoorbeeld 'Flyer Kinkerstraat oktober'."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodigingscode")
        verbose_name_plural = _("uitnodigingscodes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.code} ({self.buurt})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Lidmaatschap(models.Model):
    """A resident's membership of their buurt: asked for (an aanvraag), then verified one of
    three ways. Its states and transitions are :mod:`buurten.workflow`."""

    Status = workflow.Status

    class Via(models.TextChoices):
        CODE = "code", _("Uitnodigingscode")
        COORDINATOR = "coordinator", _("Goedgekeurd door de wijkcoördinator")
        BORGSTELLING = "borgstelling", _("Twee buren staan voor je in")

    ACTIVE = workflow.ACTIVE

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lidmaatschappen",
        verbose_name=_("bewoner"),
    )
    buurt = models.ForeignKey(
        Buurt, on_delete=models.CASCADE, related_name="lidmaatschappen", verbose_name=_("buurt")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AANGEVRAAGD
    )
    via = models.CharField(_("geverifieerd via"), max_length=20, choices=Via.choices, blank=True)
    uitnodigingscode = models.ForeignKey(
        Uitnodigingscode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lidmaatschappen",
        verbose_name=_("uitnodigingscode"),
    )
    toelichting = SingleLineCharField(
        _("toelichting"),
        max_length=200,
        blank=True,
        help_text=_("Optioneel, voor de coördinator en je buren: bijvoorbeeld je straat."),
    )
    reden_afwijzing = SingleLineCharField(
        _("reden van afwijzing"),
        max_length=200,
        blank=True,
        help_text=_("Verplicht bij afwijzen. De bewoner ziet deze reden."),
    )
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    # When the e-mails were queued in the notification outbox (notificaties), which sends each once.
    welcome_sent_at = models.DateTimeField(
        _("welkomstmail verstuurd op"), null=True, blank=True, editable=False
    )
    coordinators_notified_at = models.DateTimeField(
        _("coördinatoren ingelicht op"), null=True, blank=True, editable=False
    )
    coordinators_notified_of_vouching_at = models.DateTimeField(
        _("coördinatoren ingelicht over borgstelling op"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["-created_at"]
        constraints = [
            # A resident belongs to (or asks to join) one buurt at a time: their own.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["aangevraagd", "lid"]),
                name="lidmaatschap_one_active_per_user",
            )
        ]
        indexes = [models.Index(fields=["buurt", "status"])]

    def __str__(self):
        return f"{self.user_id} → {self.buurt} ({self.get_status_display()})"


class LidmaatschapHistorie(models.Model):
    """Append-only history: every change of a membership's state, what was done, by whom and
    why. Membership decides who may report and who sees members-only activities, so who
    decided stays readable. Persons are user ids only: a deleted account's own memberships go
    with it (cascade), and where it decided about someone else ``door`` becomes empty."""

    lidmaatschap = models.ForeignKey(
        Lidmaatschap,
        on_delete=models.CASCADE,
        related_name="historie",
        verbose_name=_("lidmaatschap"),
        editable=False,
    )
    van = models.CharField(
        _("van"), max_length=20, choices=workflow.Status.choices, blank=True, editable=False
    )
    naar = models.CharField(
        _("naar"), max_length=20, choices=workflow.Status.choices, editable=False
    )
    actie = models.CharField(
        _("actie"), max_length=20, choices=workflow.Actie.choices, editable=False
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
        editable=False,
    )
    reden = SingleLineCharField(_("reden"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("wijziging van een lidmaatschap")
        verbose_name_plural = _("geschiedenis van lidmaatschappen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.lidmaatschap_id}: {self.van or '—'} → {self.naar} ({self.actie})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Membership history is append-only.")
        super().save(*args, **kwargs)


class Borgstelling(models.Model):
    """A verified member vouching that a neighbour who asked to join really lives there."""

    lidmaatschap = models.ForeignKey(
        Lidmaatschap,
        on_delete=models.CASCADE,
        related_name="borgstellingen",
        verbose_name=_("lidmaatschap"),
    )
    borg = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("borg (buur die instaat)"),
    )
    created_at = models.DateTimeField(_("ingestaan op"), auto_now_add=True)

    class Meta:
        verbose_name = _("borgstelling")
        verbose_name_plural = _("borgstellingen")
        constraints = [
            models.UniqueConstraint(fields=["lidmaatschap", "borg"], name="borgstelling_once")
        ]

    def __str__(self):
        return f"{self.borg_id} → {self.lidmaatschap_id}"
