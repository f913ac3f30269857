"""Meldingen and facilitation requests: counts per buurt, and median times per level."""

from collections import Counter
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from buurten.models import Buurt, Gemeente
from meldingen.models import Melding, StatusWijziging
from meldingen.selectors import categorieen_known_openly, meldingen_known_openly
from verzoeken.models import Verzoek
from verzoeken.workflow import Status as VerzoekStatus

from .sql import between, bounds, keyed, medians, raw_bounds

MELDING_DOELEN = ("politie", "handhaving", "gemeente", "buurt")
TOEGEKEND = (VerzoekStatus.TOEGEKEND, VerzoekStatus.UITGEVOERD, VerzoekStatus.VERANTWOORD)


def melding_sums(gemeente: Gemeente, start: date, eind: date) -> dict[int, Counter]:
    lo, hi = bounds(start, eind)
    # A message to all reporters or to the first reporter alone: both are feedback. As a set
    # of meldingen (hashed once), not a join with the history: the join repeated every
    # melding per change and needed distinct counts, a sort of every change (issue 15).
    with_feedback = StatusWijziging.objects.filter(
        Q(terugkoppeling__gt="") | Q(bericht_eerste_melder__gt="")
    ).values("melding_id")
    rows = (
        meldingen_known_openly()
        .filter(buurt__wijk__gemeente=gemeente, created_at__gte=lo, created_at__lt=hi)
        .values("buurt_id")
        .annotate(
            m_totaal=Count("pk"),
            m_feedback=Count("pk", filter=Q(pk__in=with_feedback)),
            **{f"m_{doel}": Count("pk", filter=Q(doel=doel)) for doel in MELDING_DOELEN},
        )
        .order_by()
    )
    return {row.pop("buurt_id"): Counter(row) for row in rows}


def verzoek_sums(gemeente: Gemeente, start: date, eind: date) -> dict[int, Counter]:
    lo, hi = bounds(start, eind)
    besloten = Q(besloten_at__isnull=False)
    rows = (
        Verzoek.objects.filter(
            buurt__wijk__gemeente=gemeente, ingediend_at__gte=lo, ingediend_at__lt=hi
        )
        .values("buurt_id")
        .annotate(
            v_totaal=Count("pk"),
            v_besloten=Count("pk", filter=besloten),
            v_toegekend=Count("pk", filter=besloten & Q(status__in=TOEGEKEND)),
            # Decided, or past its deadline without a decision (that one was not in time);
            # withdrawn requests and open ones still within their deadline are not judged.
            v_met_termijn=Count(
                "pk",
                filter=Q(deadline__isnull=False)
                & ~Q(status=VerzoekStatus.INGETROKKEN)
                & (besloten | Q(deadline__lt=timezone.localdate())),
            ),
            v_binnen_termijn=Count(
                "pk",
                filter=besloten & Q(deadline__isnull=False, besloten_at__date__lte=F("deadline")),
            ),
        )
        .order_by()
    )
    return {row.pop("buurt_id"): Counter(row) for row in rows}


def feedback_medians(gemeente: Gemeente, start: date, eind: date) -> dict:
    """Median hours from a melding to the first message to its reporter, per level."""
    lo, hi = raw_bounds(start, eind)
    melding, buurt = Melding._meta.db_table, Buurt._meta.db_table
    wijk = Buurt.wijk.field.related_model._meta.db_table
    # The same meldingen as the counts (``melding_sums``): those anyone may know exist.
    categorieen, categorie_params = categorieen_known_openly().values("pk").query.sql_with_params()
    sql = f"""
        SELECT m.buurt_id, b.wijk_id, {between("MIN(s.created_at)", "m.created_at", 3600)} AS x
        FROM {melding} m
        JOIN {StatusWijziging._meta.db_table} s ON s.melding_id = m.id
            AND (s.terugkoppeling <> '' OR s.bericht_eerste_melder <> '')
        JOIN {buurt} b ON b.id = m.buurt_id JOIN {wijk} w ON w.id = b.wijk_id
        WHERE w.gemeente_id = %s AND m.created_at >= %s AND m.created_at < %s
            AND m.categorie_id IN ({categorieen})
        GROUP BY m.id, m.buurt_id, b.wijk_id, m.created_at
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    return keyed(medians(sql, (gemeente.pk, lo, hi, *categorie_params)), gemeente.pk)


def besluit_medians(gemeente: Gemeente, start: date, eind: date) -> dict:
    """Median days from submission to decision of facilitation requests, per level."""
    lo, hi = raw_bounds(start, eind)
    buurt = Buurt._meta.db_table
    wijk = Buurt.wijk.field.related_model._meta.db_table
    sql = f"""
        SELECT v.buurt_id, b.wijk_id, {between("v.besloten_at", "v.ingediend_at", 86400)} AS x
        FROM {Verzoek._meta.db_table} v
        JOIN {buurt} b ON b.id = v.buurt_id JOIN {wijk} w ON w.id = b.wijk_id
        WHERE w.gemeente_id = %s AND v.ingediend_at >= %s AND v.ingediend_at < %s
          AND v.besloten_at IS NOT NULL
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    return keyed(medians(sql, (gemeente.pk, lo, hi)), gemeente.pk)
