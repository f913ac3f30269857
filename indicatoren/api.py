"""Published indicators for the platform's own clients (``/api/v1/indicatoren/``): the same
figures, suppression and attribution as the open-data downloads (``publicatie``), public like
them, described in the OpenAPI schema."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from buurten.models import Gemeente
from teamapi.errors import PUBLIC_ERRORS, ErrorSerializer
from teamapi.permissions import PUBLIC
from teamapi.views import TeamAPIView

from . import publicatie
from .models import Niveau, Snapshot


class GemeenteRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()


class GemeentePeriodesSerializer(GemeenteRefSerializer):
    periodes = serializers.ListField(
        child=serializers.DateField(),
        help_text="Published periods by their last day, newest first.",
    )
    url = serializers.URLField(help_text="The latest published figures.")


class GemeenteListSerializer(serializers.Serializer):
    gemeenten = GemeentePeriodesSerializer(many=True)


class PeriodeSerializer(serializers.Serializer):
    start = serializers.DateField()
    eind = serializers.DateField()


# The public v1 names (field `doel_actieve_kern`, component `Doel`) stay as published: team
# systems and open-data users read them; in code the indicator goal is a streefwaarde.
@extend_schema_serializer(component_name="Doel")
class StreefwaardeSerializer(serializers.Serializer):
    procent = serializers.IntegerField()
    toelichting = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    eenheid = serializers.CharField()
    bron = serializers.CharField()
    toelichting = serializers.CharField(allow_blank=True)


class WaardeSerializer(serializers.Serializer):
    waarde = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(allow_null=True)
    ci = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, allow_null=True
    )
    onderdrukt = serializers.BooleanField(
        help_text="Suppressed: waarde, n and ci are null (see reden)."
    )
    reden = serializers.ChoiceField(
        choices=["klein", "bescherming"],
        allow_null=True,
        help_text='Why a figure is suppressed: "klein", too few answers or people; '
        '"bescherming", hidden to protect a small count elsewhere (its own count is not '
        "small). Null when shown.",
    )
    weergave = serializers.CharField(
        help_text='As shown on the site, e.g. "12,5 %", "< 10 mensen" or "niet getoond om '
        'kleine aantallen elders te beschermen".'
    )


class GebiedSerializer(serializers.Serializer):
    niveau = serializers.ChoiceField(choices=Niveau.choices)
    code = serializers.CharField()
    naam = serializers.CharField()
    wijk = serializers.CharField(allow_null=True)
    berekend_op = serializers.DateTimeField()
    waarden = serializers.DictField(child=WaardeSerializer())


class PublicatieSerializer(serializers.Serializer):
    gemeente = GemeenteRefSerializer()
    periode = PeriodeSerializer()
    bron = serializers.CharField()
    licentie = serializers.CharField()
    onderdrukking = serializers.CharField()
    deelname = serializers.CharField(
        help_text="Activity figures are about taking part through the platform, counted in the "
        "buurt where the person was a verified member on the day of the activity."
    )
    doel_actieve_kern = StreefwaardeSerializer()
    indicatoren = IndicatorSerializer(many=True)
    gebieden = GebiedSerializer(many=True)


class IndicatorenListView(TeamAPIView):
    permission_classes = PUBLIC  # published aggregates, like the open-data downloads

    @extend_schema(
        operation_id="indicatoren_list",
        summary="Gemeenten with published indicators",
        responses={200: GemeenteListSerializer, **PUBLIC_ERRORS},
    )
    def get(self, request):
        codes = Snapshot.objects.filter(niveau=Niveau.GEMEENTE).values("gemeente")
        gemeenten = []
        for gemeente in Gemeente.objects.filter(pk__in=codes).order_by("naam"):
            periodes = publicatie.published_periods(gemeente)
            if periodes:
                url = reverse("api-indicatoren-gemeente", kwargs={"code": gemeente.code})
                gemeenten.append(
                    {
                        "code": gemeente.code,
                        "naam": gemeente.naam,
                        "periodes": periodes,
                        "url": request.build_absolute_uri(url),
                    }
                )
        return Response(GemeenteListSerializer({"gemeenten": gemeenten}).data)


class IndicatorenGemeenteView(TeamAPIView):
    permission_classes = PUBLIC

    @extend_schema(
        operation_id="indicatoren_gemeente",
        summary="Published indicators of a gemeente for one period",
        description=(
            "Every area (gemeente, wijken, buurten) with every indicator for a published period "
            "(one ending on a month end; default the latest). Figures below the minimum number "
            "of answers or people are suppressed: `onderdrukt` is true and the value, n and "
            "interval are null. The CBS attribution is in `bron`."
        ),
        parameters=[
            OpenApiParameter(
                "periode",
                OpenApiTypes.DATE,
                description="Last day of a published period (YYYY-MM-DD; a 400 for anything "
                "else); a date without published figures is a 404.",
            ),
            OpenApiParameter(
                "niveau",
                OpenApiTypes.STR,
                enum=Niveau.values,
                description="Only areas of this level (a full gemeente is large: Amsterdam's "
                "517 buurten take about 1.6 MB).",
            ),
            OpenApiParameter(
                "wijk",
                {"type": "string", "minLength": 1},
                description="Only this wijk (CBS code, e.g. WK0363AA) and its buurten.",
            ),
        ],
        responses={
            200: PublicatieSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Unknown gemeente, period or wijk."),
            **PUBLIC_ERRORS,
        },
    )
    def get(self, request, code: str):
        gemeente = get_object_or_404(Gemeente, code=code.upper()[:6])
        periodes = publicatie.published_periods(gemeente)
        raw = request.query_params.get("periode")
        if raw is None:
            periode = periodes[0] if periodes else None
        else:
            periode = publicatie.parse_periode(raw)
            if periode is None:
                raise exceptions.ValidationError(
                    {"periode": ["Give the last day of the period as YYYY-MM-DD."]}
                )
        niveau = request.query_params.get("niveau")
        if niveau is not None and niveau not in Niveau.values:
            raise exceptions.ValidationError(
                {"niveau": [f"Choose one of: {', '.join(Niveau.values)}."]}
            )
        wijk = request.query_params.get("wijk", "").strip().upper()[:10] or None
        found = publicatie.rows(gemeente, periode) if periode in periodes else None
        if found is None:
            raise exceptions.NotFound(
                "no published figures for this period: published periods end on a month end; "
                "GET /api/v1/indicatoren/ lists them"
            )
        if wijk and not publicatie.only(found, wijk=wijk):
            raise exceptions.NotFound(f"no wijk {wijk} in this gemeente's figures")
        first = found[0][0]
        data = publicatie.as_dict(
            gemeente,
            publicatie.only(found, niveau=niveau, wijk=wijk),
            publicatie.attribution_for(found),
            periode=(first.periode_start, first.periode_eind),
        )
        return Response(PublicatieSerializer(data).data)
