"""The activity statement as it was before issue 15 (windows over every participation and
membership change, a distinct count per resident): kept as the oracle that the faster statement
in ``indicatoren.compute.activity`` must agree with (``test_activity_statement.py``).

Participation figures: one row per resident and activity (taken part or organised), counted
in the buurt where the resident was a verified member on the day of the activity (the latest
change of their memberships up to the end of that day, matched in windows); then per
resident and buurt, per resident and wijk and per resident (so a resident who moved within a wijk
is one person there), with the top-10% hour share per level. And, apart from those, the
organisers' headcounts of neighbours without an account (ADR 0006, "Who counts where")."""

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit
from buurten.models import Gemeente, Lidmaatschap, LidmaatschapHistorie
from indicatoren.compute.sql import bounds, fetch
from indicatoren.figures import BUURT, GEMEENTE, WIJK

LEEFTIJDSGROEPEN = ("15_25", "25_45", "45_65", "65_plus")
LID, BEEINDIGD, AFGEWEZEN = (
    Lidmaatschap.Status.LID,
    Lidmaatschap.Status.BEEINDIGD,
    Lidmaatschap.Status.AFGEWEZEN,
)
EVENT = ("lid", "persoon", "in_buurt", "in_wijk", "moment", "dag", "wordt", "volgorde")


def _activity_rows_sql(lo: datetime, hi: datetime):
    """One row per (resident, activity) taken part in or organised, with the activity's day
    (local time): an ORM union, compiled."""
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
            dag=TruncDate("activiteit__start"),
            actief=Case(When(rol__isnull=False, then=1), default=0),
            u=Cast(Coalesce("uren", Value(Decimal(0))), FloatField()),
        )
        .values("persoon", "act", "maand", "dag", "actief", "u")
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
            dag=TruncDate("start"),
            actief=Value(1),
            u=Value(0.0, output_field=FloatField()),
        )
        .values("persoon", "act", "maand", "dag", "actief", "u")
        .order_by()
    )
    return took_part.union(organised, all=True).query.sql_with_params()


def _membership_events_sql(gemeente: Gemeente):
    """Every change of state of the memberships of the gemeente's buurten, with its day (local
    time): the history, plus, for memberships older than the history (buurten migration 0006),
    the becoming a member and the ending that the history does not hold, from the membership's
    own dates. An ORM union, compiled."""
    in_gemeente = Q(lidmaatschap__buurt__wijk__gemeente=gemeente)
    history = (
        LidmaatschapHistorie.objects.filter(in_gemeente)
        .annotate(
            lid=F("lidmaatschap_id"),
            persoon=F("lidmaatschap__user_id"),
            in_buurt=F("lidmaatschap__buurt_id"),
            in_wijk=F("lidmaatschap__buurt__wijk_id"),
            moment=F("created_at"),
            dag=TruncDate("created_at"),
            wordt=F("naar"),
            volgorde=F("pk"),
        )
        .values(*EVENT)
        .order_by()
    )

    def without_history(naar, moment, *statuses):
        recorded = LidmaatschapHistorie.objects.filter(lidmaatschap=OuterRef("pk"), naar=naar)
        return (
            Lidmaatschap.objects.filter(buurt__wijk__gemeente=gemeente, status__in=statuses)
            .exclude(Exists(recorded))
            .annotate(
                lid=F("pk"),
                persoon=F("user_id"),
                in_buurt=F("buurt_id"),
                in_wijk=F("buurt__wijk_id"),
                moment=moment,
                dag=TruncDate(moment),
                wordt=Value(naar),
                volgorde=Value(0),
            )
            .values(*EVENT)
            .order_by()
        )

    # Verified: ``decided_at`` while still a member (an ending overwrites it), else the welcome
    # e-mail (queued on verification), else the aanvraag itself.
    became = Case(
        When(status=LID, then=Coalesce("decided_at", "welcome_sent_at", "created_at")),
        default=Coalesce("welcome_sent_at", "created_at"),
    )
    ended = Coalesce("decided_at", "created_at")
    return history.union(
        without_history(LID, became, LID, BEEINDIGD),
        without_history(BEEINDIGD, ended, BEEINDIGD),
        all=True,
    ).query.sql_with_params()


def reference_activity_sums(gemeente: Gemeente, start: date, eind: date):
    """Participants, repeaters, active core, volunteer hours and volunteers, participants per age
    band, and the top-10% hour share: per buurt (of the membership on the day of the activity),
    and per wijk and for the gemeente counted over distinct residents (a resident who moved
    within the wijk is one participant of the wijk, with all their activities in it). One
    statement; plus one for the headcounts of neighbours without an account, per buurt of the
    activity. Returns ({buurt_id: sums}, {(level, id): top}, {(level, id): sums} for the wijken
    and the gemeente, which replace the sums of their buurten for these counts)."""
    rows_sql, rows_params = _activity_rows_sql(*bounds(start, eind))
    events_sql, events_params = _membership_events_sql(gemeente)
    user = Lidmaatschap._meta.get_field("user").related_model._meta.db_table
    bands = ", ".join(
        f"SUM(CASE WHEN leeftijdsgroep = '{b}' THEN 1 ELSE 0 END)" for b in LEEFTIJDSGROEPEN
    )

    def per_resident(source, key):
        """Per resident at one level (``key``): the counts each figure needs."""
        return (
            f"SELECT {key} AS k, leeftijdsgroep, "
            "CASE WHEN keer >= 2 THEN 1 ELSE 0 END AS herhaler, "
            "CASE WHEN actief = 1 OR (keer >= 3 AND m1 <> m2) THEN 1 ELSE 0 END AS kern, "
            "uren, CASE WHEN uren > 0 THEN 1 ELSE 0 END AS vrijwilliger, "
            "ROW_NUMBER() OVER (PARTITION BY " + key + " ORDER BY uren DESC) AS rang, "
            "SUM(CASE WHEN uren > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY " + key + ") AS vol "
            f"FROM {source}"
        )

    def level(tag, source, key):
        return (
            f"SELECT '{tag}', k, COUNT(*), SUM(herhaler), SUM(kern), SUM(uren), "  # noqa: S608 (fixed fragments)
            f"SUM(vrijwilliger), {bands}, "
            "SUM(CASE WHEN rang <= (vol + 9) / 10 AND uren > 0 THEN uren ELSE 0 END), MAX(vol) "
            f"FROM ({per_resident(source, key)}) x GROUP BY k"
        )

    sql = f"""
        WITH rij AS ({rows_sql}),
        ev AS ({events_sql}),
        st AS (
            -- Each change of a membership, and whether it makes its holder a verified member
            -- who counts: became one, and not undone after vouching (then it never counts).
            SELECT persoon, dag, moment, volgorde, in_buurt, in_wijk,
                   CASE WHEN wordt = %s AND COALESCE(LEAD(wordt) OVER (
                       PARTITION BY lid ORDER BY moment, volgorde), '') <> %s
                   THEN 1 ELSE 0 END AS telt
            FROM ev
        ),
        x AS (
            -- Changes and participations of a resident in one sequence: a resident holds one
            -- membership at a time, so the latest change up to the end of the activity's day
            -- says where they lived. An as-of join by windows: no join to choose a plan for.
            SELECT persoon, dag, 0 AS soort, moment, volgorde, telt, in_buurt, in_wijk,
                   NULL AS act, NULL AS maand, 0 AS actief, 0.0 AS u
            FROM st
            UNION ALL
            SELECT persoon, dag, 1, NULL, 0, 0, NULL, NULL, act, maand, actief, u FROM rij
        ),
        g AS (
            -- At the same moment (a move: one membership ended, the next one begun) the
            -- membership that begins is the later change.
            SELECT x.*, SUM(1 - soort) OVER (
                PARTITION BY persoon ORDER BY dag, soort, moment, telt, volgorde
                ROWS UNBOUNDED PRECEDING) AS stand
            FROM x
        ),
        y AS (
            SELECT persoon, soort, act, maand, actief, u,
                   MAX(telt) OVER w AS geldt, MAX(in_buurt) OVER w AS buurt_id,
                   MAX(in_wijk) OVER w AS wijk_id
            FROM g WINDOW w AS (PARTITION BY persoon, stand)
        ),
        pr AS (
            -- Per resident and buurt (the age band joined after, once per resident).
            SELECT y.persoon, y.buurt_id, y.wijk_id,
                   COUNT(DISTINCT y.act) AS keer, MIN(y.maand) AS m1,
                   MAX(y.maand) AS m2, MAX(y.actief) AS actief, SUM(y.u) AS uren
            FROM y
            WHERE y.soort = 1 AND y.geldt = 1
            GROUP BY y.persoon, y.buurt_id, y.wijk_id
        ),
        pb AS (
            SELECT pr.*, usr.leeftijdsgroep FROM pr JOIN {user} usr ON usr.id = pr.persoon
        ),
        pw AS (
            -- Per resident and wijk: activities on different days are in one buurt each, so
            -- they add up; "two different months" is first month <> last month.
            SELECT persoon, wijk_id, leeftijdsgroep, SUM(keer) AS keer, MIN(m1) AS m1,
                   MAX(m2) AS m2, MAX(actief) AS actief, SUM(uren) AS uren
            FROM pb GROUP BY persoon, wijk_id, leeftijdsgroep
        ),
        pg AS (
            SELECT persoon, 0 AS gemeente, leeftijdsgroep, SUM(keer) AS keer, MIN(m1) AS m1,
                   MAX(m2) AS m2, MAX(actief) AS actief, SUM(uren) AS uren
            FROM pw GROUP BY persoon, leeftijdsgroep
        )
        {level(BUURT, "pb", "buurt_id")}
        UNION ALL {level(WIJK, "pw", "wijk_id")}
        UNION ALL {level(GEMEENTE, "pg", "gemeente")}
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    params = (*rows_params, *events_params, LID, AFGEWEZEN)
    sums, top, levels = {}, {}, {}
    names = (
        "deelnemers",
        "herhalers",
        "kern",
        "uren",
        "vrijwilligers",
        *(f"l_{band}" for band in LEEFTIJDSGROEPEN),
    )
    for tag, key, *values, top_uren, volunteers in fetch(sql, params):
        where = (tag, gemeente.pk if tag == GEMEENTE else key)
        counter = Counter(dict(zip(names, (v or 0 for v in values), strict=True)))
        if tag == BUURT:
            sums[key] = counter
        else:
            levels[where] = counter
        top[where] = (top_uren or 0.0, volunteers or 0)
    return sums, top, levels
