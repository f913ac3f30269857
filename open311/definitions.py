"""The service definition every melding category shares: the structured questions of the web
form (when, 112, person and vehicle descriptors) and the reporter's protection tier."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from meldingen.models import Melder


@dataclass(frozen=True)
class Attribuut:
    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    description: str
    order: int
    max_length: int = 0
    values: list[tuple[str, str]] = field(default_factory=list)
    datatype_description: str = ""
    required: bool = False


ATTRIBUTEN = [
    Attribuut(
        "wanneer",
        "datetime",
        _("Wanneer gebeurde het?"),
        1,
        datatype_description=_("ISO 8601 met tijdzone, bijv. 2026-11-28T21:40:00+01:00. Leeg: nu."),
    ),
    Attribuut(
        "al_112_gebeld",
        "singlevaluelist",
        _("Is 112 al gebeld?"),
        2,
        values=[("ja", _("ja")), ("nee", _("nee"))],
    ),
    Attribuut(
        "persoon_geslacht",
        "singlevaluelist",
        _("Persoon: geslacht"),
        3,
        values=[("man", _("man")), ("vrouw", _("vrouw")), ("onbekend", _("weet ik niet"))],
    ),
    Attribuut("persoon_lengte", "string", _("Persoon: lengte"), 4, 30, [], _("bijv. ca. 1,80 m")),
    Attribuut(
        "persoon_kleding", "string", _("Persoon: kleding"), 5, 120, [], _("bijv. donkere jas")
    ),
    Attribuut(
        "persoon_kenmerken",
        "string",
        _("Persoon: opvallende kenmerken"),
        6,
        120,
        [],
        _("bijv. baard, rugzak, tatoeage"),
    ),
    Attribuut("voertuig_kleur", "string", _("Voertuig: kleur"), 7, 30),
    Attribuut("voertuig_merk", "string", _("Voertuig: merk"), 8, 40),
    Attribuut(
        "voertuig_type", "string", _("Voertuig: soort"), 9, 40, [], _("auto, scooter, busje")
    ),
    Attribuut(
        "voertuig_kenteken",
        "string",
        _("Voertuig: (deel van het) kenteken"),
        10,
        12,
        [],
        _("Ook een deel helpt, bijv. XL-12."),
    ),
    Attribuut(
        "bescherming",
        "singlevaluelist",
        _("Wie mag weten wie dit meldde? Standaard: alleen de wijkcoördinator."),
        11,
        values=[(value, label) for value, label in Melder.Bescherming.choices],
        datatype_description=_(
            "anoniem: de contactgegevens worden niet bewaard. coordinator: alleen de "
            "wijkcoördinator ziet ze. contact: ook politie of handhaving mag contact opnemen."
        ),
    ),
]
BY_CODE = {attribuut.code: attribuut for attribuut in ATTRIBUTEN}
