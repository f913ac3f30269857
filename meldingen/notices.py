"""What the notifications about meldingen say (see ``notificaties.soorten``)."""

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Team
from notificaties.models import Notificatie
from notificaties.soorten import Regel, Rendered, register, register_regels, site_url
from notificaties.voorkeuren import wall_time

from .models import Doorzetting, Melder, Melding, Nazorg, StatusWijziging
from .ontvangst import ontvangst
from .selectors import area_summary, meldingen_for_team, meldingen_visible_to, messages_for

Soort = Notificatie.Soort


Reader = tuple[str, int]


def _reader(row: Notificatie) -> Reader | None:
    """Who reads ``row``: a person, or a team at its shared address."""
    if row.ontvanger_id is not None:
        return ("user", row.ontvanger_id)
    if row.team_id is not None:
        return ("team", row.team_id)
    return None


def _readable(rows, melding_of: Callable[[Notificatie], int | None]) -> set[tuple[Reader, int]]:
    """The (reader, melding) pairs of ``rows`` whose reader may read the melding now: a person
    as ``meldingen_visible_to``, a team's address as ``meldingen_for_team``. A professional
    who moved to another team or area, or left, is told nothing more about a case there: no
    e-mail, no line in the inbox, not even that it still waits for a reaction. One query per
    reader."""
    wanted = defaultdict(set)
    for row in rows:
        melding_id, reader = melding_of(row), _reader(row)
        if melding_id is not None and reader is not None:
            wanted[reader].add(melding_id)
    users = get_user_model().objects.in_bulk([pk for kind, pk in wanted if kind == "user"])
    teams = Team.objects.in_bulk([pk for kind, pk in wanted if kind == "team"])
    readable = set()
    for reader, melding_ids in wanted.items():
        kind, pk = reader
        if kind == "user":
            user = users.get(pk)
            visible = meldingen_visible_to(user) if user is not None and user.is_active else None
        else:
            team = teams.get(pk)
            visible = meldingen_for_team(team) if team is not None else None
        if visible is not None:
            found = visible.filter(pk__in=melding_ids).values_list("pk", flat=True)
            readable |= {(reader, melding_id) for melding_id in found}
    return readable


def _may_read(row: Notificatie, melding_id: int) -> bool:
    return (_reader(row), melding_id) in _readable([row], lambda _row: melding_id)


@register(Soort.TERUGKOPPELING)
def terugkoppeling(row: Notificatie) -> Rendered:
    """A handler's message about a status change, as this reporter may read it: the first
    reporter also reads the message meant for them alone, a neighbour who said "ik ook" never."""
    wijziging = (
        StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
        .filter(pk=row.object_id)
        .first()
    )
    melder = Melder.objects.filter(
        melding_id=wijziging.melding_id if wijziging else None, user_id=row.ontvanger_id
    ).first()
    berichten = messages_for(wijziging, melder) if wijziging and melder else []
    if not berichten:  # erased by retention meanwhile, or nothing meant for this reporter
        return None
    context = {
        "melding": wijziging.melding,
        "status": wijziging.get_naar_display(),
        "berichten": berichten,
        "url": site_url(f"/meldingen/mijn/{wijziging.melding_id}/"),
    }
    return "meldingen/email/update", context


@register(Soort.INTIMIDATIE)
def intimidatie(row: Notificatie) -> Rendered:
    doorzetting = Doorzetting.objects.select_related("melding__buurt").filter(pk=row.object_id)
    doorzetting = doorzetting.first()
    if doorzetting is None or not _may_read(row, doorzetting.melding_id):
        return None
    # The category and the buurt only; the case is in the coordinator's feed.
    context = {
        "buurt": doorzetting.melding.buurt,
        "url": site_url(f"/meldingen/{doorzetting.melding_id}/"),
    }
    return "meldingen/email/intimidatie", context


@register(Soort.ONTVANGSTBEVESTIGING)
def ontvangstbevestiging(row: Notificatie) -> Rendered:
    """The receipt, to the resident who made the report: reference, handler, deadline, what
    happens next. Not what was reported: a mailbox is no place for it."""
    melding = (
        Melding.objects.select_related("categorie", "buurt")
        .filter(pk=row.object_id, anonymised_at=None)
        .first()
    )
    first = Melder.objects.filter(
        melding=melding, user_id=row.ontvanger_id, is_eerste=True
    ).exists()
    if melding is None or not first:
        return None
    context = {
        "melding": melding,
        "ontvangst": ontvangst(melding),
        "url": site_url(f"/meldingen/mijn/{melding.pk}/"),
    }
    return "meldingen/email/ontvangst", context


@register(Soort.TERMIJN_VERSTREKEN)
def termijn_verstreken(row: Notificatie) -> Rendered:
    """To the handling team: a high-priority melding passed its deadline with no reaction.
    Category, buurt, reference and deadline only; the case is in the feed. Lapses when someone
    reacted before the message went out."""
    wijziging = (
        StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
        .filter(pk=row.object_id)
        .first()
    )
    if wijziging is None or not wijziging.melding.awaits_response:
        return None
    if not _may_read(row, wijziging.melding_id):
        return None
    context = {
        "melding": wijziging.melding,
        "url": site_url(f"/meldingen/{wijziging.melding_id}/"),
    }
    return "meldingen/email/termijn_verstreken", context


@register(Soort.HOGE_PRIORITEIT)
def hoge_prioriteit(row: Notificatie) -> Rendered:
    """To the handling team's people: a high-priority melding was routed to them. Category,
    buurt and reference only, as for an overdue one; lapses once someone reacted to it."""
    wijziging = (
        StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
        .filter(pk=row.object_id)
        .first()
    )
    if wijziging is None or not wijziging.melding.awaits_response:
        return None
    if not _may_read(row, wijziging.melding_id):
        return None
    context = {
        "melding": wijziging.melding,
        "url": site_url(f"/meldingen/{wijziging.melding_id}/"),
    }
    return "meldingen/email/hoge_prioriteit", context


@register(Soort.GEBIEDSOVERZICHT)
def gebiedsoverzicht(row: Notificatie) -> Rendered:
    """To an officer, each morning: the meldingen of their area and target in the day before
    the row was written, and how many still wait for a reaction (counts; the cases are in the
    feed). Lapses when there is nothing new and nothing waiting."""
    if row.ontvanger is None:
        return None
    tot = timezone.localtime(row.created_at)
    # From the same time the morning before: 23 or 25 hours across a DST switch, so one morning
    # follows on from the last, nothing missed or counted twice.
    van = wall_time(tot.date() - timedelta(days=1), tot.time())
    cijfers = area_summary(row.ontvanger, van=van, tot=tot, now=timezone.now())
    if not cijfers["nieuw"] and not cijfers["wachtend"]:
        return None
    return "meldingen/email/gebiedsoverzicht", {**cijfers, "url": site_url("/meldingen/feed/")}


@register(Soort.NAZORG_HERINNERING)
def nazorg_herinnering(row: Notificatie) -> Rendered:
    """To the area's coordinators: the nazorg contact planned for today. The buurt, reference
    and date only; the notes are on the case page. Lapses when a newer note was recorded (or
    the nazorg afgerond) before the message went out, or the case was erased."""
    nazorg = (
        Nazorg.objects.select_related("melding__buurt")
        .filter(pk=row.object_id, melding__anonymised_at=None)
        .first()
    )
    if nazorg is None or nazorg.volgende_contact is None:
        return None
    if not _may_read(row, nazorg.melding_id):
        return None
    latest = Nazorg.objects.filter(melding_id=nazorg.melding_id).order_by("-created_at", "-pk")
    if latest.values_list("pk", flat=True).first() != nazorg.pk:
        return None
    context = {
        "melding": nazorg.melding,
        "datum": nazorg.volgende_contact,
        "url": site_url(f"/meldingen/{nazorg.melding_id}/"),
    }
    return "meldingen/email/nazorg_herinnering", context


# --- the inbox in the site (see ``notificaties.soorten``) -------------------------------------
# As the e-mails: a reporter reads only what ``messages_for`` gives them; the professionals'
# lines name category, buurt and reference, never a reporter or what was reported.


def _mijn(melding_id: int) -> str:
    return reverse("meldingen:mijn-detail", kwargs={"pk": melding_id})


def _melders(rows: list[Notificatie], melding_ids) -> dict[tuple[int, int], Melder]:
    """Each row's recipient as a reporter of the melding, keyed by (melding, user)."""
    found = Melder.objects.filter(
        melding_id__in=melding_ids, user_id__in={row.ontvanger_id for row in rows}
    )
    return {(melder.melding_id, melder.user_id): melder for melder in found}


@register_regels(Soort.TERUGKOPPELING)
def terugkoppeling_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    wijzigingen = StatusWijziging.objects.select_related("melding__categorie").in_bulk(
        {row.object_id for row in rows}
    )
    melders = _melders(rows, {w.melding_id for w in wijzigingen.values()})
    lines = {}
    for row in rows:
        wijziging = wijzigingen.get(row.object_id)
        melder = wijziging and melders.get((wijziging.melding_id, row.ontvanger_id))
        berichten = messages_for(wijziging, melder) if melder else []
        if berichten:
            titel = _("Nieuws over je melding: %(categorie)s") % {
                "categorie": wijziging.melding.categorie
            }
            tekst = f"{wijziging.get_naar_display()}: {berichten[0]}"
            lines[row.pk] = Regel(titel, tekst, _mijn(wijziging.melding_id))
    return lines


@register_regels(Soort.ONTVANGSTBEVESTIGING)
def ontvangstbevestiging_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    meldingen = Melding.objects.select_related("categorie").filter(anonymised_at=None)
    meldingen = meldingen.in_bulk({row.object_id for row in rows})
    melders = _melders(rows, meldingen)
    lines = {}
    for row in rows:
        melder = melders.get((row.object_id, row.ontvanger_id))
        if melder is not None and melder.is_eerste:
            melding = meldingen[row.object_id]
            tekst = _("%(categorie)s · referentie %(referentie)s") % {
                "categorie": melding.categorie,
                "referentie": melding.referentie,
            }
            lines[row.pk] = Regel(_("Je melding is ontvangen"), tekst, _mijn(melding.pk))
    return lines


def _zaak(melding: Melding) -> str:
    """A case as a professional's line names it: category, buurt and reference."""
    return f"{melding.categorie} · {melding.buurt} · {melding.referentie}"


@register_regels(Soort.INTIMIDATIE)
def intimidatie_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    doorzettingen = Doorzetting.objects.select_related("melding__categorie", "melding__buurt")
    doorzettingen = doorzettingen.in_bulk({row.object_id for row in rows})
    readable = _readable(
        rows, lambda row: getattr(doorzettingen.get(row.object_id), "melding_id", None)
    )
    return {
        row.pk: Regel(
            _("Intimidatie: steun gevraagd"),
            _zaak(doorzettingen[row.object_id].melding),
            doorzettingen[row.object_id].melding.get_absolute_url(),
        )
        for row in rows
        if row.object_id in doorzettingen
        and (_reader(row), doorzettingen[row.object_id].melding_id) in readable
    }


def _waiting_regels(rows: list[Notificatie], titel) -> dict[int, Regel]:
    """A team member's line about a melding (the row's status change), shown while the melding
    still waits for a reaction, as the e-mail."""
    wijzigingen = StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
    wijzigingen = wijzigingen.in_bulk({row.object_id for row in rows})
    readable = _readable(
        rows, lambda row: getattr(wijzigingen.get(row.object_id), "melding_id", None)
    )
    lines = {}
    for row in rows:
        wijziging = wijzigingen.get(row.object_id)
        if wijziging is None or (_reader(row), wijziging.melding_id) not in readable:
            continue
        if wijziging.melding.awaits_response:
            melding = wijziging.melding
            lines[row.pk] = Regel(titel, _zaak(melding), melding.get_absolute_url())
    return lines


@register_regels(Soort.TERMIJN_VERSTREKEN)
def termijn_verstreken_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _waiting_regels(rows, _("Termijn verstreken: melding met hoge prioriteit"))


@register_regels(Soort.HOGE_PRIORITEIT)
def hoge_prioriteit_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _waiting_regels(rows, _("Melding met hoge prioriteit in je gebied"))


@register_regels(Soort.GEBIEDSOVERZICHT)
def gebiedsoverzicht_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """Not in the inbox: the morning's figures are the feed's, which is current there."""
    return {}


@register_regels(Soort.NAZORG_HERINNERING)
def nazorg_herinnering_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """As the e-mail: while the note is the case's latest and plans a contact."""
    latest = Nazorg.objects.filter(melding=OuterRef("melding")).order_by("-created_at", "-pk")
    nazorgen = (
        Nazorg.objects.select_related("melding__categorie", "melding__buurt")
        .filter(melding__anonymised_at=None, volgende_contact__isnull=False)
        .annotate(latest=Subquery(latest.values("pk")[:1]))
        .in_bulk({row.object_id for row in rows})
    )
    readable = _readable(rows, lambda row: getattr(nazorgen.get(row.object_id), "melding_id", None))
    lines = {}
    for row in rows:
        nazorg = nazorgen.get(row.object_id)
        if nazorg is None or (_reader(row), nazorg.melding_id) not in readable:
            continue
        if nazorg.latest == nazorg.pk:
            tekst = _("Contact gepland op %(datum)s · %(zaak)s") % {
                "datum": date_format(nazorg.volgende_contact),
                "zaak": _zaak(nazorg.melding),
            }
            titel = _("Herinnering nazorg")
            lines[row.pk] = Regel(titel, tekst, nazorg.melding.get_absolute_url())
    return lines
