"""Activities residents organise for their buurt, with volunteer roles, sign-ups, a waiting list
and attendance: the records behind the participation indicators."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import SingleLineCharField
from wijkaanpak.talen import Vertaald


class Soort(models.Model):
    """Kind of activity (buurtpreventie walk, clean-up, ...); administrators edit the list."""

    # Dutch in the plain field, English beside it (blank: the Dutch text): ADR 0014.
    naam = SingleLineCharField(_("naam"), max_length=60, unique=True)
    naam_en = SingleLineCharField(_("naam (Engels)"), max_length=60, blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("soort activiteit")
        verbose_name_plural = _("soorten activiteiten")
        ordering = ["volgorde", "naam"]

    vertaald = Vertaald("naam")

    def __str__(self):
        return self.vertaald.naam


def new_invite_token() -> str:
    return secrets.token_urlsafe(12)


class Activiteit(models.Model):
    class Zichtbaarheid(models.TextChoices):
        LEDEN = "leden", _("Alleen leden van de buurt")
        OPENBAAR = "openbaar", _("Iedereen")

    buurt = models.ForeignKey(
        "buurten.Buurt",
        on_delete=models.PROTECT,
        related_name="activiteiten",
        verbose_name=_("buurt"),
    )
    soort = models.ForeignKey(Soort, on_delete=models.PROTECT, verbose_name=_("soort"))
    titel = SingleLineCharField(_("titel"), max_length=100)
    beschrijving = models.TextField(_("beschrijving"), max_length=2000, blank=True)
    plek = SingleLineCharField(_("plek"), max_length=200)
    start = models.DateTimeField(_("begint"))
    einde = models.DateTimeField(_("eindigt"))
    capaciteit = models.PositiveSmallIntegerField(
        _("aantal deelnemers"), help_text=_("Zonder de vrijwilligersrollen.")
    )
    zichtbaarheid = models.CharField(
        _("wie ziet het"), max_length=10, choices=Zichtbaarheid.choices, default=Zichtbaarheid.LEDEN
    )
    organisator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="georganiseerd",
        verbose_name=_("organisator"),
    )
    # Activities made together as a series (a weekly walk) share this id.
    reeks = models.UUIDField(_("reeks"), null=True, blank=True, db_index=True, editable=False)
    uitnodiging = models.CharField(
        _("uitnodigingscode"), max_length=24, unique=True, default=new_invite_token, editable=False
    )
    extra_bezoekers = models.PositiveSmallIntegerField(
        _("buren zonder account"), default=0, help_text=_("Hoeveel buren kwamen zonder account.")
    )
    verslag = models.TextField(_("kort verslag"), max_length=2000, blank=True)
    verslag_foto = models.ImageField(
        _("foto bij het verslag"), upload_to="activiteiten/", blank=True
    )
    geannuleerd_at = models.DateTimeField(
        _("geannuleerd op"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(einde__gt=F("start")), name="activiteit_einde_na_start"
            ),
            models.CheckConstraint(
                condition=Q(capaciteit__gte=1), name="activiteit_capaciteit_positief"
            ),
        ]
        indexes = [models.Index(fields=["buurt", "start"], name="activiteit_buurt_start")]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("activiteiten:detail", kwargs={"pk": self.pk})


class Rol(models.Model):
    """A volunteer role with its own places: "2 lopers met hesje", "1 contact voor de wijkagent"."""

    activiteit = models.ForeignKey(
        Activiteit, on_delete=models.CASCADE, related_name="rollen", verbose_name=_("activiteit")
    )
    naam = SingleLineCharField(_("rol"), max_length=80)
    plaatsen = models.PositiveSmallIntegerField(_("plaatsen"))

    class Meta:
        verbose_name = _("vrijwilligersrol")
        verbose_name_plural = _("vrijwilligersrollen")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(plaatsen__gte=1), name="rol_plaatsen_positief")
        ]

    def __str__(self):
        return f"{self.naam} ({self.plaatsen})"


class Aanmelding(models.Model):
    class Status(models.TextChoices):
        AANGEMELD = "aangemeld", _("Aangemeld")
        WACHTLIJST = "wachtlijst", _("Op de wachtlijst")
        AFGEMELD = "afgemeld", _("Afgemeld")

    ACTIVE = (Status.AANGEMELD, Status.WACHTLIJST)

    activiteit = models.ForeignKey(
        Activiteit,
        on_delete=models.CASCADE,
        related_name="aanmeldingen",
        verbose_name=_("activiteit"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="aanmeldingen",
        verbose_name=_("deelnemer"),
    )
    rol = models.ForeignKey(
        Rol,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aanmeldingen",
        verbose_name=_("rol"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.AANGEMELD
    )
    via_uitnodiging = models.BooleanField(_("via uitnodiging"), default=False)
    aanwezig = models.BooleanField(_("aanwezig"), null=True, blank=True)
    uren = models.DecimalField(_("uren"), max_digits=4, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    herinnerd_at = models.DateTimeField(
        _("herinnering verstuurd op"), null=True, blank=True, editable=False
    )
    doorgeschoven_at = models.DateTimeField(
        _("van de wachtlijst op"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activiteit", "user"],
                condition=Q(status__in=["aangemeld", "wachtlijst"]),
                name="aanmelding_een_actieve_per_persoon",
            )
        ]

    def __str__(self):
        return f"{self.user_id} → {self.activiteit_id} ({self.status})"


class Bericht(models.Model):
    """A message from the organiser to everyone signed up, sent by the platform: nobody sees
    anyone else's e-mail address."""

    activiteit = models.ForeignKey(
        Activiteit, on_delete=models.CASCADE, related_name="berichten", verbose_name=_("activiteit")
    )
    afzender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("afzender"),
    )
    tekst = models.TextField(_("bericht"), max_length=2000)
    created_at = models.DateTimeField(_("geschreven op"), auto_now_add=True)
    verzonden_at = models.DateTimeField(_("verzonden op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bericht aan deelnemers")
        verbose_name_plural = _("berichten aan deelnemers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"bericht {self.pk} bij {self.activiteit_id}"
