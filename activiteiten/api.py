"""Activities in the JSON API: public ones for anyone, members-only ones in a team's area for
that team's systems (``activiteiten_for_team``, the same rules as on the site). Counts only:
never who organises or takes part."""

import base64
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from buurten.serializers import BuurtRefSerializer
from teamapi.errors import PUBLIC_ERRORS, ErrorSerializer
from teamapi.models import FeedToken
from teamapi.permissions import PUBLIC
from teamapi.views import TeamAPIView
from wijkaanpak.tijdstippen import aware_from_iso

from .models import Aanmelding, Activiteit, Rol
from .selectors import activiteiten_for_team, activiteiten_visible_to, with_counts

PAGE_SIZE = 50
MAX_ID = 2**63 - 1


def visible(request):
    """The one scope decision: a team token reads as its team, anyone else as on the site."""
    if isinstance(request.auth, FeedToken):
        return activiteiten_for_team(request.auth.team)
    return activiteiten_visible_to(request.user)


def _read(queryset):
    rollen = Rol.objects.annotate(
        bezet=Count("aanmeldingen", filter=Q(aanmeldingen__status=Aanmelding.Status.AANGEMELD))
    )
    return (
        with_counts(queryset)
        .select_related("soort", "buurt")
        .defer("buurt__geometrie")
        .prefetch_related(Prefetch("rollen", queryset=rollen))
    )


class RolSerializer(serializers.Serializer):
    naam = serializers.CharField()
    plaatsen = serializers.IntegerField()
    bezet = serializers.IntegerField()


class ActiviteitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    titel = serializers.CharField()
    soort = serializers.CharField(source="soort.naam")
    buurt = BuurtRefSerializer()
    plek = serializers.CharField()
    beschrijving = serializers.CharField()
    start = serializers.DateTimeField()
    einde = serializers.DateTimeField()
    zichtbaarheid = serializers.ChoiceField(choices=Activiteit.Zichtbaarheid.choices)
    capaciteit = serializers.IntegerField()
    deelnemers = serializers.IntegerField()
    vrijwilligers = serializers.IntegerField()
    wachtlijst = serializers.IntegerField()
    plaatsen_vrij = serializers.SerializerMethodField()
    rollen = RolSerializer(many=True)
    url = serializers.SerializerMethodField()

    def get_plaatsen_vrij(self, activiteit) -> int:
        return max(0, activiteit.capaciteit - activiteit.deelnemers)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, activiteit) -> str:
        return self.context["request"].build_absolute_uri(activiteit.get_absolute_url())


class ActiviteitPageSerializer(serializers.Serializer):
    activiteiten = ActiviteitSerializer(many=True)
    volgende = serializers.URLField(allow_null=True)


class ActiviteitFilterSerializer(serializers.Serializer):
    buurt = serializers.RegexField(r"^BU\d{4}[0-9A-Z]{4}$", required=False, help_text="CBS code.")
    soort = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    vanaf = serializers.DateField(required=False, help_text="Starting on or after. Default: now.")
    tot = serializers.DateField(
        required=False,
        help_text="Starting before this date. With `vanaf` it must be a later date: a 400 "
        "names `tot` otherwise.",
    )
    na = serializers.CharField(required=False, help_text="Cursor from `volgende`.")

    def validate(self, attrs):
        if attrs.get("vanaf") and attrs.get("tot") and attrs["tot"] <= attrs["vanaf"]:
            raise serializers.ValidationError({"tot": ["Must be after vanaf."]})
        return attrs


def _encode(activiteit) -> str:
    raw = f"{activiteit.start.isoformat()}|{activiteit.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        start, pk = raw.split("|")
        pk = int(pk)
    except (ValueError, UnicodeDecodeError):
        return None
    # Only a moment the database takes: a mangled offset or year is no cursor either.
    moment = aware_from_iso(start)
    return None if moment is None else (moment, pk)


class ActiviteitListView(TeamAPIView):
    permission_classes = PUBLIC  # anonymous callers read the public activities

    @extend_schema(
        operation_id="activiteiten_list",
        summary="Activities, soonest first",
        description=(
            "Upcoming activities (or from `vanaf`): public ones for anyone; with a team token "
            "also the members-only ones in the team's area. Keyset pages of 50; follow "
            "`volgende`. Counts only, never names."
        ),
        parameters=[ActiviteitFilterSerializer],
        responses={200: ActiviteitPageSerializer, **PUBLIC_ERRORS},
    )
    def get(self, request):
        filters = ActiviteitFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        qs = visible(request)
        if data.get("vanaf"):
            qs = qs.filter(start__date__gte=data["vanaf"])
        else:
            qs = qs.filter(einde__gte=timezone.now())
        if data.get("tot"):
            qs = qs.filter(start__date__lt=data["tot"])
        if data.get("buurt"):
            qs = qs.filter(buurt__code=data["buurt"])
        if data.get("soort"):
            qs = qs.filter(soort_id=data["soort"])
        position = _decode(data["na"]) if data.get("na") else None
        if position:  # an unreadable cursor starts at the top, as in the feed
            start, pk = position
            qs = qs.filter(Q(start__gt=start) | Q(start=start, pk__gt=pk))
        rows = list(_read(qs).order_by("start", "pk")[: PAGE_SIZE + 1])
        volgende = None
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            query = request.query_params.copy()
            query["na"] = _encode(rows[-1])
            path = reverse("api-activiteiten")
            volgende = request.build_absolute_uri(f"{path}?{query.urlencode()}")
        body = ActiviteitSerializer(rows, many=True, context={"request": request}).data
        return Response({"activiteiten": body, "volgende": volgende})


class ActiviteitDetailView(TeamAPIView):
    permission_classes = PUBLIC

    @extend_schema(
        operation_id="activiteiten_detail",
        summary="One activity",
        responses={
            200: ActiviteitSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Unknown, or not visible to you."),
            **PUBLIC_ERRORS,
        },
    )
    def get(self, request, pk: int):
        if pk > MAX_ID:
            raise exceptions.NotFound
        activiteit = get_object_or_404(_read(visible(request)), pk=pk)
        return Response(ActiviteitSerializer(activiteit, context={"request": request}).data)
