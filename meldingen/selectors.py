"""Who sees which meldingen. Residents see only their own; professionals their area and target."""

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import is_administrator, is_coordinator
from accounts.models import Role, Team, User
from buurten.models import Buurt
from buurten.selectors import buurten_of_gemeente, buurten_of_team, member_buurt
from wijkaanpak.talen import velden

from . import feedcache, ikook
from .models import (
    Categorie,
    Doel,
    Inzage,
    Melder,
    Melding,
    Nazorg,
    Outbox,
    Prioriteit,
    StatusWijziging,
)
from .workflow import AWAITS_RESPONSE, OPEN, Status

# Police and enforcement read only what was routed to them. A user's role and a team's
# organisation name them with the same words (``Role``, ``Team.Organisatie``).
OWN_DOEL = {Role.POLITIE: Doel.POLITIE, Role.HANDHAVING: Doel.HANDHAVING}
IK_OOK_WINDOW = timedelta(days=7)
IK_OOK_POOL = 50  # the newest this many are ordered by distance
IK_OOK_SHOWN = 5
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scope:
    """Which meldingen a professional or a team's system reads, as a value: everything, or a
    team's area (none without a team), for police and enforcement only what was routed to
    them. The one definition of a feed's scope: the rows are ``meldingen_in(scope)`` and the
    feed's page cache is keyed by the scope itself, so the two cannot drift apart (a team's
    area changing bumps the feed version, see ``feedcache``)."""

    everything: bool = False
    team_id: int | None = None
    doel: str | None = None


NOTHING = Scope()


def scope_of(user) -> Scope:
    """Coordinators follow everything in their area; police and enforcement their target."""
    if not user.is_authenticated:
        return NOTHING
    if is_administrator(user):
        return Scope(everything=True)
    if user.role == Role.COORDINATOR:
        return Scope(team_id=user.team_id)
    if user.role in OWN_DOEL:
        return Scope(team_id=user.team_id, doel=OWN_DOEL[user.role])
    return NOTHING


def scope_of_team(team: Team) -> Scope:
    """What a team's systems read through the JSON API: the same rules as its members."""
    return Scope(team_id=team.pk, doel=OWN_DOEL.get(team.organisatie))


def meldingen_in(scope: Scope, *, area: Sequence[int] | None = None) -> QuerySet[Melding]:
    """``area``: the ids of the team's buurten when the caller has them (``FeedChoices.area``,
    cached under a version that a change of the area bumps). Given as a list, the planner
    knows how much of the table they hold; as a subquery it guessed 95 buurten for 6 and for
    517 alike, and read a wijk's feed through the whole target's rows (issue 15)."""
    if scope.everything:
        return Melding.objects.all()
    if scope.team_id is None:
        return Melding.objects.none()
    buurten = buurten_of_team(scope.team_id) if area is None else area
    in_area = Melding.objects.filter(buurt__among=buurten)
    return in_area.filter(doel=scope.doel) if scope.doel else in_area


def meldingen_targeted(scope: Scope) -> QuerySet[Melding]:
    """``meldingen_in(scope)`` without the area: what a feed asks of each buurt of the area in
    turn (``feed.page``), inside a query that keeps ``meldingen_in(scope)`` itself."""
    if scope.everything or scope.team_id is None:
        return meldingen_in(scope)
    return Melding.objects.filter(doel=scope.doel) if scope.doel else Melding.objects.all()


def meldingen_visible_to(user) -> QuerySet[Melding]:
    """Meldingen a professional may read (``scope_of``)."""
    return meldingen_in(scope_of(user))


def meldingen_for_team(team: Team) -> QuerySet[Melding]:
    """What a team's systems may read through the JSON feed (``scope_of_team``)."""
    return meldingen_in(scope_of_team(team))


def categorieen_known_openly() -> QuerySet[Categorie]:
    """The categories whose meldingen anyone may know exist: all but intimidation."""
    return Categorie.objects.filter(is_intimidatie=False)


def meldingen_known_openly() -> QuerySet[Melding]:
    """The meldingen anyone may learn exist: every one but intimidation cases, which only the
    coordinator and the police may know of. Whatever tells people beyond those who handle a case
    about meldingen (Open311's public list, the indicators, the buurt news) takes them from
    here: a count that held an intimidation case, beside a public list without it, would tell
    by their difference that one exists, and in which buurt and week."""
    return Melding.objects.filter(categorie__in=categorieen_known_openly())


def meldingen_for_gemeente_apps(gemeente_id: int) -> QuerySet[Melding]:
    """What a gemeente's outside apps (Open311 clients) may follow: the meldingen in its buurten
    that anyone may know of (``meldingen_known_openly``). What they may see of each is decided
    by ``open311.selectors``: coarse places, no reporters."""
    return meldingen_known_openly().filter(buurt__in=buurten_of_gemeente(gemeente_id))


def can_handle(user, melding: Melding) -> bool:
    return meldingen_visible_to(user).filter(pk=melding.pk).exists()


COORDINATOR_HANDLES = (Doel.GEMEENTE, Doel.BUURT, Doel.COORDINATOR)


def can_act(user, melding: Melding) -> bool:
    """Who may change a melding's state: the organisation it was routed to. Coordinators
    follow police and enforcement cases in their area but do not handle them."""
    if not can_handle(user, melding):
        return False
    if user.role == Role.COORDINATOR:
        return melding.doel in COORDINATOR_HANDLES
    return True


def mijn_meldingen(user) -> QuerySet[Melding]:
    """The meldingen a resident reported or joined (anonymous ones are not linked to anyone),
    each with ``nieuw``: a message arrived since the reporter last looked, and ``eigen``: the
    resident's own report, not one they joined."""
    if not user.is_authenticated:
        return Melding.objects.none()
    mine = Melder.objects.filter(melding=OuterRef("pk"), user=user)
    # Inside the history subquery, the reporter's row is found through the history's melding.
    last_read = Melder.objects.filter(melding=OuterRef("melding"), user=user).values("gelezen_at")
    unread = StatusWijziging.objects.filter(
        melding=OuterRef("pk"),
        created_at__gt=Coalesce(Subquery(last_read[:1]), Value(EPOCH)),
    )
    eigen = Exists(mine.filter(is_eerste=True))
    # A message to the first reporter is news to the first reporter only (``messages_for``).
    nieuw = Q(Exists(unread.exclude(terugkoppeling=""))) | Q(
        Exists(unread.exclude(bericht_eerste_melder="")), eigen
    )
    return (
        Melding.objects.filter(Exists(mine))
        # "eigen": the resident made this report; otherwise they said "ik ook" to a
        # neighbour's, whose words, place and photos stay with the handlers.
        .annotate(nieuw=ExpressionWrapper(nieuw, output_field=BooleanField()), eigen=eigen)
        .select_related("categorie", "buurt")
        .order_by("-created_at")
    )


def messages_for(wijziging: StatusWijziging, melder: Melder) -> list[str]:
    """What one reporter reads of a status change: the message to the first reporter (theirs
    alone), then the one to all reporters. Pages and e-mails take the texts from here only."""
    own = wijziging.bericht_eerste_melder if melder.is_eerste else ""
    return [text for text in (own, wijziging.terugkoppeling) if text]


@dataclass(frozen=True)
class Stap:
    """A step of the history as a reporter sees it."""

    status: str
    created_at: datetime
    berichten: list[str]


def history_for_reporter(melder: Melder) -> list[Stap]:
    """The history of a reporter's melding, with only the messages meant for them."""
    return [
        Stap(wijziging.get_naar_display(), wijziging.created_at, messages_for(wijziging, melder))
        for wijziging in StatusWijziging.objects.filter(melding=melder.melding_id)
    ]


def first_reporter_messages(melding_id: int) -> list[StatusWijziging]:
    """The messages to a melding's first reporter. Personal ("Beste Zara, ..."), so other
    professionals and the admin read them only with the reporter's details, through the audited
    reveal; the author sees their own on the case page."""
    return list(
        StatusWijziging.objects.filter(melding=melding_id)
        .exclude(bericht_eerste_melder="")
        .select_related("door")
    )


def reporter_marker(user, melding) -> str:
    """Keyed hash of (user, melding): recognises a repeat without storing an identity."""
    message = f"melder:{user.pk}:{melding.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def joinable_by(user) -> QuerySet[Melding]:
    """The meldingen a resident may say "ik ook" to: open, from the last week, in the buurt
    they are a verified member of, never an intimidation case. Whatever else is asked about
    is answered as if it did not exist, so that nobody learns that a neighbour reported."""
    buurt = member_buurt(user) if user.is_authenticated else None
    if buurt is None:
        return Melding.objects.none()
    return Melding.objects.filter(
        buurt=buurt,
        status__in=OPEN,
        created_at__gte=timezone.now() - IK_OOK_WINDOW,
        categorie__is_intimidatie=False,
    )


def ik_ook_candidates(*, user, buurt, categorie, punt=None) -> list[ikook.Buurmelding]:
    """Open meldingen of the same kind in the buurt from the last week, to join instead of
    reporting again, as a neighbour may see them (``ikook.Buurmelding``: never what the
    reporter wrote, nor their point, nor who reported). Without ``punt`` (the resident's pin)
    the newest first; with it the nearest first, by a coarse distance. Never intimidation
    cases. Three queries at most, however many there are."""
    if categorie.is_intimidatie:
        return []
    recent = list(
        joinable_by(user)
        .filter(buurt=buurt, categorie=categorie)
        .order_by("-created_at")
        .values(*ikook.FIELDS)[:IK_OOK_POOL]
    )
    # Leave out what this resident reported or joined, also anonymously (by marker).
    pks = [row["pk"] for row in recent]
    markers = [reporter_marker(user, Melding(pk=pk)) for pk in pks]
    joined = set(
        Melder.objects.filter(Q(marker__in=markers) | Q(user=user), melding__in=pks).values_list(
            "melding_id", flat=True
        )
    )
    items = [ikook.present(row, punt) for row in recent if row["pk"] not in joined]
    if punt is not None:
        items = ikook.by_distance(items)
    return items[:IK_OOK_SHOWN]


def reporters_of(melding: Melding) -> QuerySet[Melder]:
    return melding.melders.select_related("user").order_by("created_at")


def first_reporter_reads(melding: Melding) -> bool:
    """Whether a message to the first reporter alone reaches anyone: not when they reported
    anonymously (no account and no address is kept, so no feedback is possible)."""
    return (
        Melder.objects.filter(melding=melding, is_eerste=True)
        .exclude(bescherming=Melder.Bescherming.ANONIEM)
        .exists()
    )


def feedback_recipients(wijziging: StatusWijziging) -> list:
    """Who is e-mailed the handler's message about a status change: the one place that decides.
    Reporters with an account (a reporter through Open311 has none and is not e-mailed) for
    whom there is something to read (``messages_for``): a message to the first reporter alone
    is no news to the neighbours who said "ik ook"."""
    melders = Melder.objects.filter(melding_id=wijziging.melding_id, user__isnull=False)
    return [
        melder.user
        for melder in melders.select_related("user").order_by("pk")
        if messages_for(wijziging, melder)
    ]


def may_reveal(user, melder: Melder) -> bool:
    """Coordinators may see who reported unless anonymous; police and enforcement only when the
    reporter allowed contact. Always through ``melder_reveal``, which is audited."""
    if not melder.is_known or melder.bescherming == Melder.Bescherming.ANONIEM:
        return False
    if not can_handle(user, melder.melding):
        return False
    if is_coordinator(user) or is_administrator(user):
        return True
    return melder.bescherming == Melder.Bescherming.CONTACT


def may_follow_up(user, melding: Melding) -> bool:
    """Who records and reads the follow-up for a resident threatened for doing good: the
    coordinators (and administrators) of the area, not the police handling the case."""
    return (
        melding.categorie.is_intimidatie
        and (is_coordinator(user) or is_administrator(user))
        and can_handle(user, melding)
    )


def _latest_nazorg(melding=None):
    melding = melding if melding is not None else OuterRef("pk")
    return Nazorg.objects.filter(melding=melding).order_by("-created_at", "-pk")


def nazorg_annotations() -> dict:
    """Annotations for a list of meldingen: whether the case needs nazorg (an intimidation case
    not explicitly afgerond: the latest note decides), whether it is afgerond, and the next
    contact its latest note planned, if any. A note without a date leaves the case open, with
    no date."""
    afgerond = Exists(
        Nazorg.objects.filter(
            afgerond=True, pk=Subquery(_latest_nazorg(OuterRef(OuterRef("pk"))).values("pk")[:1])
        )
    )
    intimidatie = Q(categorie__is_intimidatie=True)
    return {
        "nazorg_open": intimidatie & ~afgerond,
        "nazorg_afgerond": intimidatie & afgerond,
        "nazorg_contact_op": Subquery(_latest_nazorg().values("volgende_contact")[:1]),
    }


def nazorg_open():
    """An annotation: an intimidation case whose nazorg is not (or no longer) afgerond."""
    return nazorg_annotations()["nazorg_open"]


def nazorg_current(melding) -> Nazorg | None:
    """The latest note on a case: it decides whether the nazorg is afgerond or when next."""
    return melding.nazorg.order_by("-created_at", "-pk").first()


def nazorg_reminders_due(now):
    """Follow-up dates whose reminder is due and not yet sent: 08:00 local time on the day of
    the planned contact has passed (a DST night makes no difference: the local clock is read),
    the note is still the case's latest, the case not erased."""
    local = timezone.localtime(now)
    last_day = local.date()
    if local.hour < Nazorg.HERINNERING_UUR:
        last_day -= timedelta(days=1)
    return Nazorg.objects.filter(
        volgende_contact__lte=last_day,
        herinnerd_at=None,
        melding__anonymised_at=None,
        melding__categorie__is_intimidatie=True,
        pk=Subquery(
            Nazorg.objects.filter(melding=OuterRef("melding"))
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        ),
    )


INZAGE_OPEN_FOR = timedelta(minutes=15)


def inzage_is_open(user, inzage: Inzage) -> bool:
    """Whether a reveal the user made may still be read (again, on a refresh, without a second
    audit entry): for some minutes, and only while the details may still be shown to them
    (not after the reporter was erased or the user left the area)."""
    return (
        inzage.door_id == user.pk
        and inzage.created_at >= timezone.now() - INZAGE_OPEN_FOR
        and may_reveal(user, inzage.melder)
    )


@dataclass(frozen=True)
class FeedChoices:
    wijken: list[tuple[str, str]]
    categorieen: list[dict]  # pk and the name in every language (``talen.vertaling``)
    # The area's buurten by wijk code: a small area's feed is read buurt by buurt (``feed``).
    buurten: dict[str, tuple[int, ...]] = field(default_factory=dict)
    team: str = ""  # the team's name, shown above its feed ("" for all wijken)

    @property
    def area(self) -> tuple[int, ...]:
        """Every buurt of the area (``meldingen_in``'s ``area``)."""
        return tuple(pk for ids in self.buurten.values() for pk in ids)


def feed_choices(team_id: int | None, *, at_version: int | None = None) -> FeedChoices:
    """The feed's filter options for a team's area (all wijken without a team), cached under
    their own version (``at_version`` if the caller fetched it already): the same for every
    request of a team, they cost more than the feed query itself, and a change of categories,
    of the team's area or of its name shows at once (``signals``)."""

    def load() -> FeedChoices:
        # The area's buurten with their wijken, in one query: the wijk options and the lists.
        buurten = Buurt.objects.all() if team_id is None else buurten_of_team(team_id)
        names, per_wijk = {}, defaultdict(list)
        for code, naam, buurt in buurten.order_by("pk").values_list(
            "wijk__code", "wijk__naam", "pk"
        ):
            names[code] = naam
            per_wijk[code].append(buurt)
        return FeedChoices(
            wijken=sorted(names.items(), key=lambda wijk: (wijk[1].casefold(), wijk[0])),
            categorieen=list(Categorie.objects.values("pk", *velden("naam"))),
            buurten={wijk: tuple(ids) for wijk, ids in per_wijk.items()},
            team=Team.objects.filter(pk=team_id).values_list("naam", flat=True).first() or "",
        )

    # "choices-4": the options with ``buurten``, each category's name in every language and
    # the team's name; options cached before lack them.
    choices_key = feedcache.key(
        "choices-4", team_id, at_version=at_version, of=feedcache.CHOICES_VERSION_KEY
    )
    return feedcache.get_or_build(choices_key, load)


@dataclass(frozen=True)
class RoutingAttention:
    failed: int  # hand-overs that gave up: the outbox list, filter "Mislukt", retries them
    unrouted: int  # meldingen still waiting for a target (normally for seconds only)


def routing_attention() -> RoutingAttention:
    """What an administrator should look at in routing, counted in the database."""
    return RoutingAttention(
        failed=Outbox.objects.exclude(failed_at=None).count(),
        unrouted=Melding.objects.filter(status=Status.ONTVANGEN).count(),
    )


def overdue(now) -> Q:
    """A condition: the deadline passed without a handler's reaction (``Melding.is_overdue``
    in SQL)."""
    return Q(status__in=AWAITS_RESPONSE, deadline_at__lt=now)


def area_summary(user, *, van, tot, now) -> dict:
    """For an officer's daily summary: meldingen of their scope routed in [van, tot), of which
    high priority; and now, how many await a reaction and how many of those are overdue."""
    scope = meldingen_visible_to(user)
    counts = scope.filter(routed_at__gte=van, routed_at__lt=tot).aggregate(
        nieuw=Count("pk"), hoog=Count("pk", filter=Q(prioriteit=Prioriteit.HOOG))
    )
    waiting = scope.filter(status__in=AWAITS_RESPONSE).aggregate(
        wachtend=Count("pk"), te_laat=Count("pk", filter=overdue(now))
    )
    return {**counts, **waiting}


def overdue_unalerted(now) -> QuerySet[Melding]:
    """High-priority meldingen past their deadline whose team was not told yet (the partial
    index ``melding_overdue_alert`` holds just the candidates)."""
    return Melding.objects.filter(overdue(now), prioriteit=Prioriteit.HOOG, overdue_alerted_at=None)


def term_start():
    """An annotation: the status change that started the melding's current term (its routing,
    or the latest reopening)."""
    return Subquery(
        StatusWijziging.objects.filter(
            melding=OuterRef("pk"), naar__in=(Status.GEROUTEERD, Status.HEROPEND)
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )


# Who handles what was routed to each target; coordinators the rest (``can_act``).
HANDLER_ROLE = {doel: role for role, doel in OWN_DOEL.items()}


def handling_team_members(melding: Melding) -> list:
    """The active people, with an address, of the teams that handle ``melding``: the role that
    acts on its target, in a team whose area covers its buurt."""
    covers = Q(team__wijken=melding.buurt.wijk_id) | Q(team__buurten=melding.buurt_id)
    role = HANDLER_ROLE.get(melding.doel, Role.COORDINATOR)
    members = User.objects.filter(covers, role=role, is_active=True).exclude(email="")
    return list(members.distinct().order_by("pk"))
