"""Meldingen: reports by residents, their reporters (with a protection tier), routing and triage,
the handling workflow with its append-only history, and the audit of identity reveals."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import SingleLineCharField
from wijkaanpak.talen import Vertaald

from .referentie import new_melding_reference
from .search import SEARCH_TEXT
from .workflow import AWAITS_RESPONSE, Status


class Doel(models.TextChoices):
    """Who a melding is routed to."""

    POLITIE = "politie", _("Politie")
    HANDHAVING = "handhaving", _("Handhaving")
    GEMEENTE = "gemeente", _("Gemeente (openbare ruimte)")
    BUURT = "buurt", _("De buurt zelf")
    COORDINATOR = "coordinator", _("Wijkcoördinator")


class Prioriteit(models.IntegerChoices):
    LAAG = 1, _("laag")
    NORMAAL = 2, _("normaal")
    HOOG = 3, _("hoog")


class Categorie(models.Model):
    """What a melding is about; administrators edit the list and its guidance."""

    # Dutch in the plain field, English beside it (blank: the Dutch text): ADR 0014.
    naam = SingleLineCharField(_("naam"), max_length=60, unique=True)
    naam_en = SingleLineCharField(_("naam (Engels)"), max_length=60, blank=True)
    toelichting = SingleLineCharField(
        _("wat hoort hierbij"), max_length=200, help_text=_("Eén regel uitleg voor de melder.")
    )
    toelichting_en = SingleLineCharField(
        _("wat hoort hierbij (Engels)"), max_length=200, blank=True
    )
    voorbeeld = SingleLineCharField(
        _("voorbeeld"),
        max_length=200,
        blank=True,
        help_text=_("Een voorbeeld van een goede melding."),
    )
    voorbeeld_en = SingleLineCharField(_("voorbeeld (Engels)"), max_length=200, blank=True)
    ernst = models.PositiveSmallIntegerField(
        _("ernst"), choices=Prioriteit.choices, default=Prioriteit.NORMAAL
    )
    reactietermijn_uren = models.PositiveIntegerField(_("reactietermijn (uren)"), default=72)
    is_intimidatie = models.BooleanField(
        _("intimidatie"),
        default=False,
        help_text=_(
            "Steunverzoek van een bedreigde bewoner: hoge prioriteit, nooit zichtbaar voor buren."
        ),
    )
    trefwoorden = SingleLineCharField(
        _("trefwoorden"),
        max_length=200,
        blank=True,
        help_text=_("Komma-gescheiden, voor apps die via Open311 melden (bijv. 'dealen, drugs')."),
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")
        ordering = ["volgorde", "naam"]

    vertaald = Vertaald("naam", "toelichting", "voorbeeld")

    def __str__(self):
        return self.vertaald.naam


class RoutingRegel(models.Model):
    """An ordered rule: the first active rule that matches decides the target."""

    volgorde = models.PositiveIntegerField(_("volgorde"), default=100)
    categorie = models.ForeignKey(
        Categorie,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("categorie"),
        help_text=_("Leeg: elke categorie."),
    )
    wijk = models.ForeignKey(
        "buurten.Wijk", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("wijk")
    )
    buurt = models.ForeignKey(
        "buurten.Buurt", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("buurt")
    )
    vanaf = models.TimeField(_("vanaf"), null=True, blank=True)
    tot = models.TimeField(
        _("tot"), null=True, blank=True, help_text=_("Mag over middernacht lopen (22:00–06:00).")
    )
    doel = models.CharField(_("naar"), max_length=20, choices=Doel.choices)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("routeringsregel")
        verbose_name_plural = _("routeringsregels")
        ordering = ["volgorde", "pk"]

    def __str__(self):
        parts = [str(self.categorie or _("elke categorie"))]
        if self.buurt_id:
            parts.append(str(self.buurt))
        elif self.wijk_id:
            parts.append(str(self.wijk))
        if self.vanaf or self.tot:
            start = self.vanaf.strftime("%H:%M") if self.vanaf else "00:00"
            end = self.tot.strftime("%H:%M") if self.tot else "24:00"
            parts.append(f"{start}–{end}")
        return f"{' · '.join(parts)} → {self.get_doel_display()}"


# How the sex given in the form reads in a description (the form offers "weet ik niet").
GESLACHT_LABELS = {"man": _("man"), "vrouw": _("vrouw"), "onbekend": _("geslacht onbekend")}


class MeldingQuerySet(models.QuerySet):
    def for_feed(self):
        return self.select_related("categorie", "buurt__wijk").order_by(
            "-prioriteit", "-created_at", "-pk"
        )


class Melding(models.Model):
    """A case. Several residents may report the same thing ("ik ook"): see ``Melder``."""

    # What the reporter quotes ("M-7K3Q-9PX2"): random, so it reveals no count or order.
    referentie = models.CharField(
        _("referentie"),
        max_length=11,
        unique=True,
        default=new_melding_reference,
        editable=False,
    )
    # No index of their own: the feed's indexes below start with each (``Meta.indexes``).
    buurt = models.ForeignKey(
        "buurten.Buurt",
        on_delete=models.PROTECT,
        related_name="meldingen",
        verbose_name=_("buurt"),
        db_index=False,
    )
    categorie = models.ForeignKey(
        Categorie,
        on_delete=models.PROTECT,
        related_name="meldingen",
        verbose_name=_("categorie"),
        db_index=False,
    )
    wat = models.TextField(_("wat gebeurde er"), max_length=1000)
    waar = SingleLineCharField(_("waar"), max_length=200, blank=True)  # or only a point
    # The address nearest the point, as the address service (``buurten.adressen``) gave it when
    # the melding was filed: for the handlers only. Residents see at most ``straat``, the street
    # without a number, and only for "ik ook"; neither is the reporter's own text.
    adres = SingleLineCharField(_("adres (bij de speld)"), max_length=200, blank=True)
    straat = SingleLineCharField(_("straat"), max_length=120, blank=True)
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)
    wanneer = models.DateTimeField(_("wanneer"))
    al_112_gebeld = models.BooleanField(_("112 is al gebeld"), default=False)
    persoon_geslacht = SingleLineCharField(_("geslacht"), max_length=20, blank=True)
    persoon_lengte = SingleLineCharField(_("lengte"), max_length=30, blank=True)
    persoon_kleding = SingleLineCharField(_("kleding"), max_length=120, blank=True)
    persoon_kenmerken = SingleLineCharField(_("opvallende kenmerken"), max_length=120, blank=True)
    voertuig_kleur = SingleLineCharField(_("kleur voertuig"), max_length=30, blank=True)
    voertuig_merk = SingleLineCharField(_("merk"), max_length=40, blank=True)
    voertuig_type = SingleLineCharField(_("soort voertuig"), max_length=40, blank=True)
    voertuig_kenteken = SingleLineCharField(_("(deel van) kenteken"), max_length=12, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ONTVANGEN
    )
    doel = models.CharField(_("naar"), max_length=20, choices=Doel.choices, blank=True)
    prioriteit = models.PositiveSmallIntegerField(
        _("prioriteit"), choices=Prioriteit.choices, default=Prioriteit.NORMAAL
    )
    # The officer's one-line summary (``triage.summary``), written in each language (ADR 0014).
    samenvatting = SingleLineCharField(_("samenvatting"), max_length=240, blank=True)
    samenvatting_en = SingleLineCharField(_("samenvatting (Engels)"), max_length=240, blank=True)
    gewicht = models.PositiveIntegerField(_("aantal melders"), default=1)
    deadline_at = models.DateTimeField(_("reageren voor"), null=True, blank=True)
    # The team was told that this high-priority melding passed its deadline unanswered (reset
    # when a reopening starts a new term): ``services.meldingen_alert_overdue``.
    overdue_alerted_at = models.DateTimeField(
        _("team gewaarschuwd (termijn verstreken)"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True, db_index=True)
    routed_at = models.DateTimeField(_("gerouteerd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    anonymised_at = models.DateTimeField(
        _("geanonimiseerd op"), null=True, blank=True, editable=False
    )
    # What the feed's search reads (``search.py``), kept by the database: it follows every
    # change of the texts, anonymisation too. On Postgres it has a trigram index.
    zoektekst = models.GeneratedField(
        verbose_name=_("zoektekst"),
        expression=SEARCH_TEXT,
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = MeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [
            # The feed: target, then newest high priority first (keyset pagination).
            models.Index(fields=["doel", "-prioriteit", "-created_at", "-id"], name="melding_feed"),
            # The feed of a small area, read buurt by buurt (``feed.page``).
            models.Index(
                fields=["buurt", "doel", "-prioriteit", "-created_at", "-id"],
                name="melding_feed_buurt",
            ),
            # The feed of one category (a filter officers use), for a large area and buurt by
            # buurt: as many rows read as the page shows, however rare the category.
            models.Index(
                fields=["categorie", "doel", "-prioriteit", "-created_at", "-id"],
                name="melding_feed_categorie",
            ),
            models.Index(
                fields=["buurt", "categorie", "doel", "-prioriteit", "-created_at", "-id"],
                name="melding_feed_buurt_categorie",
            ),
            # One status chosen (a reopened melding is 2 in 100): buurt by buurt, the same.
            models.Index(
                fields=["buurt", "status", "doel", "-prioriteit", "-created_at", "-id"],
                name="melding_feed_buurt_status",
            ),
            models.Index(fields=["buurt", "categorie", "created_at"], name="melding_ikook"),
            # The overdue alert's candidates only: high priority, waiting, not yet alerted.
            models.Index(
                fields=["deadline_at"],
                name="melding_overdue_alert",
                condition=models.Q(
                    prioriteit=Prioriteit.HOOG,
                    status__in=AWAITS_RESPONSE,
                    overdue_alerted_at=None,
                ),
            ),
        ]

    vertaald = Vertaald("samenvatting")

    def __str__(self):
        return self.vertaald.samenvatting or f"{self.categorie} · {self.buurt}"

    def get_absolute_url(self):
        return reverse("meldingen:detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in (Status.AFGESLOTEN, Status.DOORGEZET)

    @property
    def voertuig(self) -> str:
        """The vehicle as one phrase, its kind first: "scooter (Piaggio, wit)". A colour typed
        before the noun would need inflecting ("wit scooter" is wrong Dutch); after it, it
        needs none, in either language. As the reporter typed each part."""
        rest = ", ".join(part for part in (self.voertuig_merk, self.voertuig_kleur) if part)
        if self.voertuig_type:
            return f"{self.voertuig_type} ({rest})" if rest else self.voertuig_type
        return rest

    @property
    def awaits_response(self) -> bool:
        """No handler has reacted since routing (or since the reporter reopened it)."""
        return self.status in AWAITS_RESPONSE

    def is_overdue(self, now) -> bool:
        """The deadline passed with no reaction: the one definition the feed, the reporter's
        pages and the team's alert (``selectors.overdue``) all use."""
        return self.awaits_response and self.deadline_at is not None and self.deadline_at < now

    @property
    def is_overdue_now(self) -> bool:
        """``is_overdue`` at this moment: read when a page is rendered, never cached with it."""
        return self.is_overdue(timezone.now())

    @property
    def persoon_beschrijving(self) -> str:
        """The person seen, as one readable line: "man, ca. 1,80 m, donkere jas, baard"."""
        geslacht = GESLACHT_LABELS.get(self.persoon_geslacht, self.persoon_geslacht)
        parts = (geslacht, self.persoon_lengte, self.persoon_kleding, self.persoon_kenmerken)
        return ", ".join(str(part) for part in parts if part)


class Melder(models.Model):
    """A resident who reported (or said "ik ook" to) a melding, with the tier they chose."""

    class Bescherming(models.TextChoices):
        ANONIEM = "anoniem", _("Anoniem")
        COORDINATOR = "coordinator", _("Alleen bekend bij de wijkcoördinator")
        CONTACT = "contact", _("Politie of handhaving mag contact opnemen")

    class Oordeel(models.TextChoices):
        OPGELOST = "opgelost", _("Opgelost")
        NIET_OPGELOST = "niet_opgelost", _("Niet opgelost")

    melding = models.ForeignKey(
        Melding, on_delete=models.CASCADE, related_name="melders", verbose_name=_("melding")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meldingen_gemeld",
        verbose_name=_("gebruiker"),
    )
    bescherming = models.CharField(
        _("bescherming"),
        max_length=20,
        choices=Bescherming.choices,
        default=Bescherming.COORDINATOR,
    )
    telefoon = SingleLineCharField(_("telefoonnummer"), max_length=20, blank=True)
    # Reporters without an account (through an outside app, Open311) leave these instead; they
    # are shown like an account's details (audited reveal) and erased by retention alike.
    contact_naam = SingleLineCharField(_("naam (extern)"), max_length=100, blank=True)
    contact_email = models.EmailField(_("e-mailadres (extern)"), blank=True)
    # A keyed hash of (user, melding), also for anonymous reporters: it stops one person from
    # adding "ik ook" twice, without storing who they are. Erased with the rest by retention.
    marker = models.CharField(
        _("kenmerk tegen dubbel melden"), max_length=64, blank=True, editable=False
    )
    reactie = models.CharField(
        _("toelichting van de melder"),
        max_length=500,
        blank=True,
        help_text=_("Wat volgens de melder nog niet is opgelost."),
    )
    is_eerste = models.BooleanField(_("eerste melder"), default=True)
    oordeel = models.CharField(_("oordeel"), max_length=20, choices=Oordeel.choices, blank=True)
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True)
    # When the reporter last opened the melding: newer messages show as "new" in the site.
    gelezen_at = models.DateTimeField(_("laatst gelezen op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("melder")
        verbose_name_plural = _("melders")
        constraints = [
            models.UniqueConstraint(
                fields=["melding", "user"],
                condition=models.Q(user__isnull=False),
                name="melder_once_per_melding",
            ),
            models.UniqueConstraint(
                fields=["melding", "marker"],
                condition=~models.Q(marker=""),
                name="melder_marker_once_per_melding",
            ),
        ]

    def __str__(self):
        return f"melder {self.pk} ({self.get_bescherming_display()})"

    @property
    def is_known(self) -> bool:
        """Whether anything identifies this reporter: an account or contact details."""
        return bool(self.user_id or self.contact_naam or self.contact_email or self.telefoon)


def foto_path(instance, filename):
    return f"meldingen/{uuid.uuid4().hex}.jpg"


class Foto(models.Model):
    """A photo, re-encoded without metadata; served only through a view that checks access."""

    melding = models.ForeignKey(
        Melding, on_delete=models.CASCADE, related_name="fotos", verbose_name=_("melding")
    )
    bestand = models.ImageField(
        _("bestand"), upload_to=foto_path, width_field="breedte", height_field="hoogte"
    )
    breedte = models.PositiveIntegerField(_("breedte"), default=0)
    hoogte = models.PositiveIntegerField(_("hoogte"), default=0)
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")

    def __str__(self):
        return f"foto {self.pk} bij melding {self.melding_id}"


class StatusWijziging(models.Model):
    """Append-only history: every state change, who made it, and what the reporters were told.

    Two messages, for two audiences: ``terugkoppeling`` reaches everyone who reported,
    neighbours who said "ik ook" included; ``bericht_eerste_melder`` only the resident who made
    the report. A reporter who acts (reopens) is never stored as ``door``, only as the role
    ``door_rol``: who reported is shown through the audited reveal alone."""

    class Rol(models.TextChoices):
        MELDER = "melder", _("de melder")

    melding = models.ForeignKey(
        Melding, on_delete=models.CASCADE, related_name="historie", verbose_name=_("melding")
    )
    van = models.CharField(_("van"), max_length=20, choices=Status.choices, blank=True)
    naar = models.CharField(_("naar"), max_length=20, choices=Status.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    door_rol = models.CharField(
        _("door (rol)"), max_length=20, choices=Rol.choices, blank=True, editable=False
    )
    terugkoppeling = models.TextField(
        _("bericht aan alle melders"),
        max_length=1000,
        blank=True,
        help_text=_("Lezen allen die dit meldden, ook buren die 'Ik ook' zeiden."),
    )
    bericht_eerste_melder = models.TextField(
        _("bericht aan de eerste melder"),
        max_length=1000,
        blank=True,
        help_text=_("Leest alleen wie de melding deed; buren die 'Ik ook' zeiden niet."),
    )
    created_at = models.DateTimeField(_("gewijzigd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statusgeschiedenis")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.melding_id}: {self.van or '∅'} → {self.naar}"


class Doorzetting(models.Model):
    """The hand-off of a melding to a target; the unique constraint makes it happen once."""

    melding = models.ForeignKey(
        Melding, on_delete=models.CASCADE, related_name="doorzettingen", verbose_name=_("melding")
    )
    doel = models.CharField(_("naar"), max_length=20, choices=Doel.choices)
    regel = models.ForeignKey(
        RoutingRegel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("routeringsregel"),
    )
    created_at = models.DateTimeField(_("doorgezet op"), auto_now_add=True)
    notified_at = models.DateTimeField(
        _("bericht verstuurd op"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("doorzetting")
        verbose_name_plural = _("doorzettingen")
        constraints = [
            models.UniqueConstraint(fields=["melding", "doel"], name="doorzetting_once_per_doel")
        ]

    def __str__(self):
        return f"{self.melding_id} → {self.doel}"


class Outbox(models.Model):
    """Work to hand to Celery, written in the same transaction as the melding.

    A relay enqueues it after commit, a periodic sweep re-enqueues what is not done; after
    ``MAX_ATTEMPTS`` hand-overs it is marked failed and shows in the admin.
    """

    MAX_ATTEMPTS = 5

    class Soort(models.TextChoices):
        ROUTE = "route", _("Routeren en triëren")

    melding = models.ForeignKey(
        Melding, on_delete=models.CASCADE, related_name="outbox", verbose_name=_("melding")
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("aangeboden"), default=0)
    enqueued_at = models.DateTimeField(_("laatst aangeboden"), null=True, blank=True)
    done_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    failed_at = models.DateTimeField(_("mislukt"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outbox-taak")
        verbose_name_plural = _("outbox")
        constraints = [
            models.UniqueConstraint(fields=["melding", "soort"], name="outbox_once_per_soort")
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="outbox_open", condition=models.Q(done_at=None)
            )
        ]

    def __str__(self):
        return f"{self.get_soort_display()} · melding {self.melding_id}"


class Inzage(models.Model):
    """Audit: a professional revealed a reporter's identity or contact details, and why."""

    class Grond(models.TextChoices):
        AANGIFTE = "aangifte", _("Aangifte of lopend onderzoek")
        AFHANDELING = "afhandeling", _("Contact nodig voor de afhandeling")
        GEVAAR = "gevaar", _("Gevaar voor de melder of anderen")
        NAZORG = "nazorg", _("Nazorg of steun voor de melder")

    # The reason is a ground from the list plus a case number or a sentence: something an
    # auditor can check ("aaaaa" is not). See ``services.melder_reveal``.
    REDEN_MIN_WORDS = 6
    ZAAKNUMMER_MIN_DIGITS = 6

    melder = models.ForeignKey(
        Melder, on_delete=models.CASCADE, related_name="inzages", verbose_name=_("melder")
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    grond = models.CharField(_("grond"), max_length=20, choices=Grond.choices, blank=True)
    reden = SingleLineCharField(_("zaaknummer of toelichting"), max_length=200)
    created_at = models.DateTimeField(_("ingezien op"), auto_now_add=True)

    class Meta:
        verbose_name = _("inzage melder")
        verbose_name_plural = _("inzages melders")
        ordering = ["-created_at"]

    def __str__(self):
        return f"inzage melder {self.melder_id} door {self.door_id}"


class Nazorg(models.Model):
    """The coordinator's follow-up for a resident who asked for support against intimidation:
    what was done, by whom, when. Only coordinators (and administrators) of the area read it;
    the text goes at retention, the fact that support was given stays."""

    melding = models.ForeignKey(
        Melding, on_delete=models.CASCADE, related_name="nazorg", verbose_name=_("melding")
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    notitie = models.CharField(_("wat is er gedaan"), max_length=500)
    # The latest note decides the state of the case: a next contact planned (a reminder to the
    # area's coordinators at 08:00 that day), afgerond (this note is the closing note), or
    # neither (still open, no date). See ``selectors.nazorg_state``.
    volgende_contact = models.DateField(_("volgende contact op"), null=True, blank=True)
    afgerond = models.BooleanField(_("nazorg afgerond"), default=False)
    herinnerd_at = models.DateTimeField(_("herinnering verstuurd"), null=True, blank=True)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    # How far ahead a next contact may be planned.
    MAX_VOORUIT = timedelta(days=366)
    # The hour (local time) the reminder goes out on the day of the planned contact.
    HERINNERING_UUR = 8

    class Meta:
        verbose_name = _("nazorg")
        verbose_name_plural = _("nazorg")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(afgerond=True, volgende_contact__isnull=False),
                name="nazorg_afgerond_zonder_datum",
            )
        ]

    def __str__(self):
        return f"nazorg melding {self.melding_id}"
