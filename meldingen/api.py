"""The JSON API for team systems (Django REST framework): a token per team, the same scope and
order as the HTML feed. The token, its rate limit and its scope serve every ``/api/v1/`` view."""

import logging
import re

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts import apikeys, ratelimit
from wijkaanpak.proxies import rate_limit_key

from . import feed as feed_pages
from . import feedcache
from .forms import FeedFilterForm
from .models import Doel, FeedToken, Foto, Prioriteit
from .selectors import PERIODS, feed_choices, filter_feed, meldingen_for_team
from .workflow import Status

KIND = "wka"
logger = logging.getLogger(__name__)

REQUESTS_PER_TOKEN = "600/m"  # noqa: S105 (a rate, not a secret); bench/urls.py lifts it
REQUESTS_PER_IP = "120/m"  # without a token: public activities only
WRONG_KEYS_PER_IP = "20/m"  # well-formed keys that match no token: guessing, or a stale config
TOKEN_TTL = 60  # a key seen in the last minute is known from the cache; revoking forgets it


@transaction.atomic
def feed_token_issue(*, team, naam: str, by) -> tuple[FeedToken, str]:
    """Make a token; the returned key is shown once and never stored."""
    made = apikeys.new_key(KIND)
    token = FeedToken.objects.create(
        team=team, naam=naam, prefix=made.prefix, key_hash=made.key_hash, created_by=by
    )
    return token, made.key


def _token_cache_key(key_hash: str) -> str:
    return f"feedtoken:{key_hash}"


def _token_from_db(prefix: str, key_hash: str) -> FeedToken:
    token = (
        FeedToken.objects.select_related("team")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not apikeys.matches_hash(key_hash, token.key_hash):
        raise exceptions.AuthenticationFailed
    # Read from the database at most once per TOKEN_TTL: "last used" is exact to that.
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    cache.set(_token_cache_key(key_hash), token, TOKEN_TTL)
    return token


@transaction.atomic
def feed_tokens_revoke(*, tokens) -> int:
    """Revoke tokens; they stop working at once, cached or not."""
    tokens = list(tokens.filter(revoked_at=None))
    FeedToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
    for token in tokens:
        forget_token(token.key_hash)
    return len(tokens)


def forget_token(key_hash: str) -> None:
    """Drop a cached token now and again after commit (a request in between may cache it
    anew from the not yet committed state)."""
    cache.delete(_token_cache_key(key_hash))
    transaction.on_commit(lambda: cache.delete(_token_cache_key(key_hash)))


def _token_from_db_limited(request, prefix: str, key_hash: str) -> FeedToken:
    """``_token_from_db``, but an address that keeps sending keys that match nothing is
    stopped (429) before it costs a database query per guess."""
    wrong = f"api:wrong-key:{rate_limit_key(request)}"
    if ratelimit.is_over(wrong, WRONG_KEYS_PER_IP):
        period = ratelimit.parse(WRONG_KEYS_PER_IP)[1]
        raise exceptions.Throttled(wait=period - timezone.now().timestamp() % period)
    try:
        return _token_from_db(prefix, key_hash)
    except exceptions.AuthenticationFailed:
        ratelimit.exceeded(wrong, WRONG_KEYS_PER_IP)
        logger.warning("wrong team key", extra={"prefix": prefix})
        raise


class TeamTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer wka_…``: a team's system. ``request.auth`` is the ``FeedToken``;
    ``request.user`` stays anonymous (a system, not a person). No header: anonymous; a wrong,
    unknown or revoked key: 401."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _space, key = header.partition(" ")
        key = key.strip()
        prefix = apikeys.prefix_of(key, KIND) if scheme.lower() == "bearer" else None
        if not prefix:
            raise exceptions.AuthenticationFailed
        key_hash = apikeys.hash_key(key)
        token_key = _token_cache_key(key_hash)
        view = (request.parser_context or {}).get("view")
        request.page_key = view.page_key(request, key_hash) if hasattr(view, "page_key") else None
        # One round trip counts the request against the key's limit (see PerTokenThrottle) and
        # fetches the token as last seen, the feed version and the page as last built.
        request.over_limit, found = ratelimit.exceeded_and_get_many(
            f"feedtoken:{key_hash[:32]}",
            REQUESTS_PER_TOKEN,
            [token_key, feedcache.VERSION_KEY, *filter(None, [request.page_key])],
        )
        request.feed_version = found.get(feedcache.VERSION_KEY)
        request.cached_page = found.get(request.page_key) if request.page_key else None
        token = found.get(token_key)
        if token is None:
            token = _token_from_db_limited(request, prefix, key_hash)
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return 'Bearer realm="wijkaanpak"'


class TeamTokenScheme(OpenApiAuthenticationExtension):
    target_class = TeamTokenAuthentication
    name = "teamToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A team key (wka_…) that an administrator issues in the admin.",
        }


class HasTeamToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, FeedToken)


# Anyone may call the view; a token sent is still checked (a wrong one is a 401) and may show
# more. drf-spectacular documents AllowAny as the anonymous option of `security`.
PUBLIC = [AllowAny]


class PerTokenThrottle(BaseThrottle):
    """The shared fixed-window limiter: per team token, or per IP address without one."""

    period = 60

    def allow_request(self, request, view):
        if isinstance(request.auth, FeedToken):
            # Counted while authenticating, in the same round trip as the token.
            self.period = ratelimit.parse(REQUESTS_PER_TOKEN)[1]
            return not request.over_limit
        key, rate = f"api:ip:{rate_limit_key(request)}", REQUESTS_PER_IP
        self.period = ratelimit.parse(rate)[1]
        return not ratelimit.exceeded(key, rate)

    def wait(self):
        return self.period - timezone.now().timestamp() % self.period


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# Every operation can answer these (any operation refuses an empty query value).
ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="An invalid or empty query parameter: `fields` names it and says why.",
    ),
    401: OpenApiResponse(ErrorSerializer, description="Missing, unknown or revoked token."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}
# Operations anyone may call: the schema offers no token as an option (`{}` in `security`).
PUBLIC_ERRORS = {
    **ERRORS,
    401: OpenApiResponse(
        ErrorSerializer,
        description="An unknown or revoked token. Without an Authorization header the public "
        "answer is given.",
    ),
}
EMPTY_VALUE = "Empty value: give a value or leave the parameter out."
PADDED_VALUE = "Space around the value or a control character in it: send the value alone."
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _query_value_problem(value: str) -> str | None:
    if not value.strip():
        return EMPTY_VALUE
    # Parsers forgive what the schema does not allow ("2026-01-01\n" is a date to Django, " 5"
    # an int): refuse it here rather than answer something else than was asked.
    if value != value.strip() or CONTROL.search(value):
        return PADDED_VALUE
    return None


class TeamAPIView(APIView):
    """A read-only view for team systems: token, limiter, never cached. Subclasses that anyone
    may call set ``permission_classes = PUBLIC`` (the schema then offers "no token")."""

    authentication_classes = [TeamTokenAuthentication]
    permission_classes = [HasTeamToken]
    throttle_classes = [PerTokenThrottle]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # `?vanaf=` is not "no filter": a client that sends it meant something. OpenAPI's
        # default (allowEmptyValue false) says so; answer it rather than ignore it.
        problems = {}
        for name, values in request.query_params.lists():
            found = next(filter(None, map(_query_value_problem, values)), None)
            if found:
                problems[name] = [found]
        if problems:
            raise exceptions.ValidationError(problems)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"  # per caller; never kept by a proxy
        return response


# --- the feed --------------------------------------------------------------------------------


class BuurtRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()


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


class FeedMeldingSerializer(serializers.Serializer):
    """A melding as a team system reads it: what happened, never who reported it."""

    id = serializers.IntegerField(source="pk")
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

    @cached_property
    def _prioriteit_labels(self) -> dict[int, str]:
        return {value: str(label) for value, label in Prioriteit.choices}

    def to_representation(self, melding):
        """The declared fields above describe the answer (schema, docs); this builds it directly,
        because a feed page serialises 25 rows per request and the field-by-field walk costs
        ten times as much. A test checks that both give the same answer."""
        datetime_field = self.fields["wanneer"]
        deadline = melding.deadline_at
        return {
            "id": melding.pk,
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

FEED_STATUSES = [s for s in Status.values if s != Status.ONTVANGEN] + ["alle"]

FEED_PARAMETERS = [
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

    def page_key(self, request, key_hash: str) -> str:
        """Where this page is cached: per key, language, address and query string; the value
        carries the feed version it was built at (see ``feedcache``)."""
        parts = (
            key_hash,
            get_language(),
            request.scheme,
            request.get_host(),
            feedcache.filters_key(dict(request.query_params.items())),
        )
        return "feed:api:" + apikeys.hash_key(repr(parts))

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
        version = feedcache.version(request.feed_version)
        built_at, body = request.cached_page or (None, None)
        if version is None or built_at != version:
            body = self.page_body(request, request.auth.team)
            if version is not None:
                feedcache.store(request.page_key, (version, body))
        return HttpResponse(body, content_type="application/json")

    def page_body(self, request, team) -> bytes:
        form = FeedFilterForm(request.query_params, choices=feed_choices(team.pk))
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        cursor = request.query_params.get("na")
        if cursor is not None and feed_pages.decode(cursor) is None:
            # A system must not loop over page 1 because a cursor got mangled on the way.
            raise exceptions.ValidationError({"na": ["Not a cursor: use `volgende` as given."]})
        page = feed_pages.page(
            filter_feed(meldingen_for_team(team), form.cleaned_data)
            .select_related("categorie", "buurt__wijk")
            .only(*FEED_COLUMNS)
            .annotate(heeft_fotos=Exists(Foto.objects.filter(melding=OuterRef("pk")))),
            cursor,
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
        rows = FeedMeldingSerializer(page.rows, many=True).data
        return JSONRenderer().render({"meldingen": rows, "volgende": volgende})


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
