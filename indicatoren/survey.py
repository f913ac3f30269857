"""The buurt survey (peiling): the items residents answer, in the order of the form.

Answers are stored as the scale value of the instrument (CBS: 0 to 4, Sampson: 1 to 5), *before*
reversing. "Weet niet" is stored as its own value, ``WEET_NIET_CODE`` (9, on no scale), and a
skipped item as ``None``: the instruments treat them differently (Sampson counts "don't know" as
the midpoint). Responses stored before the distinction have ``None`` for both (counted as
skipped; ADR 0006). Scoring (and reversal) happens in :mod:`indicatoren.compute.survey`.
"""

from dataclasses import dataclass
from itertools import groupby, pairwise

from django.utils.translation import gettext_lazy as _

EENS_0_4 = (
    (0, _("Helemaal mee oneens")),
    (1, _("Mee oneens")),
    (2, _("Niet mee eens, niet mee oneens")),
    (3, _("Mee eens")),
    (4, _("Helemaal mee eens")),
)
EENS_1_5 = tuple((value + 1, label) for value, label in EENS_0_4)
WAARSCHIJNLIJK_1_5 = (
    (1, _("Zeer onwaarschijnlijk")),
    (2, _("Onwaarschijnlijk")),
    (3, _("Niet waarschijnlijk, niet onwaarschijnlijk")),
    (4, _("Waarschijnlijk")),
    (5, _("Zeer waarschijnlijk")),
)
WEET_NIET = _("Weet niet")
# "Weet niet" as stored: a value on none of the scales (0 is an answer on the CBS scale).
WEET_NIET_CODE = 9


@dataclass(frozen=True)
class Item:
    key: str  # also the field name on Respons
    # "sc" (CBS sociale cohesie), "isc", "sct" (Sampson), "bereidheid", "aanspreken", "dreiging"
    groep: str
    tekst: str
    schaal: tuple  # ((value, label), ...) from low to high
    omgekeerd: bool = False

    @property
    def waarden(self) -> tuple[int, ...]:
        return tuple(value for value, _label in self.schaal)


_ISC_INTRO = _("Hoe waarschijnlijk is het dat buurtbewoners ingrijpen als")

ITEMS: tuple[Item, ...] = (
    Item("sc1", "sc", _("De mensen kennen elkaar in deze buurt nauwelijks."), EENS_0_4, True),
    Item(
        "sc2",
        "sc",
        _("De mensen gaan in deze buurt op een prettige manier met elkaar om."),
        EENS_0_4,
    ),
    Item("sc3", "sc", _("Ik woon in een gezellige buurt waar veel saamhorigheid is."), EENS_0_4),
    Item("sc4", "sc", _("Ik voel mij thuis bij de mensen die in deze buurt wonen."), EENS_0_4),
    Item(
        "sc5",
        "sc",
        _("Ik woon in een buurt waar mensen elkaar helpen en dingen samen doen."),
        EENS_0_4,
    ),
    Item(
        "isc1",
        "isc",
        _("kinderen spijbelen en op een straathoek rondhangen?"),
        WAARSCHIJNLIJK_1_5,
    ),
    Item(
        "isc2", "isc", _("kinderen graffiti spuiten op een gebouw in de buurt?"), WAARSCHIJNLIJK_1_5
    ),
    Item(
        "isc3",
        "isc",
        _("kinderen zich respectloos gedragen tegenover een volwassene?"),
        WAARSCHIJNLIJK_1_5,
    ),
    Item("isc4", "isc", _("er voor hun huis een vechtpartij uitbreekt?"), WAARSCHIJNLIJK_1_5),
    Item(
        "isc5",
        "isc",
        _("de brandweerkazerne het dichtst bij hun huis dreigt te verdwijnen door bezuinigingen?"),
        WAARSCHIJNLIJK_1_5,
    ),
    Item("sct1", "sct", _("Mensen hier zijn bereid hun buren te helpen."), EENS_1_5),
    Item("sct2", "sct", _("Dit is een hechte buurt."), EENS_1_5),
    Item("sct3", "sct", _("Mensen in deze buurt zijn te vertrouwen."), EENS_1_5),
    Item(
        "sct4",
        "sct",
        _("Mensen in deze buurt kunnen over het algemeen niet goed met elkaar opschieten."),
        EENS_1_5,
        True,
    ),
    Item("sct5", "sct", _("Mensen in deze buurt hebben niet dezelfde waarden."), EENS_1_5, True),
    Item(
        "bereidheid",
        "bereidheid",
        _("Ik ben bereid om samen met buurtbewoners iets te doen voor de buurt."),
        EENS_1_5,
    ),
    Item(
        "aanspreken",
        "aanspreken",
        _("Mensen in deze buurt durven elkaar aan te spreken op ongewenst gedrag."),
        EENS_1_5,
    ),
    # The buurt's own threats (ondermijning), reported as the share agreeing, like bereidheid.
    Item("drugshandel", "dreiging", _("In deze buurt wordt openlijk drugs gedeald."), EENS_1_5),
    Item(
        "intimidatie",
        "dreiging",
        _("Bewoners worden in deze buurt weleens onder druk gezet of geïntimideerd."),
        EENS_1_5,
    ),
)
ITEM_KEYS = tuple(item.key for item in ITEMS)
BY_KEY = {item.key: item for item in ITEMS}

# Introductions shown above a group of items in the form.
GROEP_INTRO = {
    "sc": _("In hoeverre ben je het eens met de volgende uitspraken over je buurt?"),
    "isc": _ISC_INTRO,
    "sct": _("In hoeverre ben je het eens met de volgende uitspraken?"),
    "bereidheid": "",
    "aanspreken": "",
    "dreiging": _("En tot slot, over wat er in je buurt speelt:"),
}
# Agreeing = "mee eens" or "helemaal mee eens" (bereidheid, aanspreken and the threat items).
EENS_VANAF = 4
# Items reported as the share agreeing, each its own indicator with the same key.
AANDEEL_ITEMS = ("bereidheid", "aanspreken", "drugshandel", "intimidatie")

# On a phone the survey is shown a few items at a time (steps; a statement's answers stacked are
# about 340 px high there). A group longer than a step is split evenly (5 items: 3 and 2), and its
# introduction, the stem its items continue, is shown again on each step that holds its items.
STAP_MAX_ITEMS = 3


def _stappen(items: tuple[Item, ...], size: int) -> tuple[tuple[tuple[str, tuple[Item, ...]], ...]]:
    groups: list[tuple[str, tuple[Item, ...]]] = []
    for groep, run in groupby(items, key=lambda item: item.groep):
        members = list(run)
        parts = -(-len(members) // size)
        bounds = [-(-index * len(members) // parts) for index in range(parts + 1)]
        groups += [(groep, tuple(members[a:b])) for a, b in pairwise(bounds)]
    steps: list[list[tuple[str, tuple[Item, ...]]]] = []
    for groep, members in groups:
        if not steps or sum(len(m) for _g, m in steps[-1]) + len(members) > size:
            steps.append([])
        steps[-1].append((groep, members))
    return tuple(tuple(step) for step in steps)


# ((groep, (item, ...)), ...) per step, in the order of the survey.
STAPPEN = _stappen(ITEMS, STAP_MAX_ITEMS)
