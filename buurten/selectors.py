"""Reads about buurten, and the one place that decides which buurten a user may see.

Other apps scope their querysets with :func:`buurten_in_area` (professionals) and
:func:`member_buurt` (residents), so that a foreign id always ends in a 404.
"""

import hashlib
import json
import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import is_administrator, is_coordinator, is_professional, may_reach

from . import adressen, geo, geometrie
from .borgstelling import REVIEW_PERIOD, undone_before
from .models import Borgstelling, Buurt, Gemeente, Lidmaatschap, Uitnodigingscode, normalise_code


def buurten_in_area(user) -> QuerySet[Buurt]:
    """The buurten a coordinator, police or enforcement user works in (all for administrators)."""
    if not user.is_authenticated:
        return Buurt.objects.none()
    if is_administrator(user):
        return Buurt.objects.all()
    if not is_professional(user) or user.team_id is None:
        return Buurt.objects.none()
    return buurten_of_team(user.team_id)


def buurten_of_team(team_id: int) -> QuerySet[Buurt]:
    """A team's area: the buurten of its wijken plus its single buurten."""
    return Buurt.objects.filter(Q(wijk__teams__id=team_id) | Q(teams__id=team_id)).distinct()


def buurten_of_gemeente(gemeente_id: int) -> QuerySet[Buurt]:
    """A gemeente's buurten: the area of its outside apps (Open311 clients)."""
    return Buurt.objects.filter(wijk__gemeente_id=gemeente_id)


def shapes_of(buurten: QuerySet[Buurt]) -> list[geo.Shape]:
    """The buurten's shapes (those that have one), for the map and for locating a point."""
    rows = buurten.exclude(geometrie="").values_list("code", "naam", "geometrie")
    shapes = [geo.Shape(code, naam, geo.rings_of(ewkt)) for code, naam, ewkt in rows]
    return [shape for shape in shapes if shape.rings]


def gemeenten_with_shapes() -> QuerySet[Gemeente]:
    """The gemeenten of which some buurten have a shape: each gets a map on the buurt list."""
    return Gemeente.objects.filter(wijken__buurten__geometrie__gt="").distinct().order_by("naam")


# Shapes change only with an import: an hour's cache (the gemeente's shapes are kept as long).
SHAPES_SECONDS = 3600


def shapes_geojson(buurten: QuerySet[Buurt]) -> str:
    """The buurten's shapes as GeoJSON text (WGS84), kept by which buurten they are: a team's
    area that changes asks for other buurten, and gets them."""
    codes = sorted(buurten.exclude(geometrie="").values_list("code", flat=True))
    key = "buurtvormen:" + hashlib.sha256(",".join(codes).encode()).hexdigest()

    def build() -> str:
        shapes = shapes_of(Buurt.objects.filter(code__in=codes).order_by("code"))
        features = [geo.geojson_feature(shape) for shape in shapes]
        return json.dumps({"type": "FeatureCollection", "features": features})

    return cache.get_or_set(key, build, timeout=SHAPES_SECONDS)


def has_shapes(gemeente_id: int) -> bool:
    return buurten_of_gemeente(gemeente_id).exclude(geometrie="").exists()


def buurt_at(gemeente_id: int, lat: float, lon: float) -> Buurt | None:
    """The buurt of the gemeente whose shape holds the point, or None."""
    buurten = buurten_of_gemeente(gemeente_id).select_related("wijk__gemeente")
    found = geometrie.buurt_at(buurten, lat, lon)
    return found[0] if found else None


def shapes_missing(gemeente_id: int) -> bool:
    """Whether some buurten of the gemeente have no shape (e.g. Weesp, part of Amsterdam since
    2022, is not in the carried shapes): a point in no shape may then still lie in it."""
    return buurten_of_gemeente(gemeente_id).filter(geometrie="").exists()


# How far beyond the box around the gemeente's shapes a point may lie and still be taken for
# one of its buurten without a shape.
NEAR_METRES = 10_000


def near_gemeente(gemeente_id: int, lat: float, lon: float) -> bool:
    x, y = geo.wgs84_to_rd(lat, lon)
    points = [p for s in shapes_of(buurten_of_gemeente(gemeente_id)) for r in s.rings for p in r]
    if not points:
        return False
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (
        min(xs) - NEAR_METRES <= x <= max(xs) + NEAR_METRES
        and min(ys) - NEAR_METRES <= y <= max(ys) + NEAR_METRES
    )


def is_in_area(user, buurt: Buurt) -> bool:
    return buurten_in_area(user).filter(pk=buurt.pk).exists()


def decides_membership(user) -> bool:
    """Coordinators (in their area) and administrators decide who is a member; police and
    enforcement work in the same area but see no applicants."""
    return may_reach(user, "nieuwe_leden")


def can_coordinate(user, buurt: Buurt) -> bool:
    """Coordinators of the buurt's area (and administrators) decide on members and codes."""
    if is_administrator(user):
        return True
    return is_coordinator(user) and is_in_area(user, buurt)


def active_lidmaatschap(user) -> Lidmaatschap | None:
    """The resident's pending or verified membership, if any."""
    if not user.is_authenticated:
        return None
    return (
        Lidmaatschap.objects.filter(user=user, status__in=Lidmaatschap.ACTIVE)
        .select_related("buurt__wijk")
        .first()
    )


def member_buurt(user) -> Buurt | None:
    """The buurt the user is a verified member of."""
    lidmaatschap = active_lidmaatschap(user)
    if lidmaatschap and lidmaatschap.status == Lidmaatschap.Status.LID:
        return lidmaatschap.buurt
    return None


def is_verified_member(user, buurt: Buurt) -> bool:
    return (
        user.is_authenticated
        and Lidmaatschap.objects.filter(
            user=user, buurt=buurt, status=Lidmaatschap.Status.LID
        ).exists()
    )


POSTCODE_RE = re.compile(r"^\d{4}\s*[A-Za-z]{0,2}$")


def looks_like_postcode(query: str) -> bool:
    return bool(POSTCODE_RE.match(query.strip()))


def buurt_search(query: str) -> QuerySet[Buurt]:
    """Buurten whose name (also the 2015 name), wijk, stadsdeel or CBS code matches the query;
    a dash and a space count as the same ("Burgwallen Oost" finds "Burgwallen-Oost"). With the
    address search configured a postcode ("1013") or a street finds the buurten of its
    addresses: always for a postcode, for a street when no name matched."""
    query = query.strip()
    qs = Buurt.objects.select_related("wijk", "stadsdeel").order_by("naam")
    if not query:
        return qs.none()
    by_name = Q(code__iexact=query) | Q(wijk__code__iexact=query)
    for variant in {query, query.replace("-", " "), query.replace(" ", "-")}:
        by_name |= (
            Q(naam__icontains=variant)
            | Q(naam_2015__icontains=variant)
            | Q(wijk__naam__icontains=variant)
            | Q(stadsdeel__naam__icontains=variant)
        )
    if not adressen.enabled():
        return qs.filter(by_name)
    if not looks_like_postcode(query) and qs.filter(by_name).exists():
        return qs.filter(by_name)
    return qs.filter(by_name | Q(code__in=adressen.buurtcodes(query)))


def buurten_listed() -> QuerySet[Buurt]:
    """Every buurt, by stadsdeel and wijk: the list to choose from when a search finds none."""
    return (
        Buurt.objects.select_related("wijk", "stadsdeel")
        .only("code", "naam", "wijk__naam", "wijk__code", "stadsdeel__naam")
        .order_by("stadsdeel__naam", "wijk__naam", "naam")
    )


def recent_rejection(user) -> Lidmaatschap | None:
    """An aanvraag that was turned down in the last month, to tell the resident."""
    return (
        Lidmaatschap.objects.filter(
            user=user,
            status=Lidmaatschap.Status.AFGEWEZEN,
            decided_at__gte=timezone.now() - timedelta(days=30),
        )
        .select_related("buurt")
        .order_by("-decided_at")
        .first()
    )


def active_invite(code: str) -> Uitnodigingscode | None:
    return (
        Uitnodigingscode.objects.select_related("buurt")
        .filter(code=normalise_code(code), revoked_at__isnull=True)
        .first()
    )


def member_count(buurt: Buurt) -> int:
    return buurt.lidmaatschappen.filter(status=Lidmaatschap.Status.LID).count()


def aanvragen_to_decide(user) -> QuerySet[Lidmaatschap]:
    """Pending aanvragen in a coordinator's area, oldest first, with what the coordinator
    can fairly judge on: whether the e-mail address is confirmed, earlier rejections in this
    buurt (the last reason) and whether the person was a verified member before, here or
    elsewhere (which other buurt is not told). An applicant never has another active
    membership: one per resident (``lidmaatschap_one_active_per_user``)."""
    same_user = Lidmaatschap.objects.filter(user=OuterRef("user")).exclude(pk=OuterRef("pk"))
    rejections_here = same_user.filter(
        buurt=OuterRef("buurt"), status=Lidmaatschap.Status.AFGEWEZEN
    ).order_by("-decided_at")
    was_member = same_user.filter(status=Lidmaatschap.Status.BEEINDIGD)
    if not decides_membership(user):
        return Lidmaatschap.objects.none()
    return (
        Lidmaatschap.objects.filter(
            status=Lidmaatschap.Status.AANGEVRAAGD, buurt__in=buurten_in_area(user)
        )
        .select_related("user", "buurt__wijk")
        .annotate(
            borgen=Count("borgstellingen"),
            email_bevestigd=Exists(
                EmailAddress.objects.filter(
                    user=OuterRef("user"), email__iexact=OuterRef("user__email"), verified=True
                )
            ),
            eerder_afgewezen=Coalesce(
                Subquery(
                    rejections_here.order_by().values("user").annotate(n=Count("pk")).values("n")
                ),
                0,
            ),
            laatst_afgewezen_op=Subquery(rejections_here.values("decided_at")[:1]),
            laatste_reden_afwijzing=Subquery(rejections_here.values("reden_afwijzing")[:1]),
            eerder_lid_hier=Exists(was_member.filter(buurt=OuterRef("buurt"))),
            eerder_lid_elders=Exists(was_member.exclude(buurt=OuterRef("buurt"))),
        )
        .order_by("created_at")
    )


def vouched_admissions_to_review(user) -> QuerySet[Lidmaatschap]:
    """Members admitted by vouching in a coordinator's area whose admission can still be undone
    (``borgstelling.REVIEW_PERIOD``), newest first, with who vouched. Empty for anyone but the
    area's coordinators and administrators, so that an undo by anyone else is a 404."""
    if not decides_membership(user):
        return Lidmaatschap.objects.none()
    return (
        Lidmaatschap.objects.filter(
            status=Lidmaatschap.Status.LID,
            via=Lidmaatschap.Via.BORGSTELLING,
            decided_at__gt=timezone.now() - REVIEW_PERIOD,
            buurt__in=buurten_in_area(user),
        )
        .select_related("user", "buurt__wijk")
        .prefetch_related(
            Prefetch(
                "borgstellingen",
                queryset=Borgstelling.objects.select_related("borg").order_by("created_at"),
            )
        )
        .order_by("-decided_at")
    )


def aanvragen_to_vouch_for(user) -> QuerySet[Lidmaatschap]:
    """Pending aanvragen in the member's own buurt that this member has not vouched for yet,
    without those of residents whose admission by vouching a coordinator undid here."""
    buurt = member_buurt(user)
    if buurt is None:
        return Lidmaatschap.objects.none()
    return (
        Lidmaatschap.objects.filter(buurt=buurt, status=Lidmaatschap.Status.AANGEVRAAGD)
        .exclude(user=user)
        .exclude(borgstellingen__borg=user)
        .exclude(Exists(undone_before(user=OuterRef("user"), buurt=OuterRef("buurt"))))
        .select_related("user")
        .annotate(borgen=Count("borgstellingen"))
        .order_by("created_at")
    )


def invite_codes_for(buurt: Buurt) -> QuerySet[Uitnodigingscode]:
    return buurt.uitnodigingscodes.annotate(aanmeldingen=Count("lidmaatschappen")).select_related(
        "created_by"
    )


def coordinator_recipients(buurt: Buurt) -> tuple[list, list]:
    """Who is told about the buurt's coordination work: the active coordinators whose team
    covers the buurt, and those teams that have a team address."""
    from accounts.models import Role, Team, User

    covers = Q(team__wijken=buurt.wijk_id) | Q(team__buurten=buurt.pk)
    coordinators = User.objects.filter(covers, role=Role.COORDINATOR, is_active=True).distinct()
    teams = Team.objects.filter(pk__in=coordinators.values("team")).exclude(email="")
    return list(coordinators.order_by("pk")), list(teams.order_by("pk"))
