"""Participation figures: one row per resident and activity (taken part or organised), per
resident, then per buurt of their membership, with the top-10% hour share per level."""

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit
from buurten.models import Buurt, Gemeente, Lidmaatschap

from ..figures import BUURT, GEMEENTE, WIJK
from .sql import bounds, fetch

LEEFTIJDSGROEPEN = ("15_25", "25_45", "45_65", "65_plus")


def _activity_rows_sql(lo: datetime, hi: datetime):
    """One row per (resident, activity) taken part in or organised: an ORM union, compiled."""
    now = timezone.now()
    took_part = (
        Aanmelding.objects.filter(
            Q(aanwezig=True) | Q(aanwezig__isnull=True),
            status=Aanmelding.Status.AANGEMELD,
            activiteit__start__gte=lo,
            activiteit__start__lt=min(hi, now),
            activiteit__geannuleerd_at__isnull=True,
        )
        .annotate(
            persoon=F("user_id"),
            act=F("activiteit_id"),
            maand=TruncMonth("activiteit__start"),
            actief=Case(When(rol__isnull=False, then=1), default=0),
            u=Cast(Coalesce("uren", Value(Decimal(0))), FloatField()),
        )
        .values("persoon", "act", "maand", "actief", "u")
        .order_by()
    )
    organised = (
        Activiteit.objects.filter(
            start__gte=lo, start__lt=min(hi, now), geannuleerd_at__isnull=True
        )
        .annotate(
            persoon=F("organisator_id"),
            act=F("pk"),
            maand=TruncMonth("start"),
            actief=Value(1),
            u=Value(0.0, output_field=FloatField()),
        )
        .values("persoon", "act", "maand", "actief", "u")
        .order_by()
    )
    return took_part.union(organised, all=True).query.sql_with_params()


def activity_sums(gemeente: Gemeente, start: date, eind: date):
    """Per buurt (of the resident's membership): participants, repeaters, active core, volunteer
    hours and volunteers, participants per age band; plus the top-10% hour share per buurt, wijk
    and gemeente. One statement."""
    rows_sql, rows_params = _activity_rows_sql(*bounds(start, eind))
    user = Lidmaatschap._meta.get_field("user").related_model._meta.db_table
    zero_bands = ", ".join("0" for _ in LEEFTIJDSGROEPEN)

    def level(key_col, tag, rank, size, full):
        cols = (
            "COUNT(*), SUM(herhaler), SUM(kern), SUM(uren), SUM(vrijwilliger), "
            + ", ".join(
                f"SUM(CASE WHEN leeftijdsgroep = '{b}' THEN 1 ELSE 0 END)" for b in LEEFTIJDSGROEPEN
            )
            if full
            else f"0, 0, 0, 0, 0, {zero_bands}"
        )
        return (
            f"SELECT '{tag}', {key_col}, {cols}, "  # noqa: S608 (fixed fragments and table names; values are parameters)
            f"SUM(CASE WHEN {rank} <= ({size} + 9) / 10 AND uren > 0 THEN uren ELSE 0 END), "
            f"MAX({size}) FROM r" + ("" if key_col == "0" else f" GROUP BY {key_col}")
        )

    sql = f"""
        WITH rij AS ({rows_sql}),
        pu AS (
            -- Residents of the gemeente first, then per resident: the join is on 1,000,000
            -- rows with good estimates, and nothing is joined after the grouping.
            SELECT m.buurt_id, b.wijk_id, usr.leeftijdsgroep,
                   COUNT(DISTINCT rij.act) AS keer, COUNT(DISTINCT rij.maand) AS maanden,
                   MAX(rij.actief) AS actief, SUM(rij.u) AS uren
            FROM rij
            JOIN {Lidmaatschap._meta.db_table} m ON m.user_id = rij.persoon AND m.status = %s
            JOIN {user} usr ON usr.id = rij.persoon
            JOIN {Buurt._meta.db_table} b ON b.id = m.buurt_id
            JOIN {Buurt.wijk.field.related_model._meta.db_table} w ON w.id = b.wijk_id
            WHERE w.gemeente_id = %s
            GROUP BY rij.persoon, m.buurt_id, b.wijk_id, usr.leeftijdsgroep
        ),
        p AS (
            SELECT buurt_id, wijk_id, leeftijdsgroep,
                   CASE WHEN keer >= 2 THEN 1 ELSE 0 END AS herhaler,
                   CASE WHEN actief = 1 OR (keer >= 3 AND maanden >= 2)
                        THEN 1 ELSE 0 END AS kern,
                   uren,
                   CASE WHEN uren > 0 THEN 1 ELSE 0 END AS vrijwilliger
            FROM pu
        ),
        r AS (
            SELECT p.*,
                ROW_NUMBER() OVER (PARTITION BY buurt_id ORDER BY uren DESC) AS rb,
                SUM(vrijwilliger) OVER (PARTITION BY buurt_id) AS vb,
                ROW_NUMBER() OVER (PARTITION BY wijk_id ORDER BY uren DESC) AS rw,
                SUM(vrijwilliger) OVER (PARTITION BY wijk_id) AS vw,
                ROW_NUMBER() OVER (ORDER BY uren DESC) AS rg,
                SUM(vrijwilliger) OVER () AS vg
            FROM p
        )
        {level("buurt_id", BUURT, "rb", "vb", True)}
        UNION ALL {level("wijk_id", WIJK, "rw", "vw", False)}
        UNION ALL {level("0", GEMEENTE, "rg", "vg", False)}
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    params = (*rows_params, Lidmaatschap.Status.LID, gemeente.pk)
    sums, top = {}, {}
    names = (
        "deelnemers",
        "herhalers",
        "kern",
        "uren",
        "vrijwilligers",
        *(f"l_{band}" for band in LEEFTIJDSGROEPEN),
    )
    for tag, key, *values, top_uren, volunteers in fetch(sql, params):
        if tag == BUURT:
            sums[key] = Counter(dict(zip(names, (v or 0 for v in values), strict=True)))
        top[(tag, gemeente.pk if tag == GEMEENTE else key)] = (top_uren or 0.0, volunteers or 0)
    return sums, top
