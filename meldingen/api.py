"""The meldingen feed for team systems (Django REST framework): the same scope and order as the
HTML feed. Tokens, limits and the error format are ``teamapi``'s."""

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer

from accounts import apikeys
from buurten.serializers import BuurtRefSerializer
from teamapi.errors import ERRORS, ErrorSerializer
from teamapi.views import TeamAPIView

from . import feed as feed_pages
from . import feedcache, search
from .filters import ALLE, PERIODS, STATUSES, FeedFilter
from .models import Doel, Foto, Prioriteit
from .selectors import (
    feed_choices,
    meldingen_for_team,
    meldingen_in,
    meldingen_targeted,
    scope_of_team,
)
from .workflow import Status


class PersoonSerializer(serializers.Serializer):
    geslacht = serializers.CharField(source="persoon_geslacht")
    lengte = serializers.CharField(source="persoon_lengte")
    kleding = serializers.CharField(source="persoon_kleding")
    kenmerken = serializers.CharField(source="persoon_kenmerken")


class VoertuigSerializer(serializers.Serializer):
    kleur = serializers.CharField(source="voertuig_kleur")
    merk = serializers.CharField(source="voertuig_merk")
    soort = serializers.CharField(source="voertuig_type")
    kenteken = serializers.CharField(source="voertuig_kenteken")


class PuntSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


# One field formats every date-time of a row: ``self.fields`` would deep-copy all the declared
# fields of the serialiser for each page (issue 15: a sixth of building a page).
_DATETIME = serializers.DateTimeField()


class FeedMeldingSerializer(serializers.Serializer):
    """A melding as a team system reads it: what happened, never who reported it."""

    id = serializers.IntegerField(source="pk")
    referentie = serializers.CharField(
        help_text="The reference the reporter was given and quotes (`M-7K3Q-9PX2`)."
    )
    samenvatting = serializers.CharField()
    prioriteit = serializers.CharField(source="get_prioriteit_display")
    status = serializers.ChoiceField(choices=Status.choices)
    doel = serializers.ChoiceField(choices=Doel.choices)
    categorie = serializers.CharField(source="categorie.naam")
    buurt = BuurtRefSerializer()
    wijk = serializers.CharField(source="buurt.wijk.code")
    wat = serializers.CharField()
    waar = serializers.CharField()
    wanneer = serializers.DateTimeField()
    al_112_gebeld = serializers.BooleanField()
    gewicht = serializers.IntegerField()
    gemeld_op = serializers.DateTimeField(source="created_at")
    reageren_voor = serializers.DateTimeField(source="deadline_at", allow_null=True)
    te_laat = serializers.SerializerMethodField(
        help_text="Overdue: `reageren_voor` has passed while the melding still awaits a "
        "handler's reaction (status `ontvangen`, `gerouteerd` or `heropend`); the site's feed "
        'says "te laat". Decided when the answer is given.'
    )
    punt = serializers.SerializerMethodField(
        help_text="The point the reporter gave (WGS84), or null. For the team's officers only: "
        "Open311 and open data never show it."
    )
    persoon = PersoonSerializer(source="*")
    voertuig = VoertuigSerializer(source="*")
    fotos = serializers.ListField(
        child=serializers.URLField(),
        source="foto_urls",
        default=list,
        help_text="The photos (re-encoded JPEGs without metadata), each read with the same key.",
    )

    @extend_schema_field(PuntSerializer(allow_null=True))
    def get_punt(self, melding) -> dict | None:
        if melding.latitude is None or melding.longitude is None:
            return None
        return {"lat": melding.latitude, "lon": melding.longitude}

    def get_te_laat(self, melding) -> bool:
        return melding.is_overdue(self._now)

    @cached_property
    def _now(self) -> datetime:
        """One moment for the whole page (``context["now"]``, else now)."""
        return self.context.get("now") or timezone.now()

    @cached_property
    def _prioriteit_labels(self) -> dict[int, str]:
        return {value: str(label) for value, label in Prioriteit.choices}

    def to_representation(self, melding):
        """The declared fields above describe the answer (schema, docs); this builds it directly,
        because a feed page serialises 25 rows per request and the field-by-field walk costs
        ten times as much. A test checks that both give the same answer."""
        datetime_field = _DATETIME
        deadline = melding.deadline_at
        return {
            "id": melding.pk,
            "referentie": melding.referentie,
            "samenvatting": melding.samenvatting,
            "prioriteit": self._prioriteit_labels[melding.prioriteit],
            "status": melding.status,
            "doel": melding.doel,
            "categorie": melding.categorie.naam,
            "buurt": {"code": melding.buurt.code, "naam": melding.buurt.naam},
            "wijk": melding.buurt.wijk.code,
            "wat": melding.wat,
            "waar": melding.waar,
            "wanneer": datetime_field.to_representation(melding.wanneer),
            "al_112_gebeld": melding.al_112_gebeld,
            "gewicht": melding.gewicht,
            "gemeld_op": datetime_field.to_representation(melding.created_at),
            "reageren_voor": datetime_field.to_representation(deadline) if deadline else None,
            "te_laat": self.get_te_laat(melding),
            "punt": self.get_punt(melding),
            "persoon": {
                "geslacht": melding.persoon_geslacht,
                "lengte": melding.persoon_lengte,
                "kleding": melding.persoon_kleding,
                "kenmerken": melding.persoon_kenmerken,
            },
            "voertuig": {
                "kleur": melding.voertuig_kleur,
                "merk": melding.voertuig_merk,
                "soort": melding.voertuig_type,
                "kenteken": melding.voertuig_kenteken,
            },
            "fotos": getattr(melding, "foto_urls", []),
        }


class FeedPageSerializer(serializers.Serializer):
    meldingen = FeedMeldingSerializer(many=True)
    volgende = serializers.URLField(
        allow_null=True, help_text="The next page (keyset cursor), or null on the last page."
    )


# What a feed row reads: the serialiser's fields and the keyset (prioriteit, created_at, id).
FEED_COLUMNS = (
    "pk",
    "referentie",
    "samenvatting",
    "prioriteit",
    "status",
    "doel",
    "wat",
    "waar",
    "wanneer",
    "al_112_gebeld",
    "gewicht",
    "created_at",
    "deadline_at",
    "latitude",
    "longitude",
    "persoon_geslacht",
    "persoon_lengte",
    "persoon_kleding",
    "persoon_kenmerken",
    "voertuig_kleur",
    "voertuig_merk",
    "voertuig_type",
    "voertuig_kenteken",
    "categorie__naam",
    "buurt__code",
    "buurt__naam",
    "buurt__wijk__code",
)

FEED_STATUSES = [value for value, _label in STATUSES] + [ALLE]

FEED_PARAMETERS = [
    OpenApiParameter(
        "zoek",
        {"type": "string", "minLength": 1, "maxLength": search.MAX_LENGTH},
        description="Search the summary, description, place and the person and vehicle "
        "described (every word, in any order, any case), a number plate or part of one with or "
        "without dashes, or a melding's `id` (`#123`: that one only). Words of at least "
        f"{search.MIN_TERM} characters (a 400 otherwise, unless it is an id). Combines with the "
        "other filters and `na`.",
    ),
    OpenApiParameter(
        "categorie",
        {"type": "integer", "minimum": 1},
        description="Category id: one of the categories the team's feed can hold (a 400 names "
        "the parameter for any other id).",
    ),
    OpenApiParameter(
        "wijk",
        {"type": "string", "minLength": 1},
        description="CBS wijk code in the team's area (a 400 for a wijk outside it).",
    ),
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=FEED_STATUSES, description="Default: open cases."
    ),
    OpenApiParameter("periode", OpenApiTypes.STR, enum=list(PERIODS)),
    OpenApiParameter(
        "na",
        {"type": "string", "minLength": 1},
        description="Cursor from `volgende`, as given (a 400 for anything else).",
    ),
]


class FeedView(TeamAPIView):
    """``GET /api/v1/meldingen/feed/`` with ``Authorization: Bearer wka_…``."""

    query_parameters = tuple(parameter.name for parameter in FEED_PARAMETERS)

    def cache_keys(self, request, key_hash: str) -> list[str]:
        """The feed version and this page as last built, fetched with the token. The page is
        cached per key, language, address and query string; the value carries the feed version
        it was built at (see ``feedcache``) and until when its overdue flags hold. ("feed:page:"
        since the value holds that moment: a value of the old layout is never read.)"""
        parts = (
            key_hash,
            get_language(),
            request.scheme,
            request.get_host(),
            feedcache.filters_key(dict(request.query_params.items())),
        )
        request.page_key = "feed:page:" + apikeys.hash_key(repr(parts))
        return [feedcache.VERSION_KEY, request.page_key]

    @extend_schema(
        operation_id="meldingen_feed",
        summary="The team's triaged feed",
        description=(
            "Newest high priority first, scoped like the team's officers on the site (their "
            "area; police and enforcement only what was routed to them). 25 per page; follow "
            "`volgende`. Reporters are never part of the answer."
        ),
        parameters=FEED_PARAMETERS,
        responses={200: FeedPageSerializer, **ERRORS},
    )
    def get(self, request):
        version = feedcache.version(request.cached.get(feedcache.VERSION_KEY))
        now = timezone.now()
        built_at, body, valid_until = request.cached.get(request.page_key) or (None, None, None)
        # A page says which meldingen are overdue: it is stale once the next deadline on it
        # passes, though no row changed and the version stayed.
        if version is None or built_at != version or (valid_until and now > valid_until):
            body, valid_until = self.page_body(request, request.auth.team, now=now)
            if version is not None:
                feedcache.store(request.page_key, (version, body, valid_until))
        return HttpResponse(body, content_type="application/json")

    def page_body(self, request, team, *, now: datetime) -> tuple[bytes, datetime | None]:
        """The page as JSON, and until when its overdue flags hold (None: for good)."""
        choices = feed_choices(team.pk)
        scope = scope_of_team(team)
        filters = FeedFilter(
            request.query_params, meldingen_in(scope, area=choices.area), choices=choices
        )
        if not filters.is_valid():
            raise exceptions.ValidationError(filters.errors)
        page = feed_pages.page(
            filters.qs.select_related("categorie", "buurt__wijk")
            .only(*FEED_COLUMNS)
            .annotate(heeft_fotos=Exists(Foto.objects.filter(melding=OuterRef("pk")))),
            buurten=filters.buurten_to_read(),
            statuses=filters.statuses_to_read(),
            per_priority=filters.reads_per_priority(),
            priorities=filters.priorities_to_read(),
            per_buurt=filters.filter_queryset(meldingen_targeted(scope)),
        )
        volgende = None
        if page.next_cursor:
            query = request.query_params.copy()
            query["na"] = page.next_cursor
            volgende = request.build_absolute_uri(f"{reverse('api-feed')}?{query.urlencode()}")
        # Photo links: a second query only for a page that has photos.
        with_photos = [melding.pk for melding in page.rows if melding.heeft_fotos]
        urls = {}
        if with_photos:
            photos = Foto.objects.filter(melding__in=with_photos).order_by("pk")
            for pk, melding_id in photos.values_list("pk", "melding_id"):
                url = request.build_absolute_uri(reverse("api-feed-foto", kwargs={"pk": pk}))
                urls.setdefault(melding_id, []).append(url)
        for melding in page.rows:
            melding.foto_urls = urls.get(melding.pk, [])
        rows = FeedMeldingSerializer(page.rows, many=True, context={"now": now}).data
        body = JSONRenderer().render({"meldingen": rows, "volgende": volgende})
        coming = [m.deadline_at for m in page.rows if m.awaits_response and not m.is_overdue(now)]
        return body, min(filter(None, coming), default=None)


class FeedFotoView(TeamAPIView):
    """``GET /api/v1/meldingen/fotos/{id}/``: a photo of a melding the team may read."""

    @extend_schema(
        operation_id="meldingen_foto",
        summary="A photo of a melding in the team's feed",
        description="A JPEG, re-encoded at upload without EXIF or GPS data.",
        responses={
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            404: OpenApiResponse(ErrorSerializer, description="No such photo in the team's scope."),
            **ERRORS,
        },
    )
    def get(self, request, pk: int):
        foto = Foto.objects.filter(pk=pk, melding__in=meldingen_for_team(request.auth.team)).first()
        if foto is None:
            raise exceptions.NotFound
        return FileResponse(foto.bestand.open("rb"), content_type="image/jpeg")
