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

from . import publicatie, selectors
from .models import Niveau, Publicatie


class GemeenteRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()


class GemeentePeriodesSerializer(GemeenteRefSerializer):
    periodes = serializers.ListField(
        child=serializers.DateField(),
        help_text="Published quarters by their last day, newest first.",
    )
    url = serializers.URLField(help_text="The latest published figures.")


class GemeenteListSerializer(serializers.Serializer):
    gemeenten = GemeentePeriodesSerializer(many=True)


class PeriodeSerializer(serializers.Serializer):
    start = serializers.DateField()
    eind = serializers.DateField()
    kwartaal = serializers.CharField(help_text='The calendar quarter, e.g. "2026-Q3".')
    toelichting = serializers.CharField()


class VersieRefSerializer(serializers.Serializer):
    versie = serializers.IntegerField()
    gepubliceerd_op = serializers.DateTimeField()
    notitie = serializers.CharField(help_text="Why this version corrects the one before.")


class VersieSerializer(serializers.Serializer):
    versie = serializers.IntegerField(help_text="The version served (1 is the first).")
    gepubliceerd_op = serializers.DateTimeField()
    laatste_versie = serializers.IntegerField()
    correcties = serializers.ListField(
        child=serializers.CharField(),
        help_text='The corrections up to this version: "gecorrigeerd op <date>: <note>".',
    )
    versies = VersieRefSerializer(many=True)


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
    # Only on weighted figures (wijk and gemeente survey figures): absent elsewhere.
    weging = serializers.CharField(
        required=False,
        help_text='How a wijk or gemeente survey figure was weighted: "inwoners 15+", each buurt '
        "by its population aged 15 and over (CBS). Absent on buurt figures (their respondents, "
        "unweighted) and on figures that are not from the survey.",
    )
    dekking_gebieden = serializers.IntegerField(
        required=False, help_text="Weighted figures: the areas one level down with answers."
    )
    dekking_van = serializers.IntegerField(
        required=False, help_text="Weighted figures: all areas one level down."
    )
    dekking_eenheid = serializers.ChoiceField(
        choices=["buurt", "wijk"], required=False, help_text="What those areas are."
    )
    dekking_inwoners_pct = serializers.FloatField(
        required=False,
        help_text="Weighted figures: the covered areas' share of the population aged 15+ (%).",
    )
    dekking_zonder_bevolking = serializers.IntegerField(
        required=False,
        help_text="Weighted figures: buurten with answers left out for want of CBS figures.",
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
    publicatie = VersieSerializer()
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
        codes = Publicatie.objects.values("gemeente")
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
        summary="Published indicators of a gemeente for one quarter",
        description=(
            "Every area (gemeente, wijken, buurten) with every indicator for a published "
            "calendar quarter (default the latest), in its latest version unless `versie` is "
            "given. A quarter is published once it has ended and is final; a correction is a "
            "new version with a note (`publicatie.correcties`). Figures below the minimum number "
            "of answers or people are suppressed: `onderdrukt` is true and the value, n and "
            "interval are null. The CBS attribution is in `bron`."
        ),
        parameters=[
            OpenApiParameter(
                "periode",
                OpenApiTypes.STR,
                description="The quarter: its last day (YYYY-MM-DD) or its name (2026-Q3); a "
                "400 for anything else, a 404 for a quarter without published figures.",
            ),
            OpenApiParameter(
                "versie",
                OpenApiTypes.INT,
                description="A version of the quarter (1, 2, …; default the latest); a 400 for "
                "anything else, a 404 for a version that does not exist.",
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
        raw = request.query_params.get("periode")
        periode = None
        if raw is not None:
            periode = publicatie.parse_periode(raw)
            if periode is None:
                raise exceptions.ValidationError(
                    {"periode": ["Give the quarter's last day as YYYY-MM-DD, or as 2026-Q3."]}
                )
        versie = publicatie.parse_versie(request.query_params.get("versie"))
        if versie == -1:
            raise exceptions.ValidationError({"versie": ["Give a version number: 1, 2, …"]})
        niveau = request.query_params.get("niveau")
        if niveau is not None and niveau not in Niveau.values:
            raise exceptions.ValidationError(
                {"niveau": [f"Choose one of: {', '.join(Niveau.values)}."]}
            )
        wijk = request.query_params.get("wijk", "").strip().upper()[:10] or None
        gekozen = selectors.publicatie_for(gemeente, periode_eind=periode, versie=versie)
        if gekozen is None:
            raise exceptions.NotFound(
                "no published figures for this quarter or version: published periods are "
                "ended calendar quarters; GET /api/v1/indicatoren/ lists them"
            )
        found = publicatie.rows(gekozen)
        if wijk and not publicatie.only(found, wijk=wijk):
            raise exceptions.NotFound(f"no wijk {wijk} in this gemeente's figures")
        data = publicatie.as_dict(
            gekozen,
            publicatie.only(found, niveau=niveau, wijk=wijk),
            publicatie.attribution_for(found),
            selectors.versies(gekozen),
        )
        return Response(PublicatieSerializer(data).data)
