"""Survey rounds and their anonymous responses, computed indicator snapshots, on-demand
computations and the per-gemeente settings (target and minimum numbers)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import SingleLineCharField

from . import kwartaal
from .survey import ITEMS, WEET_NIET, WEET_NIET_CODE


class IndicatorInstelling(models.Model):
    """Per gemeente: the target for the actieve kern (a programme assumption) and the minimum
    numbers below which figures are suppressed. Without a row the defaults apply."""

    gemeente = models.OneToOneField(
        "buurten.Gemeente",
        on_delete=models.CASCADE,
        related_name="indicator_instelling",
        verbose_name=_("gemeente"),
    )
    streefwaarde_actieve_kern = models.PositiveSmallIntegerField(
        _("doel actieve kern (%)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Programma-aanname, geen norm: standaard 20%."),
    )
    min_n_enquete = models.PositiveSmallIntegerField(
        _("minimum aantal antwoorden"),
        default=30,
        validators=[MinValueValidator(10)],
        help_text=_("Minder antwoorden: het enquêtecijfer wordt niet getoond."),
    )
    min_n_telling = models.PositiveSmallIntegerField(
        _("minimum telling"),
        default=10,
        validators=[MinValueValidator(5)],
        help_text=_("Kleinere aantallen worden getoond als '< minimum', nooit exact."),
    )

    class Meta:
        verbose_name = _("indicatorinstelling")
        verbose_name_plural = _("indicatorinstellingen")

    def __str__(self):
        return str(self.gemeente)


class Peiling(models.Model):
    """A survey round in one wijk, opened and closed by its coordinator."""

    wijk = models.ForeignKey(
        "buurten.Wijk", on_delete=models.CASCADE, related_name="peilingen", verbose_name=_("wijk")
    )
    titel = SingleLineCharField(_("titel"), max_length=100)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geopend door"),
    )
    geopend_at = models.DateTimeField(_("geopend op"))
    gesloten_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("peiling")
        verbose_name_plural = _("peilingen")
        ordering = ["-geopend_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["wijk"],
                condition=Q(gesloten_at__isnull=True),
                name="peiling_een_open_per_wijk",
            )
        ]

    def __str__(self):
        return f"{self.titel} ({self.wijk})"

    @property
    def is_open(self) -> bool:
        return self.gesloten_at is None


def _answer_field(item):
    choices = (*item.schaal, (WEET_NIET_CODE, WEET_NIET))
    return models.PositiveSmallIntegerField(item.key, null=True, blank=True, choices=choices)


class Respons(models.Model):
    """One resident's answers, without any link to the person.

    No user, no timestamp (the round dates it) and a random primary key, so that neither the
    order of rows nor a date can be matched with the marker or with someone's activity.
    An item holds its scale value, ``WEET_NIET_CODE`` for "weet niet", or ``None`` when it was
    skipped (before the two were told apart, ``None`` was both: see ADR 0006).
    """

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="responsen", verbose_name=_("peiling")
    )
    buurt = models.ForeignKey(
        "buurten.Buurt", on_delete=models.CASCADE, related_name="+", verbose_name=_("buurt")
    )

    class Meta:
        verbose_name = _("respons")
        verbose_name_plural = _("responsen")
        indexes = [models.Index(fields=["peiling", "buurt"], name="respons_peiling_buurt")]

    def __str__(self):
        return f"respons bij {self.peiling_id}"


# One nullable small-int field per survey item, named after the item (sc1 … intimidatie).
for _item in ITEMS:
    Respons.add_to_class(_item.key, _answer_field(_item))


class ResponsMarker(models.Model):
    """Proof that someone answered a round: an HMAC of user and round, which cannot be turned
    back into the user or linked to their answers (see ``services.respons_marker``)."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="markers", verbose_name=_("peiling")
    )
    marker = models.CharField(_("kenmerk"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["peiling", "marker"], name="respons_een_per_bewoner")
        ]

    def __str__(self):
        return f"marker bij {self.peiling_id}"


class Niveau(models.TextChoices):
    BUURT = "buurt", _("Buurt")
    WIJK = "wijk", _("Wijk")
    GEMEENTE = "gemeente", _("Gemeente")


class Publicatie(models.Model):
    """One published version of a gemeente's figures for one ended calendar quarter (ADR 0006).

    Final: its snapshots are never recomputed, replaced or deleted. The nightly run makes
    version 1 once; a correction is a new version with a note (``services.publicatie_correct``),
    and open data serves the latest while the earlier ones stay downloadable.
    """

    gemeente = models.ForeignKey(
        "buurten.Gemeente",
        on_delete=models.PROTECT,
        related_name="publicaties",
        verbose_name=_("gemeente"),
    )
    periode_start = models.DateField(_("van"))
    periode_eind = models.DateField(_("tot en met"))
    versie = models.PositiveSmallIntegerField(_("versie"), validators=[MinValueValidator(1)])
    gepubliceerd_at = models.DateTimeField(_("gepubliceerd op"))
    notitie = models.TextField(
        _("toelichting"),
        blank=True,
        help_text=_("Verplicht bij een correctie: wat er anders is en waarom."),
    )
    gepubliceerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gecorrigeerd door"),
    )

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        ordering = ["-periode_eind", "-versie"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "periode_start", "periode_eind", "versie"],
                name="publicatie_een_per_versie",
            ),
            models.CheckConstraint(
                condition=Q(versie__gte=1) & (Q(versie=1) | ~Q(notitie="")),
                name="publicatie_correctie_met_notitie",
            ),
        ]

    def __str__(self):
        # "Amsterdam, jul-sep 2026, versie 2" (with an en dash)
        return _("%(gemeente)s, %(kwartaal)s, versie %(versie)s") % {
            "gemeente": self.gemeente,
            "kwartaal": kwartaal.label(self.periode_start, self.periode_eind),
            "versie": self.versie,
        }


class Snapshot(models.Model):
    """The indicators of one area for one period, as computed then.

    A *live* snapshot (``publicatie`` empty) is the coordinators' working figure: a
    recomputation of its period replaces it. A *published* one belongs to its
    :class:`Publicatie` and is never changed; open data, the API, the residents' page and trends
    read only those.

    ``waarden`` = {key: {"waarde": float|None, "n": int|None, "ci": [lo, hi]|None,
    "onderdrukt": bool, "drempel": int}}; a suppressed figure has no waarde, n or ci.
    """

    niveau = models.CharField(_("niveau"), max_length=10, choices=Niveau.choices)
    gemeente = models.ForeignKey(
        "buurten.Gemeente",
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("gemeente"),
    )
    wijk = models.ForeignKey(
        "buurten.Wijk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("wijk"),
    )
    buurt = models.ForeignKey(
        "buurten.Buurt",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("buurt"),
    )
    periode_start = models.DateField(_("van"))
    periode_eind = models.DateField(_("tot en met"))
    berekend_at = models.DateTimeField(_("berekend op"))
    waarden = models.JSONField(_("waarden"), default=dict)
    publicatie = models.ForeignKey(
        Publicatie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("publicatie"),
        help_text=_("Leeg: een voorlopig cijfer voor coördinatoren, dat herberekend wordt."),
    )

    class Meta:
        verbose_name = _("momentopname")
        verbose_name_plural = _("momentopnamen")
        ordering = ["periode_eind"]
        constraints = [
            # Live: one per area and period (a recomputation replaces it).
            models.UniqueConstraint(
                fields=["buurt", "periode_start", "periode_eind"],
                condition=Q(niveau="buurt", publicatie__isnull=True),
                name="snapshot_buurt_periode",
            ),
            models.UniqueConstraint(
                fields=["wijk", "periode_start", "periode_eind"],
                condition=Q(niveau="wijk", publicatie__isnull=True),
                name="snapshot_wijk_periode",
            ),
            models.UniqueConstraint(
                fields=["gemeente", "periode_start", "periode_eind"],
                condition=Q(niveau="gemeente", publicatie__isnull=True),
                name="snapshot_gemeente_periode",
            ),
            # Published: one per area and version.
            models.UniqueConstraint(
                fields=["publicatie", "buurt"],
                condition=Q(niveau="buurt", publicatie__isnull=False),
                name="snapshot_buurt_publicatie",
            ),
            models.UniqueConstraint(
                fields=["publicatie", "wijk"],
                condition=Q(niveau="wijk", publicatie__isnull=False),
                name="snapshot_wijk_publicatie",
            ),
            models.UniqueConstraint(
                fields=["publicatie"],
                condition=Q(niveau="gemeente", publicatie__isnull=False),
                name="snapshot_gemeente_publicatie",
            ),
        ]
        indexes = [
            models.Index(fields=["gemeente", "niveau", "periode_eind"], name="snapshot_lookup")
        ]

    def __str__(self):
        area = self.buurt or self.wijk or self.gemeente
        return f"{area} {self.periode_start}–{self.periode_eind}"


class Berekening(models.Model):
    """An on-demand (or nightly) computation of all snapshots of a gemeente for one period."""

    class Status(models.TextChoices):
        WACHTEND = "wachtend", _("Wacht op de rekenserver")
        BEZIG = "bezig", _("Bezig")
        KLAAR = "klaar", _("Klaar")
        MISLUKT = "mislukt", _("Mislukt")

    gemeente = models.ForeignKey(
        "buurten.Gemeente", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    periode_start = models.DateField(_("van"))
    periode_eind = models.DateField(_("tot en met"))
    gevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gevraagd door"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WACHTEND
    )
    voortgang = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    fout = models.CharField(_("fout"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    gestart_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    klaar_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("berekening")
        verbose_name_plural = _("berekeningen")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.gemeente} {self.periode_start}–{self.periode_eind} ({self.status})"

    # A computation of the largest gemeente takes seconds; one running this long has lost its
    # worker (the task is acknowledged late, so a crash redelivers it, but not forever).
    STALLED_AFTER = timedelta(minutes=15)

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.KLAAR, self.Status.MISLUKT)

    @property
    def is_stalled(self) -> bool:
        return (
            self.status == self.Status.BEZIG
            and self.gestart_at is not None
            and timezone.now() - self.gestart_at > self.STALLED_AFTER
        )


class StarterAanmelding(models.Model):
    """A resident who would like an invitation for a first activity ("starter"), asked at the
    end of a survey round and stored apart from the answers: a random key, the round, the day
    only, and nothing shared with ``Respons`` (no buurt, no time), written by its own request
    after the answers were saved. Withdrawing deletes the row."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bewoner"),
    )
    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="starters", verbose_name=_("peiling")
    )
    aangemeld_op = models.DateField(_("aangemeld op"))

    class Meta:
        verbose_name = _("starter")
        verbose_name_plural = _("starters")
        constraints = [
            models.UniqueConstraint(fields=["user", "peiling"], name="starter_een_per_peiling")
        ]

    def __str__(self):
        return f"starter bij {self.peiling_id}"


class DeelnameMaand(models.Model):
    """Per resident, buurt and complete past month: what the activity statement needs of that
    resident's participations there (issue 15): activities taken part in or organised (the
    organiser who also signed up once), whether any was in a volunteer role or organised, and
    the volunteer hours in tenths. The buurt is where the resident was a verified member on the
    day of each activity (ADR 0006). Rebuilt, never edited: for a month once it has ended, and
    for a resident whose participations or memberships changed (``DeelnameGewijzigd``).
    Intermediate sums for the computation only, never shown."""

    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("bewoner"),
    )
    buurt = models.ForeignKey(
        "buurten.Buurt", on_delete=models.CASCADE, related_name="+", verbose_name=_("buurt")
    )
    # Months as year * 12 + month - 1 (Europe/Amsterdam): comparable on every database.
    maand = models.IntegerField(_("maand"))
    keer = models.IntegerField(_("keer"))
    actief = models.SmallIntegerField(_("actief"))
    uren_tienden = models.IntegerField(_("tienden van uren"))

    class Meta:
        verbose_name = _("deelname per maand")
        verbose_name_plural = _("deelname per maand")
        constraints = [
            models.UniqueConstraint(
                fields=["persoon", "maand", "buurt"], name="deelnamemaand_uniek"
            )
        ]
        indexes = [models.Index(fields=["maand"], name="deelnamemaand_maand")]

    def __str__(self):
        return f"{self.persoon_id} {self.maand}"


class DeelnameMaandStand(models.Model):
    """One row: ``DeelnameMaand`` holds every month before ``tot`` (a month number like
    ``DeelnameMaand.maand``) for every resident not named in ``DeelnameGewijzigd``. No row:
    no month is held, and the computation reads every participation."""

    tot = models.IntegerField(_("tot maand"))
    bijgewerkt_at = models.DateTimeField(_("bijgewerkt op"))

    class Meta:
        verbose_name = _("stand van de deelname per maand")
        verbose_name_plural = _("stand van de deelname per maand")

    def __str__(self):
        return f"tot {self.tot}"


class DeelnameGewijzigd(models.Model):
    """A resident whose participations or memberships changed since ``DeelnameMaand`` was
    built for them: the computation reads that resident's participations directly until the
    nightly maintenance has rebuilt their months and removed this row. Written by the signals
    of ``indicatoren.deelname`` in the transaction of the change. A plain id, not a foreign
    key: the row may outlive the resident."""

    persoon_id = models.BigIntegerField(_("bewoner"), db_index=True)

    class Meta:
        verbose_name = _("gewijzigde deelname")
        verbose_name_plural = _("gewijzigde deelnames")

    def __str__(self):
        return str(self.persoon_id)


class DeelnamePeriodeStand(models.Model):
    """Per gemeente: the window of activities [``van``, ``tot``) that ``DeelnamePeriode`` and
    ``DeelnameKubus`` describe, the live period (the last 12 months up to the moment of the
    nightly maintenance) as it was then (issue 15). The computation of a window close to it
    takes the stored figures and reads only the residents whose figures may differ: those
    marked as changed and those with an activity in the days between the two windows."""

    gemeente = models.OneToOneField(
        "buurten.Gemeente", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    van = models.DateTimeField(_("van"))
    tot = models.DateTimeField(_("tot"))
    bijgewerkt_at = models.DateTimeField(_("bijgewerkt op"))

    class Meta:
        verbose_name = _("stand van de deelname in de periode")
        verbose_name_plural = _("stand van de deelname in de periode")

    def __str__(self):
        return f"{self.gemeente_id}: {self.van:%Y-%m-%d} – {self.tot:%Y-%m-%d %H:%M}"


class DeelnameCombinatie(models.Model):
    """What the participation figures count of a resident in an area: the level (buurt, wijk,
    gemeente) and the area's id, the age band, repeater or not, active core or not (0 or 1, as
    the statement counts them) and the volunteer hours in tenths (issue 15)."""

    gemeente = models.ForeignKey(
        "buurten.Gemeente",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("gemeente"),
    )
    niveau = models.CharField(_("niveau"), max_length=1)
    gebied = models.BigIntegerField(_("gebied"))
    leeftijdsgroep = models.CharField(_("leeftijdsgroep"), max_length=16, blank=True)
    herhaler = models.SmallIntegerField(_("herhaler"))
    kern = models.SmallIntegerField(_("kern"))
    uren_tienden = models.IntegerField(_("tienden van uren"))

    class Meta:
        abstract = True


class DeelnamePeriode(DeelnameCombinatie):
    """Per resident and area (buurt, wijk, gemeente) of the window of ``DeelnamePeriodeStand``:
    the combination that resident counts in there (issue 15). Kept so that the maintenance can
    take a resident's old part out of ``DeelnameKubus`` when it changes. A plain id, not a
    foreign key: a deleted account's part must still be taken out. Intermediate sums for the
    computation only, never shown; rebuilt nightly."""

    persoon_id = models.BigIntegerField(_("bewoner"))

    class Meta:
        verbose_name = _("deelname in de periode")
        verbose_name_plural = _("deelname in de periode")
        indexes = [models.Index(fields=["gemeente", "persoon_id"], name="deelnameperiode_persoon")]

    def __str__(self):
        return f"{self.persoon_id} {self.niveau}{self.gebied}"


class DeelnameKubus(DeelnameCombinatie):
    """Per area of the window of ``DeelnamePeriodeStand``: how many residents counted there
    with each combination. Every participation figure of an area follows from these counts:
    sums, and the top-10% share of hours from the counts per number of hours (issue 15).
    Never shown as such."""

    aantal = models.IntegerField(_("aantal"))

    class Meta:
        verbose_name = _("telling van de deelname in de periode")
        verbose_name_plural = _("tellingen van de deelname in de periode")
        indexes = [models.Index(fields=["gemeente"], name="deelnamekubus_gemeente")]

    def __str__(self):
        return f"{self.niveau}{self.gebied}: {self.aantal}"
