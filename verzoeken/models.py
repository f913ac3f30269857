"""Faciliteringsverzoeken: light support a resident asks of the municipality, with its
append-only history, and the silent-consent rules a gemeente sets per kind of request."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .termijnen import answer_too_late
from .workflow import Status


class VerzoekSoort(models.TextChoices):
    MATERIALEN = "materialen", _("Materialen of iets lenen")
    BUDGET = "budget", _("Klein budget")
    RUIMTE = "ruimte", _("Een ruimte")
    STRAATFEEST = "straatfeest", _("Melding straatfeest")
    CONTACT = "contact", _("Contact met een partnerorganisatie")
    PAPIERWERK = "papierwerk", _("Hulp bij papierwerk")


class StilzwijgendRegel(models.Model):
    """Silent consent: a submitted request of this kind (up to the amount) is approved when
    no coordinator objected within the number of working days."""

    gemeente = models.ForeignKey(
        "buurten.Gemeente", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    soort = models.CharField(_("soort verzoek"), max_length=20, choices=VerzoekSoort.choices)
    max_bedrag = models.DecimalField(
        _("tot en met bedrag (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leeg: tot het maximum voor stilzwijgend akkoord, of geen bedrag nodig."),
    )
    werkdagen = models.PositiveSmallIntegerField(_("werkdagen"), default=3)
    actief = models.BooleanField(_("actief"), default=True)
    # Who last set the rule and when: the page shows it, so a change never goes unnoticed.
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    gewijzigd_at = models.DateTimeField(_("gewijzigd op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("regel stilzwijgend akkoord")
        verbose_name_plural = _("regels stilzwijgend akkoord")
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "soort"], name="stilzwijgend_een_per_soort")
        ]

    def __str__(self):
        return f"{self.get_soort_display()}: {self.werkdagen} werkdagen"


class Verzoek(models.Model):
    """A faciliteringsverzoek: light support asked of the municipality."""

    buurt = models.ForeignKey(
        "buurten.Buurt", on_delete=models.PROTECT, related_name="verzoeken", verbose_name=_("buurt")
    )
    aanvrager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="verzoeken",
        verbose_name=_("aanvrager"),
    )
    activiteit = models.ForeignKey(
        "activiteiten.Activiteit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verzoeken",
        verbose_name=_("activiteit"),
    )
    soort = models.CharField(_("wat heb je nodig"), max_length=20, choices=VerzoekSoort.choices)
    bedrag = models.DecimalField(
        _("bedrag (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    nodig_op = models.DateField(_("nodig op"))
    toelichting = models.TextField(_("korte toelichting"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.CONCEPT
    )
    ingediend_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    deadline = models.DateField(_("besluit uiterlijk"), null=True, blank=True)
    stilzwijgend = models.BooleanField(_("stilzwijgend akkoord"), default=False)
    besloten_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    reden = models.TextField(_("reden"), max_length=1000, blank=True)
    verantwoording = models.TextField(_("verantwoording"), max_length=1000, blank=True)
    verantwoording_foto = models.ImageField(
        _("foto bij de verantwoording"), upload_to="verzoeken/", blank=True
    )
    deelnemers = models.PositiveIntegerField(_("aantal deelnemers"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("geëscaleerd op"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("faciliteringsverzoek")
        verbose_name_plural = _("faciliteringsverzoeken")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bedrag__isnull=True) | Q(bedrag__gte=0), name="verzoek_bedrag_positief"
            )
        ]

    def __str__(self):
        return f"{self.get_soort_display()} · {self.buurt}"

    def get_absolute_url(self):
        return reverse("verzoeken:detail", kwargs={"pk": self.pk})

    @property
    def termijn_te_laat(self) -> bool:
        """The answer may come only on or after the day it is needed (``answer_too_late``)."""
        return self.deadline is not None and answer_too_late(self.deadline, self.nodig_op)


class VerzoekHistorie(models.Model):
    verzoek = models.ForeignKey(
        Verzoek, on_delete=models.CASCADE, related_name="historie", verbose_name=_("verzoek")
    )
    van = models.CharField(_("van"), max_length=24, choices=Status.choices, blank=True)
    naar = models.CharField(_("naar"), max_length=24, choices=Status.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    bericht = models.TextField(_("bericht"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("gewijzigd op"), auto_now_add=True)
    # Delivery of the e-mail about this step (not part of the step itself).
    notified_at = models.DateTimeField(
        _("bericht verstuurd op"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.verzoek_id}: {self.van or '∅'} → {self.naar}"
