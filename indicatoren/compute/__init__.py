"""Computing every indicator for every buurt, wijk and the gemeente for one period.

The database does the counting: one grouped query per source (survey, activities, meldingen,
verzoeken) returns additive sums per buurt, rolled up to wijk and gemeente in Python (a sum over
at most a few hundred rows, no further queries); figures that do not add up (medians, the top-10%
share) come from one windowed query per indicator with a row per buurt, wijk and gemeente. The
number of queries does not depend on the number of buurten. The raw sums never leave this module:
:mod:`indicatoren.figures` turns them into suppressed figures, and only those are stored.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from buurten.models import Buurt, Gemeente

from .. import figures
from ..figures import BUURT, GEMEENTE, WIJK
from ..models import Niveau, Snapshot
from ..selectors import settings_for
from .activity import activity_sums
from .records import besluit_medians, feedback_medians, melding_sums, verzoek_sums
from .survey import survey_sums


def compute_snapshots(
    *,
    gemeente: Gemeente,
    periode_start: date,
    periode_eind: date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace the snapshots of the gemeente for this period; returns how many were written."""
    report = progress or (lambda percent: None)
    instelling = settings_for(gemeente)
    buurten = list(
        Buurt.objects.filter(wijk__gemeente=gemeente).only(
            "pk",
            "wijk_id",
            "inwoners",
            "leeftijd_0_15",
            "leeftijd_15_25",
            "leeftijd_25_45",
            "leeftijd_45_65",
            "leeftijd_65_plus",
        )
    )
    report(5)
    sums: dict[int, Counter] = defaultdict(Counter)
    for buurt_id, counter in survey_sums(gemeente, periode_start, periode_eind).items():
        sums[buurt_id].update(counter)
    report(25)
    activity, top, distinct = activity_sums(gemeente, periode_start, periode_eind)
    for buurt_id, counter in activity.items():
        sums[buurt_id].update(counter)
    report(55)
    for buurt_id, counter in melding_sums(gemeente, periode_start, periode_eind).items():
        sums[buurt_id].update(counter)
    feedback = feedback_medians(gemeente, periode_start, periode_eind)
    report(70)
    for buurt_id, counter in verzoek_sums(gemeente, periode_start, periode_eind).items():
        sums[buurt_id].update(counter)
    besluit = besluit_medians(gemeente, periode_start, periode_eind)
    report(85)

    areas = figures.roll_up(buurten, sums, gemeente_id=gemeente.pk)
    # A resident who moved took part in two buurten but is one person in the wijk and gemeente.
    for where, counter in distinct.items():
        if where in areas:
            dict.update(areas[where].sums, counter)  # replaces the sum over its buurten
    extra = {"top": top, "feedback": feedback, "besluit": besluit}
    waarden = figures.build(areas, extra, instelling)
    now = timezone.now()
    rows = []
    for (tag, key), values in waarden.items():
        niveau = {BUURT: Niveau.BUURT, WIJK: Niveau.WIJK, GEMEENTE: Niveau.GEMEENTE}[tag]
        rows.append(
            Snapshot(
                niveau=niveau,
                gemeente=gemeente,
                wijk_id=key if tag == WIJK else None,
                buurt_id=key if tag == BUURT else None,
                periode_start=periode_start,
                periode_eind=periode_eind,
                berekend_at=now,
                waarden=values,
            )
        )
    with transaction.atomic():
        Snapshot.objects.filter(
            gemeente=gemeente, periode_start=periode_start, periode_eind=periode_eind
        ).delete()
        Snapshot.objects.bulk_create(rows)  # one statement on Postgres, whatever the size
    report(100)
    return len(rows)
