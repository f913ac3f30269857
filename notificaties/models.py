"""The outbox for every e-mail to a person: one row per recipient and event.

A row is written in the same transaction as the change that causes it and holds ids only: the
message is rendered when it is sent (``notificaties.soorten``), so no body is stored. The one
exception is allauth's account mail (``Soort.ACCOUNT``): its one-time link cannot be rebuilt
later, so the request renders it and the row holds address and text until it is sent or fails
for good, then they are erased.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notificatie(models.Model):
    class Soort(models.TextChoices):
        LIDMAATSCHAP_AANVRAAG = "lidmaatschap_aanvraag", _("Aanvraag lidmaatschap")
        WELKOM = "welkom", _("Welkom in de buurt")
        TERUGKOPPELING = "terugkoppeling", _("Terugkoppeling aan melder")
        INTIMIDATIE = "intimidatie", _("Intimidatie: nazorg coördinator")
        WACHTLIJST = "wachtlijst", _("Van de wachtlijst")
        HERINNERING = "herinnering", _("Herinnering activiteit")
        # The activity day overview of before the choices per kind (migration 0011): no new
        # rows, those already written are still sent and shown.
        DAGOVERZICHT = "dagoverzicht", _("Dagoverzicht")
        BERICHT = "bericht", _("Bericht van de organisator")
        VERZOEK_BESLUIT = "verzoek_besluit", _("Besluit over verzoek")
        VERZOEK_ESCALATIE = "verzoek_escalatie", _("Escalatie verzoek")
        VERZOEK_NIEUW = "verzoek_nieuw", _("Een verzoek wacht op je besluit")
        VERZOEK_TERMIJN = "verzoek_termijn", _("Laatste dag om over een verzoek te besluiten")
        BORGSTELLING = "borgstelling", _("Nieuw lid door borgstelling")
        STARTER_UITNODIGING = "starter_uitnodiging", _("Uitnodiging voor een starter")
        ACCOUNT = "account", _("Accountbericht")
        ONTVANGSTBEVESTIGING = "ontvangstbevestiging", _("Ontvangstbevestiging melding")
        TERMIJN_VERSTREKEN = (
            "termijn_verstreken",
            _("Termijn verstreken: melding met hoge prioriteit"),
        )
        NAZORG_HERINNERING = "nazorg_herinnering", _("Herinnering nazorg: contact vandaag")
        NIEUWE_ACTIVITEIT = "nieuwe_activiteit", _("Nieuwe activiteit in je buurt")
        AANMELDING = "aanmelding", _("Aanmelding voor je activiteit")
        AFMELDING = "afmelding", _("Afmelding voor je activiteit")
        HOGE_PRIORITEIT = "hoge_prioriteit", _("Melding met hoge prioriteit in je gebied")
        GEBIEDSOVERZICHT = "gebiedsoverzicht", _("Dagelijks overzicht van je gebied")
        OVERZICHT_DAG = "overzicht_dag", _("Dagelijks overzicht")
        OVERZICHT_WEEK = "overzicht_week", _("Wekelijks overzicht")

    # Kinds whose recipient is someone who reported a melding: never shown with the event.
    NAMES_A_REPORTER = frozenset({Soort.TERUGKOPPELING, Soort.ONTVANGSTBEVESTIGING})

    class Status(models.TextChoices):
        WACHTEND = "wachtend", _("Wachtend")
        VERZONDEN = "verzonden", _("Verzonden")
        MISLUKT = "mislukt", _("Mislukt")
        VERVALLEN = "vervallen", _("Vervallen")
        # The person's choice (notificaties.voorkeuren): waiting for their digest, sent in one,
        # or not sent at all.
        GEBUNDELD = "gebundeld", _("Wacht op overzicht")
        IN_OVERZICHT = "overzicht", _("In een overzicht verstuurd")
        UIT = "uit", _("Niet verstuurd (voorkeur)")

    soort = models.CharField(_("soort"), max_length=30, choices=Soort.choices)
    object_id = models.PositiveBigIntegerField(
        _("gebeurtenis"),
        help_text=_(
            "Het id van wat het bericht veroorzaakte (statuswijziging, aanmelding, bericht…); "
            "voor het dagoverzicht de dag als JJJJMMDD."
        ),
    )
    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ontvanger"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    # Ids only (the day overview's sign-ups and messages): never text about a person.
    params = models.JSONField(_("kenmerken"), default=dict, blank=True)
    # Account mail only, and only while it waits: allauth mails an address (maybe without an
    # account) a message rendered in the request. Erased once sent or failed for good.
    adres = models.EmailField(_("adres"), blank=True)
    onderwerp = models.TextField(_("onderwerp"), blank=True)
    tekst = models.TextField(_("tekst"), blank=True)
    html = models.TextField(_("html"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WACHTEND
    )
    # For a row waiting for a digest: which one (Keuze.DAG or Keuze.WEEK).
    bundel = models.CharField(_("overzicht"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_until = models.DateTimeField(_("geclaimd tot"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afgehandeld"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)
    # The inbox in the site (Berichten): when the recipient read it there, or opened what it
    # is about. A person's rows only: a team's rows are its shared address's copy.
    gelezen_at = models.DateTimeField(_("gelezen op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notificatie")
        verbose_name_plural = _("notificaties")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Exactly one of user, team, address; an account message handled has none left.
            models.CheckConstraint(
                condition=Q(ontvanger__isnull=False, team__isnull=True, adres="")
                | Q(ontvanger__isnull=True, team__isnull=False, adres="")
                | (Q(ontvanger__isnull=True, team__isnull=True) & ~Q(adres=""))
                | (
                    Q(ontvanger__isnull=True, team__isnull=True, adres="")
                    & Q(soort="account")
                    & ~Q(status="wachtend")
                ),
                name="notificatie_een_ontvanger",
            ),
            models.UniqueConstraint(
                fields=["soort", "object_id", "ontvanger"],
                condition=Q(ontvanger__isnull=False),
                name="notificatie_eenmaal_per_persoon",
            ),
            models.UniqueConstraint(
                fields=["soort", "object_id", "team"],
                condition=Q(team__isnull=False),
                name="notificatie_eenmaal_per_team",
            ),
            models.UniqueConstraint(
                fields=["soort", "object_id"],
                condition=Q(ontvanger__isnull=True, team__isnull=True),
                name="notificatie_eenmaal_per_adres",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notificatie_due"),
            models.Index(
                fields=["bundel", "ontvanger"],
                condition=Q(status="gebundeld"),
                name="notificatie_gebundeld",
            ),
            # A person's inbox, newest first, and its unread count.
            models.Index(
                fields=["ontvanger", "-created_at"],
                condition=Q(ontvanger__isnull=False),
                name="notificatie_inbox",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} #{self.object_id}"


class Keuze(models.TextChoices):
    """How a person wants to hear of one kind of notice."""

    DIRECT = "direct", _("Meteen")
    DAG = "dag", _("In het dagelijkse overzicht")
    WEEK = "week", _("In het wekelijkse overzicht")
    UIT = "uit", _("Niet")


class Berichtinstelling(models.Model):
    """A person's choices per kind of notice and their quiet hours. No row: the defaults
    (``notificaties.voorkeuren``), which is what most people have."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="berichtinstelling",
        verbose_name=_("gebruiker"),
    )
    # {kind: Keuze}; a kind missing here has its default.
    keuzes = models.JSONField(_("keuzes"), default=dict, blank=True)
    stille_uren = models.BooleanField(
        _("stille uren"),
        default=True,
        help_text=_("Berichten in deze uren wachten tot de ochtend."),
    )
    stil_van = models.TimeField(_("stil vanaf"), default=time(22, 0))
    stil_tot = models.TimeField(_("stil tot"), default=time(7, 0))
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("berichtinstelling")
        verbose_name_plural = _("berichtinstellingen")

    def __str__(self):
        return f"#{self.user_id}"


class PushAbonnement(models.Model):
    """One device (a browser on a phone or computer) that receives this person's pushes: what
    the browser's push service gave it (the endpoint and the keys the payload is encrypted
    for), and no more than a short label to recognise it by ("Chrome op Android")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("persoon"),
    )
    # The push service's address for this browser: a capability, unique across accounts (a
    # shared computer signed in as someone else takes it over).
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("publieke sleutel"), max_length=100)
    auth = models.CharField(_("authenticatiegeheim"), max_length=40)
    apparaat = models.CharField(_("apparaat"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("laatst bezorgd"), null=True, blank=True)

    class Meta:
        verbose_name = _("pushabonnement")
        verbose_name_plural = _("pushabonnementen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.apparaat or _("Apparaat #%(id)s") % {"id": self.pk}


class PushBericht(models.Model):
    """One push of one notification to one device: the outbox's row for the push channel,
    claimed, leased, retried and finished like a ``Notificatie`` (docs/adr/0015-web-push.md).
    The pair (notification, device) is unique: a notification is pushed to a device once."""

    Status = Notificatie.Status

    notificatie = models.ForeignKey(
        Notificatie, on_delete=models.CASCADE, related_name="+", verbose_name=_("notificatie")
    )
    abonnement = models.ForeignKey(
        PushAbonnement, on_delete=models.CASCADE, related_name="+", verbose_name=_("apparaat")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WACHTEND
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_until = models.DateTimeField(_("geclaimd tot"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afgehandeld"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pushbericht")
        verbose_name_plural = _("pushberichten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notificatie", "abonnement"], name="pushbericht_eenmaal_per_apparaat"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="pushbericht_due")]

    def __str__(self):
        return f"{self.notificatie} → {self.abonnement_id}"
