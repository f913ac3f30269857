"""Computing every indicator for every buurt, wijk and the gemeente for one period.

The database does the counting: one grouped query per source (survey, activities, meldingen,
verzoeken) returns additive sums per buurt, rolled up to wijk and gemeente in Python (a sum over
at most a few hundred rows, no further queries); the medians come from one windowed query each
with a row per buurt, wijk and gemeente, and the participation figures, the top-10% share of hours
among them, from counts per area and combination (``participation``). The
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
from ..models import Niveau, Publicatie, Snapshot
from ..selectors import settings_for
from ..services import default_periode
from .participation import activity_sums
from .records import besluit_medians, feedback_medians, melding_sums, verzoek_sums
from .sql import large_statement
from .survey import survey_sums


def compute_snapshots(
    *,
    gemeente: Gemeente,
    periode_start: date,
    periode_eind: date,
    progress: Callable[[int], None] | None = None,
    publicatie: Publicatie | None = None,
) -> int:
    """Replace the live snapshots of the gemeente for this period, or, given a ``publicatie``
    (of this gemeente and period, still without snapshots), write that version's snapshots.
    Published snapshots are never replaced or deleted here. Returns how many were written."""
    if publicatie is not None and (
        publicatie.gemeente_id != gemeente.pk
        or (publicatie.periode_start, publicatie.periode_eind) != (periode_start, periode_eind)
        or publicatie.snapshots.exists()
    ):
        raise ValueError("a publication is computed once, for its own gemeente and period")
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
    # Every statement reads the whole period: more working memory for their sorts (issue 15).
    with large_statement():
        sums: dict[int, Counter] = defaultdict(Counter)
        # A published quarter takes the latest survey round closed in the 12 months up to its end:
        # a round is a sample, not a count, so the same round in two quarters gives nothing away,
        # and a quarter without a round of its own still shows the buurt's latest figures.
        enquete_start = periode_start
        if publicatie is not None:
            enquete_start = min(periode_start, default_periode(periode_eind)[0])
        for buurt_id, counter in survey_sums(gemeente, enquete_start, periode_eind).items():
            sums[buurt_id].update(counter)
        report(25)
        activity, top, _distinct = activity_sums(gemeente, periode_start, periode_eind)
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

    # Wijk and gemeente counts are the sums of their buurten, also for a resident who moved
    # within the period (one person in each buurt he lived in): every published count adds up,
    # which the suppression relies on (a distinct count per wijk would let "wijk minus the
    # published buurten" reveal a small group that no pattern protects). ``activity_sums``
    # also returns the distinct counts per wijk and gemeente; they are not published.
    areas = figures.roll_up(buurten, sums, gemeente_id=gemeente.pk)
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
                publicatie=publicatie,
            )
        )
    with transaction.atomic():
        if publicatie is None:
            Snapshot.objects.filter(
                gemeente=gemeente,
                periode_start=periode_start,
                periode_eind=periode_eind,
                publicatie__isnull=True,
            ).delete()
        Snapshot.objects.bulk_create(rows)  # one statement on Postgres, whatever the size
    report(100)
    return len(rows)
