"""Every indicator the platform computes, in the order dashboards and exports show them.

Formulas are in :mod:`indicatoren.compute` (per respondent and per person, in SQL) and
:mod:`indicatoren.formulas` (on the totals) (DOMAIN.md, "Indicators"); this module only says what
each figure is, so that views, exports and charts are built from one list.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

ENQUETE = "enquete"
ACTIVITEIT = "activiteit"
MELDINGEN = "meldingen"
VERZOEKEN = "verzoeken"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    eenheid: (
        str  # "0-10", "5-25", "10-50", "%", "per 1.000", "per 100", "uren", "dagen", "D", "aantal"
    )
    bron: str  # ENQUETE | ACTIVITEIT | MELDINGEN | VERZOEKEN
    hoger_is_beter: bool | None
    streefwaarde: bool = False  # compared with the gemeente's target (actieve kern)
    toelichting: str = ""
    # The counts the figure reveals (with its n or its value times a public population): the
    # figure is suppressed wherever one of them is (``TELLINGEN``). Filled in from ``_TELLINGEN``.
    tellingen: tuple[str, ...] = ()
    n_telling: str | None = None  # the count published as n (one of ``tellingen``), or none


WEET_NIET_TOELICHTING = _(
    "Aandeel 'weet niet' in de antwoorden op deze uitspraken. Veel 'weet niet' kan betekenen dat "
    "buren elkaar weinig kennen."
)

# Meldingen figures count what anyone may know exists (``meldingen.selectors
# .meldingen_known_openly``), the same meldingen as Open311's public list.
MELDINGEN_TOELICHTING = _(
    "Zonder meldingen over intimidatie: dat die er zijn, weten alleen de coördinator en de politie."
)

_LIST = (
    Indicator(
        "sociale_cohesie",
        _("Sociale cohesie"),
        "0-10",
        ENQUETE,
        True,
        toelichting=_(
            "Vijf uitspraken uit de CBS Veiligheidsmonitor, schaal 0–10. Het landelijke cijfer "
            "van de Veiligheidsmonitor 2021 (6,4) is niet direct vergelijkbaar: dat komt van zes "
            "uitspraken, ook 'buren letten op elkaars huis als je weg bent' (CBS, "
            "Veiligheidsmonitor 2021, Akkermans e.a. 2022, hoofdstuk 2)."
        ),
    ),
    Indicator(
        "ce_isc",
        _("Informele sociale controle"),
        "5-25",
        ENQUETE,
        True,
        toelichting=_(
            "Sampson e.a. (1997), vijf vragen; 'weet niet' telt als het midden (3). Over wie "
            "hoogstens één vraag oversloeg."
        ),
    ),
    Indicator(
        "ce_sct",
        _("Cohesie en vertrouwen"),
        "5-25",
        ENQUETE,
        True,
        toelichting=_(
            "Sampson e.a. (1997), vijf uitspraken; 'weet niet' telt als het midden (3). Over wie "
            "hoogstens één uitspraak oversloeg."
        ),
    ),
    Indicator(
        "ce_totaal",
        _("Collectieve weerbaarheid (totaal)"),
        "10-50",
        ENQUETE,
        True,
        toelichting=_("Beide delen samen, over wie beide geldig invulde."),
    ),
    Indicator(
        "ce_0_10",
        _("Collectieve weerbaarheid"),
        "0-10",
        ENQUETE,
        True,
        toelichting=_("Sampson e.a. (1997), totaal omgerekend naar 0–10."),
    ),
    Indicator(
        "bereidheid",
        _("Bereid om iets te doen voor de buurt"),
        "%",
        ENQUETE,
        True,
    ),
    Indicator(
        "aanspreken",
        _("Buren durven elkaar aan te spreken"),
        "%",
        ENQUETE,
        True,
        toelichting=_("Landelijk 2019: 46%."),
    ),
    Indicator(
        "drugshandel",
        _("Openlijke drugshandel (mee eens)"),
        "%",
        ENQUETE,
        False,
        toelichting=_("Eens met: 'In deze buurt wordt openlijk drugs gedeald.'"),
    ),
    Indicator(
        "intimidatie",
        _("Druk of intimidatie (mee eens)"),
        "%",
        ENQUETE,
        False,
        toelichting=_(
            "Eens met: 'Bewoners worden in deze buurt weleens onder druk gezet of geïntimideerd.'"
        ),
    ),
    Indicator(
        "weet_niet_sc",
        _("'Weet niet' bij sociale cohesie"),
        "%",
        ENQUETE,
        None,
        toelichting=WEET_NIET_TOELICHTING,
    ),
    Indicator(
        "weet_niet_isc",
        _("'Weet niet' bij informele sociale controle"),
        "%",
        ENQUETE,
        None,
        toelichting=WEET_NIET_TOELICHTING,
    ),
    Indicator(
        "weet_niet_sct",
        _("'Weet niet' bij cohesie en vertrouwen"),
        "%",
        ENQUETE,
        None,
        toelichting=WEET_NIET_TOELICHTING,
    ),
    Indicator(
        "bereik",
        _("Bereik"),
        "%",
        ACTIVITEIT,
        True,
        toelichting=_(
            "Bewoners van 15+ die via het platform aan minstens één activiteit meededen, geteld "
            "in de buurt waar ze op de dag van de activiteit geverifieerd lid waren."
        ),
    ),
    Indicator(
        "actieve_kern",
        _("Actieve kern"),
        "%",
        ACTIVITEIT,
        True,
        streefwaarde=True,
        toelichting=_(
            "Bewoners van 15+ die via het platform organiseerden, een vrijwilligersrol hadden "
            "of minstens drie keer in twee verschillende maanden meededen."
        ),
    ),
    Indicator(
        "herhaling",
        _("Herhaling"),
        "%",
        ACTIVITEIT,
        True,
        toelichting=_("Deelnemers die via het platform twee of meer keer meededen."),
    ),
    Indicator(
        "vrijwilligersuren",
        _("Vrijwilligersuren"),
        "per 100",
        ACTIVITEIT,
        True,
        toelichting=_(
            "Uren in vrijwilligersrollen die organisatoren via het platform bijhielden, per 100 "
            "bewoners van 15+."
        ),
    ),
    Indicator(
        "uren_top10_aandeel",
        _("Aandeel uren van de top 10% vrijwilligers"),
        "%",
        ACTIVITEIT,
        False,
        toelichting=_("Van de vrijwilligersuren via het platform."),
    ),
    Indicator(
        "representativiteit",
        _("Representativiteit (leeftijd)"),
        "D",
        ACTIVITEIT,
        False,
        toelichting=_(
            "Verschil naar leeftijd tussen wie via het platform meedeed en de buurt; 0 is gelijk."
        ),
    ),
    Indicator(
        "deelnemers_zonder_account",
        _("Buren zonder account (geschat door organisatoren)"),
        "aantal",
        ACTIVITEIT,
        None,
        toelichting=_(
            "Hoeveel buren zonder account meededen, zoals organisatoren na afloop telden, "
            "opgeteld over de activiteiten in de buurt: bezoeken, geen personen (wie twee keer "
            "kwam, telt twee keer). Een schatting, apart van bereik en actieve kern; niet "
            "ingevuld telt als 0."
        ),
    ),
    Indicator(
        "meldingen_per_1000",
        _("Meldingen"),
        "per 1.000",
        MELDINGEN,
        None,
        toelichting=MELDINGEN_TOELICHTING,
    ),
    Indicator(
        "meldingen_politie",
        _("Meldingen naar de politie"),
        "per 1.000",
        MELDINGEN,
        None,
        toelichting=MELDINGEN_TOELICHTING,
    ),
    Indicator(
        "meldingen_handhaving",
        _("Meldingen naar handhaving"),
        "per 1.000",
        MELDINGEN,
        None,
        toelichting=MELDINGEN_TOELICHTING,
    ),
    Indicator(
        "meldingen_gemeente",
        _("Meldingen naar de gemeente"),
        "per 1.000",
        MELDINGEN,
        None,
        toelichting=MELDINGEN_TOELICHTING,
    ),
    Indicator(
        "meldingen_buurt",
        _("Meldingen voor de buurt zelf"),
        "per 1.000",
        MELDINGEN,
        None,
        toelichting=MELDINGEN_TOELICHTING,
    ),
    Indicator(
        "feedback_mediaan_uren",
        _("Tijd tot eerste terugkoppeling (mediaan)"),
        "uren",
        MELDINGEN,
        False,
        toelichting=MELDINGEN_TOELICHTING,
    ),
    Indicator(
        "feedback_aandeel",
        _("Meldingen met terugkoppeling"),
        "%",
        MELDINGEN,
        True,
        toelichting=MELDINGEN_TOELICHTING,
    ),
    Indicator("verzoeken", _("Faciliteringsverzoeken"), "aantal", VERZOEKEN, None),
    Indicator("verzoeken_toegekend_aandeel", _("Verzoeken toegekend"), "%", VERZOEKEN, None),
    Indicator(
        "verzoeken_besluit_mediaan_dagen",
        _("Dagen tot besluit (mediaan)"),
        "dagen",
        VERZOEKEN,
        False,
    ),
    Indicator(
        "verzoeken_binnen_termijn_aandeel", _("Besloten binnen de termijn"), "%", VERZOEKEN, True
    ),
)


@dataclass(frozen=True)
class Telling:
    """A count behind published figures. Additive counts add up buurt -> wijk -> gemeente and
    get one suppression pattern over all areas (:mod:`indicatoren.suppression`), shared by every
    figure made of them; a count that does not add up (the top-10% group, the number of values
    behind a median) is only checked against the minimum itself."""

    key: str
    enquete: bool = False  # respondents (minimum ``min_n_enquete``), else ``min_n_telling``
    optelbaar: bool = True


TELLINGEN: dict[str, Telling] = {
    t.key: t
    for t in (
        Telling("sc_n", enquete=True),  # respondents with a valid sociale-cohesie score
        Telling("ce_n", enquete=True),  # respondents with both Sampson subscales valid
        # respondents each subscale is published over (``weging.ce_base``)
        Telling("isc_n", enquete=True),
        Telling("sct_n", enquete=True),
        Telling("bereidheid_n", enquete=True),
        Telling("aanspreken_n", enquete=True),
        Telling("drugshandel_n", enquete=True),
        Telling("intimidatie_n", enquete=True),
        # respondents who answered (not skipped) at least one item of the scale
        Telling("wn_sc_n", enquete=True),
        Telling("wn_isc_n", enquete=True),
        Telling("wn_sct_n", enquete=True),
        Telling("deelnemers"),
        Telling("herhalers"),
        Telling("kern"),
        Telling("vrijwilligers"),
        Telling("top10", optelbaar=False),  # ceil(vrijwilligers / 10) of the area itself
        Telling("leeftijd_bekend"),  # participants with an age band
        Telling("zonder_account"),  # organisers' headcounts of neighbours without an account
        Telling("m_totaal"),
        Telling("m_politie"),
        Telling("m_handhaving"),
        Telling("m_gemeente"),
        Telling("m_buurt"),
        Telling("m_feedback"),
        Telling("feedback_mediaan_n", optelbaar=False),
        Telling("v_totaal"),
        Telling("v_besloten"),
        Telling("v_toegekend"),
        Telling("v_met_termijn"),
        Telling("v_binnen_termijn"),
        Telling("besluit_mediaan_n", optelbaar=False),
    )
}
# m_totaal = m_politie + m_handhaving + m_gemeente + m_buurt + meldingen not (yet) routed: a
# second way to add up, within one area.
MELDING_DOEL_TELLINGEN = ("m_politie", "m_handhaving", "m_gemeente", "m_buurt")

# Published counts of which one is part of the other: their difference is a count of people or
# records too ("30 meldingen, 29 with feedback" says 1 without), so it gets a pattern like every
# count: (part, whole) -> the complement ``whole - part``, never published itself. A complement
# below the minimum hides the part or the whole (``suppression``, ``Line`` within one area).
DEELTELLINGEN = (
    ("herhalers", "deelnemers"),
    ("kern", "deelnemers"),
    ("vrijwilligers", "deelnemers"),
    ("leeftijd_bekend", "deelnemers"),
    ("m_feedback", "m_totaal"),
    ("v_besloten", "v_totaal"),
    ("v_met_termijn", "v_totaal"),
    ("v_toegekend", "v_besloten"),
    ("v_binnen_termijn", "v_met_termijn"),
)


def complement(part: str, whole: str) -> str:
    return f"{whole}_zonder_{part}"


TELLINGEN.update({complement(p, w): Telling(complement(p, w)) for p, w in DEELTELLINGEN})

# Which counts each indicator is made of, and which one it publishes as n (None: no n).
_TELLINGEN = {
    "sociale_cohesie": (("sc_n",), "sc_n"),
    "ce_isc": (("isc_n",), "isc_n"),
    "ce_sct": (("sct_n",), "sct_n"),
    "ce_totaal": (("ce_n",), "ce_n"),
    "ce_0_10": (("ce_n",), "ce_n"),
    "bereidheid": (("bereidheid_n",), "bereidheid_n"),
    "aanspreken": (("aanspreken_n",), "aanspreken_n"),
    "drugshandel": (("drugshandel_n",), "drugshandel_n"),
    "intimidatie": (("intimidatie_n",), "intimidatie_n"),
    "weet_niet_sc": (("wn_sc_n",), "wn_sc_n"),
    "weet_niet_isc": (("wn_isc_n",), "wn_isc_n"),
    "weet_niet_sct": (("wn_sct_n",), "wn_sct_n"),
    "bereik": (("deelnemers",), "deelnemers"),
    "actieve_kern": (("kern",), "kern"),
    "herhaling": (("deelnemers", "herhalers"), "deelnemers"),
    "vrijwilligersuren": (("vrijwilligers",), "vrijwilligers"),
    "uren_top10_aandeel": (("vrijwilligers", "top10"), "vrijwilligers"),
    "representativiteit": (("deelnemers", "leeftijd_bekend"), "leeftijd_bekend"),
    "deelnemers_zonder_account": (("zonder_account",), "zonder_account"),
    "meldingen_per_1000": (("m_totaal",), "m_totaal"),
    "meldingen_politie": (("m_politie",), "m_politie"),
    "meldingen_handhaving": (("m_handhaving",), "m_handhaving"),
    "meldingen_gemeente": (("m_gemeente",), "m_gemeente"),
    "meldingen_buurt": (("m_buurt",), "m_buurt"),
    "feedback_mediaan_uren": (("m_feedback", "feedback_mediaan_n"), "m_feedback"),
    "feedback_aandeel": (("m_totaal", "m_feedback"), "m_totaal"),
    "verzoeken": (("v_totaal",), "v_totaal"),
    "verzoeken_toegekend_aandeel": (("v_besloten", "v_toegekend"), "v_besloten"),
    "verzoeken_besluit_mediaan_dagen": (("v_besloten", "besluit_mediaan_n"), "v_besloten"),
    "verzoeken_binnen_termijn_aandeel": (
        ("v_met_termijn", "v_binnen_termijn"),
        "v_met_termijn",
    ),
}

# Every indicator must be listed (tests/indicatoren/test_suppression_attacks.py checks it).
INDICATORS: dict[str, Indicator] = {
    indicator.key: replace(
        indicator,
        tellingen=_TELLINGEN.get(indicator.key, ((), None))[0],
        n_telling=_TELLINGEN.get(indicator.key, ((), None))[1],
    )
    for indicator in _LIST
}
SURVEY_KEYS = tuple(k for k, i in INDICATORS.items() if i.bron == ENQUETE)

# Every activity figure is about taking part through the platform: say so wherever they show.
PLATFORM_TOELICHTING = _(
    "Activiteitencijfers gaan over meedoen via het platform: wie zich aanmeldde (en niet "
    "afwezig was) of organiseerde, geteld in de buurt waar die op de dag van de activiteit "
    "geverifieerd lid was. Wie toen nergens lid was, telt niet mee; buren zonder account staan "
    "apart, als schatting van de organisatoren."
)

# The target of the actieve kern is a programme assumption, not a norm: say so wherever it shows.
STREEFWAARDE_TOELICHTING = _(
    "Programma-aanname: ongeveer 20% actieve bewoners is genoeg voor collectieve weerbaarheid "
    "(praktijkcijfer; vgl. Centola e.a. 2018, ~25%). De gemeente kan het doel aanpassen."
)
