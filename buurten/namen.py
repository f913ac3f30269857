"""Names of areas in running text.

Many Amsterdam names end in an abbreviation's full stop ("Leliegracht e.o.", the wijk "Hoofdweg
e.o."). Where such a name ends a sentence, its full stop ends the sentence too: "lid van
Leliegracht e.o.", never "e.o..". Sentences that end with a name take it through
``before_full_stop`` (in templates the filter of the same name, ``{% load gebieden %}``); the
map's status line does the same in ``static/js/kaart.js`` (``fill``).
"""


def before_full_stop(naam) -> str:
    """``naam`` (a buurt, wijk or anything whose text is its name) as it reads before the
    sentence's own full stop: without a full stop of its own."""
    naam = str(naam)
    return naam.removesuffix(".")
