"""What a person hears, when, and how often: the one place for the choices and their defaults.

Per person and per kind of notice the choice is at once (``DIRECT``), in the daily or the
weekly digest (``DAG``, ``WEEK``), or not (``UIT``). Whoever chose nothing gets ``STANDAARD``:
nothing at once except what is about them (news on their meldingen and requests, a freed place,
their reminders); a new activity in the buurt and the buurt's news once a week; sign-ups and
cancellations on one's own activity in a daily digest. Some kinds cannot be switched off
(``VAST``): account mail, the receipt of one's own melding, the welcome, the digests themselves.

Quiet hours (default 22:00-07:00 Europe/Amsterdam): a notice that falls in them waits until
they end, unless the person switched them off. ``plan`` applies both to a row before it is
written; ``notificaties.services.notify`` calls it for every person, so no caller decides.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Berichtinstelling, Keuze, Notificatie

Soort = Notificatie.Soort

# A preference that is no kind of notice: the buurt's news in the weekly digest.
BUURTNIEUWS = "buurtnieuws"

STANDAARD: dict[str, str] = {
    # Residents: about me, at once.
    Soort.TERUGKOPPELING: Keuze.DIRECT,
    Soort.VERZOEK_BESLUIT: Keuze.DIRECT,
    Soort.WACHTLIJST: Keuze.DIRECT,
    Soort.HERINNERING: Keuze.DIRECT,
    Soort.BERICHT: Keuze.DIRECT,
    Soort.STARTER_UITNODIGING: Keuze.DIRECT,
    # Residents: about the buurt, once a week.
    Soort.NIEUWE_ACTIVITEIT: Keuze.WEEK,
    BUURTNIEUWS: Keuze.WEEK,
    # Organisers: who signed up or cancelled, once a day.
    Soort.AANMELDING: Keuze.DAG,
    Soort.AFMELDING: Keuze.DAG,
    # Officers: a high-priority melding in the area and an overdue one, at once.
    Soort.HOGE_PRIORITEIT: Keuze.DIRECT,
    Soort.TERMIJN_VERSTREKEN: Keuze.DIRECT,
    # Officers: the day's summary of their area, at 07:00 (it is a summary itself).
    Soort.GEBIEDSOVERZICHT: Keuze.DIRECT,
    # Coordinators: what waits for their decision or their call.
    Soort.LIDMAATSCHAP_AANVRAAG: Keuze.DIRECT,
    Soort.BORGSTELLING: Keuze.DIRECT,
    Soort.VERZOEK_NIEUW: Keuze.DIRECT,
    Soort.VERZOEK_TERMIJN: Keuze.DIRECT,
    Soort.VERZOEK_ESCALATIE: Keuze.DIRECT,
    Soort.INTIMIDATIE: Keuze.DIRECT,
    Soort.NAZORG_HERINNERING: Keuze.DIRECT,
}

# Always at once, whatever was chosen: they answer the person's own action, or are the digest.
VAST = frozenset(
    {
        Soort.ACCOUNT,
        Soort.ONTVANGSTBEVESTIGING,
        Soort.WELKOM,
        Soort.DAGOVERZICHT,
        Soort.OVERZICHT_DAG,
        Soort.OVERZICHT_WEEK,
    }
)

# Not held back by quiet hours: the receipt answers what the person did a moment ago.
NIET_STIL = frozenset({Soort.ONTVANGSTBEVESTIGING})

# Which choices each role sees on the page, in order (a coordinator never organises, an officer
# is not a member of a buurt). The fixed kinds are shown too, as a sentence each.
PER_ROL: dict[str, tuple[str, ...]] = {
    "bewoner": (
        Soort.TERUGKOPPELING,
        Soort.VERZOEK_BESLUIT,
        Soort.WACHTLIJST,
        Soort.HERINNERING,
        Soort.BERICHT,
        Soort.NIEUWE_ACTIVITEIT,
        BUURTNIEUWS,
        Soort.AANMELDING,
        Soort.AFMELDING,
        Soort.STARTER_UITNODIGING,
    ),
    "politie": (Soort.HOGE_PRIORITEIT, Soort.TERMIJN_VERSTREKEN, Soort.GEBIEDSOVERZICHT),
    "handhaving": (Soort.HOGE_PRIORITEIT, Soort.TERMIJN_VERSTREKEN, Soort.GEBIEDSOVERZICHT),
    "coordinator": (
        Soort.VERZOEK_NIEUW,
        Soort.VERZOEK_TERMIJN,
        Soort.LIDMAATSCHAP_AANVRAAG,
        Soort.BORGSTELLING,
        Soort.VERZOEK_ESCALATIE,
        Soort.INTIMIDATIE,
        Soort.NAZORG_HERINNERING,
        Soort.TERMIJN_VERSTREKEN,
    ),
    "beheerder": (),
}
VAST_PER_ROL: dict[str, tuple[str, ...]] = {
    "bewoner": (Soort.ACCOUNT, Soort.ONTVANGSTBEVESTIGING, Soort.WELKOM),
}
VAST_OVERIG = (Soort.ACCOUNT,)

# The buurt's news is a weekly digest or nothing, the area's summary a daily message or nothing;
# everything else may be any of the four.
KEUZES: dict[str, tuple[str, ...]] = {
    BUURTNIEUWS: (Keuze.WEEK, Keuze.UIT),
    Soort.GEBIEDSOVERZICHT: (Keuze.DIRECT, Keuze.UIT),
}
ALLE_KEUZES = (Keuze.DIRECT, Keuze.DAG, Keuze.WEEK, Keuze.UIT)

# What the person reads on their settings page: what the notice is about, in their words (the
# kinds' own names are the admin's). Every kind a role sees has one (tests/notificaties).
LABELS = {
    BUURTNIEUWS: _(
        "Nieuws uit je buurt: komende activiteiten, nieuwe buren, afgehandelde meldingen"
    ),
    # Residents and organisers.
    Soort.TERUGKOPPELING: _("Wat er met je melding gebeurt"),
    Soort.VERZOEK_BESLUIT: _("Een besluit of vraag over je verzoek"),
    Soort.WACHTLIJST: _("Een vrije plek voor jou op een wachtlijst"),
    Soort.HERINNERING: _("Herinnering aan een activiteit waarvoor je je aanmeldde"),
    Soort.BERICHT: _("Een bericht van de organisator van je activiteit"),
    Soort.NIEUWE_ACTIVITEIT: _("Een nieuwe activiteit in je buurt"),
    Soort.AANMELDING: _("Iemand meldt zich aan voor jouw activiteit"),
    Soort.AFMELDING: _("Iemand meldt zich af voor jouw activiteit"),
    Soort.STARTER_UITNODIGING: _("Een uitnodiging voor een eerste activiteit"),
    # Officers.
    Soort.HOGE_PRIORITEIT: _("Een melding met hoge prioriteit in je gebied"),
    Soort.TERMIJN_VERSTREKEN: _("Een melding met hoge prioriteit waarvan de termijn verstreken is"),
    Soort.GEBIEDSOVERZICHT: _("Elke ochtend om 07:00 een overzicht van je gebied"),
    # Coordinators.
    Soort.VERZOEK_NIEUW: _("Een nieuw verzoek dat op je besluit wacht"),
    Soort.VERZOEK_TERMIJN: _("De laatste dag om over een verzoek te besluiten"),
    Soort.LIDMAATSCHAP_AANVRAAG: _("Iemand vraagt lid te worden van een buurt"),
    Soort.BORGSTELLING: _("Een nieuw lid dat buren hebben voorgedragen (borgstelling)"),
    Soort.VERZOEK_ESCALATIE: _("Een verzoek waarvan de beslistermijn verstreken is"),
    Soort.INTIMIDATIE: _("Iemand meldt intimidatie en vraagt om steun"),
    Soort.NAZORG_HERINNERING: _("Vandaag staat contact gepland in een nazorgzaak"),
    # Always at once.
    Soort.ACCOUNT: _("Je account: bevestigen, inloggen, wachtwoord"),
    Soort.ONTVANGSTBEVESTIGING: _("De ontvangstbevestiging van je melding"),
    Soort.WELKOM: _("Het welkom als je lid wordt van een buurt"),
}

STIL_VAN = Berichtinstelling._meta.get_field("stil_van").default
STIL_TOT = Berichtinstelling._meta.get_field("stil_tot").default
ZONE = ZoneInfo(settings.TIME_ZONE)  # Europe/Amsterdam


def label(onderwerp: str) -> str:
    return str(LABELS.get(onderwerp) or Soort(onderwerp).label)


def keuzes(onderwerp: str) -> tuple[str, ...]:
    return KEUZES.get(onderwerp, ALLE_KEUZES)


def onderwerpen(role: str) -> tuple[str, ...]:
    return PER_ROL.get(role, ())


def vaste(role: str) -> tuple[str, ...]:
    return VAST_PER_ROL.get(role, VAST_OVERIG)


def keuze(instelling: Berichtinstelling | None, onderwerp: str) -> str:
    """The person's choice for ``onderwerp``, or its default. A kind nobody listed is at once."""
    if onderwerp in VAST:
        return Keuze.DIRECT
    gekozen = (instelling.keuzes if instelling else {}).get(onderwerp)
    if gekozen in keuzes(onderwerp):
        return gekozen
    return STANDAARD.get(onderwerp, Keuze.DIRECT)


def instellingen(user_ids) -> dict[int, Berichtinstelling]:
    """The saved settings of these people, in one query; who saved nothing is absent."""
    return {i.user_id: i for i in Berichtinstelling.objects.filter(user_id__in=set(user_ids))}


@dataclass(frozen=True)
class StilleUren:
    van: time
    tot: time

    def einde(self, moment: datetime) -> datetime | None:
        """When the quiet hours that hold at ``moment`` end, or None when it is not quiet.

        Wall-clock times in Amsterdam: 07:00 is 07:00 in winter and in summer, also on the
        night the clocks change. A wall time that does not exist (02:30 on the last Sunday of
        March) counts from before the jump (03:30 summer time); one that happens twice (October)
        is its first occurrence: neither can be passed by."""
        if self.van == self.tot:
            return None
        local = moment.astimezone(ZONE)
        now = local.time().replace(tzinfo=None)
        if self.van < self.tot:  # a window within one day (13:00-15:00)
            quiet = self.van <= now < self.tot
            day = local.date()
        else:  # across midnight (22:00-07:00)
            quiet = now >= self.van or now < self.tot
            day = local.date() + timedelta(days=1) if now >= self.van else local.date()
        if not quiet:
            return None
        return wall_time(day, self.tot)


def wall_time(day: date, at: time) -> datetime:
    """``at`` on ``day`` in Amsterdam as a moment, per the rule in ``StilleUren.einde``:
    ``fold=0`` reads a skipped time with the offset before the jump and a repeated one as its
    first occurrence (PEP 495); as a real instant (UTC), so a skipped time is not kept as one."""
    return datetime.combine(day, at, tzinfo=ZONE).replace(fold=0).astimezone(UTC)


def stille_uren(instelling: Berichtinstelling | None) -> StilleUren | None:
    """The person's quiet hours; None when they switched them off. Who saved nothing has the
    site's default (``WIJKAANPAK_STILLE_UREN``: on, 22:00-07:00)."""
    if instelling is None:
        return StilleUren(STIL_VAN, STIL_TOT) if settings.WIJKAANPAK_STILLE_UREN else None
    if not instelling.stille_uren:
        return None
    return StilleUren(instelling.stil_van, instelling.stil_tot)


def plan(row: Notificatie, instelling: Berichtinstelling | None, now: datetime) -> None:
    """Set how ``row`` (for a person) goes out: at once (after quiet hours), waiting for a
    digest, or not at all (kept, unsent, for the site's own overview of what concerns them)."""
    gekozen = keuze(instelling, row.soort)
    if gekozen in (Keuze.DAG, Keuze.WEEK):
        row.status = Notificatie.Status.GEBUNDELD
        row.bundel = gekozen
        return
    if gekozen == Keuze.UIT:
        row.status = Notificatie.Status.UIT
        row.finished_at = now
        return
    quiet = stille_uren(instelling) if row.soort not in NIET_STIL else None
    wait_until = quiet.einde(now) if quiet else None
    row.next_attempt_at = wait_until or now


def period_key(bundel: str, day: date) -> int:
    """The event of a digest: the day as YYYYMMDD, or the ISO week as YYYYWW."""
    if bundel == Keuze.DAG:
        return int(day.strftime("%Y%m%d"))
    year, week, _weekday = day.isocalendar()
    return year * 100 + week


def week_start(key: int) -> date:
    """The Monday of the ISO week ``key`` (YYYYWW)."""
    return date.fromisocalendar(key // 100, key % 100, 1)
