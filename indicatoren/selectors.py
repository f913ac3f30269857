"""Reads for indicators and the survey. Scope comes from ``buurten.selectors``; a user only ever
gets areas they may see.

Settings per gemeente live in :class:`IndicatorInstelling` (target of the actieve kern and the
minimum numbers); :func:`settings_for` returns the defaults when a gemeente has no row.
"""

from datetime import date

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.access import is_administrator, is_coordinator
from accounts.models import User
from activiteiten.models import Aanmelding, Activiteit
from buurten.models import Buurt, Gemeente, Lidmaatschap, Wijk
from buurten.selectors import member_buurt

from .models import (
    Berekening,
    IndicatorInstelling,
    Niveau,
    Peiling,
    Publicatie,
    Respons,
    ResponsMarker,
    Snapshot,
    StarterAanmelding,
)


def settings_for(gemeente: Gemeente) -> IndicatorInstelling:
    """The gemeente's target and minimum numbers (an unsaved row with the defaults if none)."""
    instelling = IndicatorInstelling.objects.filter(gemeente=gemeente).first()
    return instelling or IndicatorInstelling(gemeente=gemeente)


# --- Scope ---------------------------------------------------------------------------------------
def wijken_for(user) -> QuerySet[Wijk]:
    """The wijken whose indicators and survey rounds a user manages: their team's wijken
    (coordinators), every wijk (administrators), none for anybody else."""
    if not user.is_authenticated:
        return Wijk.objects.none()
    if is_administrator(user):
        return Wijk.objects.all()
    if not is_coordinator(user) or user.team_id is None:
        return Wijk.objects.none()
    return Wijk.objects.filter(teams__id=user.team_id).distinct()


def can_run_peiling(user, wijk: Wijk) -> bool:
    """Only a coordinator whose team covers the whole wijk (or an administrator) opens and closes
    its survey rounds."""
    return wijken_for(user).filter(pk=wijk.pk).exists()


def gemeenten_for(user) -> QuerySet[Gemeente]:
    """Gemeenten whose indicators a user may (re)compute and see at gemeente level: those of
    the wijken a coordinator's team covers."""
    if not user.is_authenticated:
        return Gemeente.objects.none()
    if is_administrator(user):
        return Gemeente.objects.all()
    if not is_coordinator(user) or user.team_id is None:
        return Gemeente.objects.none()
    return Gemeente.objects.filter(wijken__teams__id=user.team_id).distinct()


# --- Survey --------------------------------------------------------------------------------------
def open_peiling_for(user) -> Peiling | None:
    """The open round of the wijk of the resident's buurt (verified members only)."""
    buurt = member_buurt(user)
    if buurt is None:
        return None
    return Peiling.objects.filter(wijk_id=buurt.wijk_id, gesloten_at__isnull=True).first()


def has_responded(user, peiling: Peiling) -> bool:
    from .services import respons_marker

    return ResponsMarker.objects.filter(
        peiling=peiling, marker=respons_marker(user_id=user.pk, peiling_id=peiling.pk)
    ).exists()


def peilingen_for(user) -> QuerySet[Peiling]:
    """Survey rounds in the user's wijken with the number of responses (a count per round, which
    says nothing about who answered)."""
    return (
        Peiling.objects.filter(wijk__in=wijken_for(user))
        .select_related("wijk")
        .annotate(aantal_responsen=Count("responsen"))
        .order_by("-geopend_at")
    )


# --- Live snapshots (coordinators) --------------------------------------------------------------
def _live() -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(publicatie__isnull=True)


def _latest_period(gemeente: Gemeente, periode_eind: date | None):
    qs = _live().filter(gemeente=gemeente, niveau=Niveau.GEMEENTE)
    if periode_eind is not None:
        qs = qs.filter(periode_eind__lte=periode_eind)
    return (
        qs.order_by("-periode_eind", "-berekend_at").values("periode_start", "periode_eind").first()
    )


def periodes_for(gemeente: Gemeente, *, maandeinde: bool = False) -> list[tuple[date, date]]:
    """The live periods computed for a gemeente, newest first (the coordinators' dashboard).

    ``maandeinde=True`` is kept for callers of the old month-end scheme: it now returns the
    published periods, the ended quarters (:func:`publicaties_for`)."""
    if maandeinde:
        return [(p.periode_start, p.periode_eind) for p in publicaties_for(gemeente)]
    periods = (
        _live()
        .filter(gemeente=gemeente, niveau=Niveau.GEMEENTE)
        .order_by("-periode_eind", "-periode_start")
        .values_list("periode_start", "periode_eind")
        .distinct()
    )
    return list(periods)


def snapshots_for(
    *, gemeente: Gemeente, niveau: str, periode_eind: date | None = None, wijken=None
) -> QuerySet[Snapshot]:
    """The live snapshots of one level for the latest period computed (up to ``periode_eind``),
    one per area; ``wijken`` limits buurt and wijk levels to those wijken (pass
    ``wijken_for(user)``). For coordinators only: the public reads published ones."""
    period = _latest_period(gemeente, periode_eind)
    if period is None:
        return Snapshot.objects.none()
    qs = (
        _live()
        .filter(gemeente=gemeente, niveau=niveau, **period)
        .select_related("buurt__wijk", "wijk")
    )
    return _in_wijken(qs, niveau, wijken).order_by("buurt__naam", "wijk__naam")


def _in_wijken(qs, niveau, wijken):
    if wijken is not None and niveau == Niveau.BUURT:
        return qs.filter(buurt__wijk__in=wijken)
    if wijken is not None and niveau == Niveau.WIJK:
        return qs.filter(wijk__in=wijken)
    return qs


def live_snapshot(*, buurt=None, wijk=None) -> Snapshot | None:
    """The area's latest live figures over 12 months (the nightly run's or a recomputation's):
    "voorlopig", for coordinators beside the published trend."""
    from .services import default_periode

    if buurt is not None:
        qs = _live().filter(buurt=buurt, niveau=Niveau.BUURT)
    else:
        qs = _live().filter(wijk=wijk, niveau=Niveau.WIJK)
    for snapshot in qs.order_by("-periode_eind", "-berekend_at")[:20]:
        if default_periode(snapshot.periode_eind)[0] == snapshot.periode_start:
            return snapshot
    return None


# --- Publications (open data, API, residents, trends) --------------------------------------------
def publicaties_for(gemeente: Gemeente) -> list[Publicatie]:
    """The latest version of every published quarter of a gemeente, newest quarter first."""
    latest = {}
    for publicatie in Publicatie.objects.filter(gemeente=gemeente).order_by(
        "-periode_eind", "-versie"
    ):
        latest.setdefault((publicatie.periode_start, publicatie.periode_eind), publicatie)
    return list(latest.values())


def versies(publicatie: Publicatie) -> list[Publicatie]:
    """Every version of the publication's quarter, oldest first."""
    return list(
        Publicatie.objects.filter(
            gemeente_id=publicatie.gemeente_id,
            periode_start=publicatie.periode_start,
            periode_eind=publicatie.periode_eind,
        ).order_by("versie")
    )


def publicatie_for(
    gemeente: Gemeente, *, periode_eind: date | None = None, versie: int | None = None
) -> Publicatie | None:
    """One published version: of the quarter ending on ``periode_eind`` (default the latest
    quarter), ``versie`` or else the latest version."""
    qs = Publicatie.objects.filter(gemeente=gemeente)
    if periode_eind is not None:
        qs = qs.filter(periode_eind=periode_eind)
    else:
        latest = qs.order_by("-periode_eind").first()
        if latest is None:
            return None
        qs = qs.filter(periode_eind=latest.periode_eind)
    if versie is not None:
        return qs.filter(versie=versie).first()
    return qs.order_by("-versie").first()


def published_snapshots(publicatie: Publicatie, niveau: str, wijken=None) -> QuerySet[Snapshot]:
    qs = publicatie.snapshots.filter(niveau=niveau).select_related("buurt__wijk", "wijk")
    return _in_wijken(qs, niveau, wijken).order_by("buurt__naam", "wijk__naam")


def published_snapshot_of(buurt) -> Snapshot | None:
    """The buurt's figures in the latest published quarter (latest version), for its residents:
    they change at most once a quarter (and with a correction)."""
    publicatie = publicatie_for(buurt.wijk.gemeente)
    if publicatie is None:
        return None
    return (
        publicatie.snapshots.filter(niveau=Niveau.BUURT, buurt=buurt)
        .select_related("publicatie")
        .defer("buurt__geometrie")
        .first()
    )


def trend(*, indicator: str, buurt=None, wijk=None, gemeente=None) -> list[tuple]:
    """[(periode_eind, waarde | None, onderdrukt)] for one area over the published quarters,
    oldest first."""
    points = []
    for snapshot in trend_snapshots(buurt=buurt, wijk=wijk, gemeente=gemeente):
        cijfer = snapshot.waarden.get(indicator) or {}
        points.append((snapshot.periode_eind, cijfer.get("waarde"), bool(cijfer.get("onderdrukt"))))
    return points


def trend_snapshots(*, buurt=None, wijk=None, gemeente=None) -> list[Snapshot]:
    """The area's snapshots of every published quarter, oldest first, the latest version of
    each: all indicators' trends from one query. Quarters do not overlap, so a trend compares
    like with like and no two points differ by a month."""
    if buurt is not None:
        qs = Snapshot.objects.filter(niveau=Niveau.BUURT, buurt=buurt)
    elif wijk is not None:
        qs = Snapshot.objects.filter(niveau=Niveau.WIJK, wijk=wijk)
    else:
        qs = Snapshot.objects.filter(niveau=Niveau.GEMEENTE, gemeente=gemeente)
    latest = {}
    for snapshot in qs.filter(publicatie__isnull=False).order_by(
        "periode_eind", "publicatie__versie"
    ):
        latest[(snapshot.periode_start, snapshot.periode_eind)] = snapshot
    return list(latest.values())


def latest_berekening(gemeente: Gemeente) -> Berekening | None:
    return Berekening.objects.filter(gemeente=gemeente).first()


# --- Van bereid naar actief ----------------------------------------------------------------------
def rounds_with_answers(wijken) -> dict[int, list[Peiling]]:
    """Per wijk, its closed rounds that have answers, oldest first: the rounds survey figures
    come from (``compute.survey`` passes over a round closed without answers)."""
    rounds: dict[int, list[Peiling]] = {}
    for peiling in (
        Peiling.objects.filter(wijk__in=wijken, gesloten_at__isnull=False)
        .filter(Exists(Respons.objects.filter(peiling=OuterRef("pk"))))
        .order_by("wijk_id", "gesloten_at")
    ):
        rounds.setdefault(peiling.wijk_id, []).append(peiling)
    return rounds


def earlier_cells(
    buurten, windows: dict[int, tuple[date, date]], key: str = "bereidheid"
) -> dict[int, dict | None]:
    """Per buurt, the stored ``key`` figure of the newest snapshot (the latest computation) whose
    period holds the day ``windows[wijk][0]`` and ends before ``windows[wijk][1]``: a figure of
    an earlier survey round, read from the snapshots as they were computed, in one query."""
    if not windows:
        return {}

    def per_wijk(index: int) -> Case:
        whens = [When(wijk_id=wijk, then=Value(days[index])) for wijk, days in windows.items()]
        return Case(*whens, default=None, output_field=DateField())

    earlier = (
        Snapshot.objects.filter(
            niveau=Niveau.BUURT,
            buurt=OuterRef("pk"),
            periode_start__lte=OuterRef("dag"),
            periode_eind__gte=OuterRef("dag"),
            periode_eind__lt=OuterRef("voor"),
        )
        .order_by("-periode_eind", "-berekend_at")
        .values(f"waarden__{key}")[:1]
    )
    rows = (
        Buurt.objects.filter(pk__in=[b.pk for b in buurten], wijk_id__in=list(windows))
        .annotate(dag=per_wijk(0), voor=per_wijk(1))
        .annotate(cel=Subquery(earlier, output_field=JSONField()))
        .values_list("pk", "cel")
    )
    return dict(rows)


# Session key: the round in which the resident withdrew as a starter (not offered again in it).
STARTER_AFGEMELD = "starter_afgemeld_peiling"


def starter_offered(request, peiling) -> bool:
    """Whether to offer the starter opt-in for ``peiling``: not in the round it was withdrawn."""
    return peiling is not None and request.session.get(STARTER_AFGEMELD) != peiling.pk


def starter_of(user) -> bool:
    """Whether the resident asked to be invited as a starter (in any round)."""
    return StarterAanmelding.objects.filter(user=user).exists()


def took_part_after(user_ref, day_ref) -> Exists:
    """Whether a resident took part in an activity that started on a later day: signed up (not
    cancelled, not on the waiting list), the activity took place and was not cancelled, and
    they were not recorded as absent."""
    return Exists(
        Aanmelding.objects.filter(
            user=user_ref,
            status=Aanmelding.Status.AANGEMELD,
            activiteit__geannuleerd_at__isnull=True,
            activiteit__start__date__gt=day_ref,
            activiteit__start__lte=timezone.now(),
        ).exclude(aanwezig=False)
    )


def starter_counts(wijken) -> list[dict]:
    """Per survey round of the wijken, newest first: how many residents asked to be invited as
    starters, and how many of them took part in an activity after the day they asked. Counts
    only: the caller suppresses the small ones."""
    counts = {
        row["peiling"]: row
        for row in StarterAanmelding.objects.filter(peiling__wijk__in=wijken)
        .values("peiling")
        .annotate(
            aangemeld=Count("pk"),
            meegedaan=Count(
                "pk", filter=Q(took_part_after(OuterRef("user"), OuterRef("aangemeld_op")))
            ),
        )
        .order_by()
    }
    return [
        {
            "peiling": peiling,
            "aangemeld": counts.get(peiling.pk, {}).get("aangemeld", 0),
            "meegedaan": counts.get(peiling.pk, {}).get("meegedaan", 0),
        }
        for peiling in Peiling.objects.filter(wijk__in=wijken)
        .select_related("wijk")
        .order_by("wijk__naam", "-geopend_at")
    ]


def starters_of(buurt: Buurt) -> QuerySet[User]:
    """A buurt's starters: its verified members who asked, in a survey round of its wijk, to be
    invited to a first activity (and did not withdraw: withdrawing deletes the opt-in)."""
    return User.objects.filter(
        Exists(
            StarterAanmelding.objects.filter(user=OuterRef("pk"), peiling__wijk_id=buurt.wijk_id)
        ),
        Exists(
            Lidmaatschap.objects.filter(
                user=OuterRef("pk"), buurt=buurt, status=Lidmaatschap.Status.LID
            )
        ),
    )


def upcoming_activities(wijken) -> QuerySet[Activiteit]:
    """Activities in the wijken's buurten that have not started and were not cancelled: what
    starters can be invited to."""
    return (
        Activiteit.objects.filter(
            buurt__wijk__in=wijken, geannuleerd_at__isnull=True, start__gt=timezone.now()
        )
        .select_related("buurt")
        .order_by("start", "pk")
    )
