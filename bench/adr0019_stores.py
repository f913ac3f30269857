"""The throwaway stores and views that ``adr0019.py`` measures (mounted by ``bench/urls.py``
only; nothing here is part of the product, and the stores are not kept up to date)."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import psycopg
from django.core.cache import caches
from django.db import connection
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, JSONObject
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import exceptions

from meldingen import feed
from meldingen.api import _DATETIME, FEED_COLUMNS, FeedMeldingSerializer
from meldingen.models import Prioriteit
from meldingen.selectors import feed_choices, meldingen_in, meldingen_targeted, scope_of_team
from meldingen.workflow import AWAITS_RESPONSE, OPEN
from teamapi.views import TeamAPIView

ZSET = "adr0019:feed:{team}"
ROW = "adr0019:row:"
TABLE = "bench_adr0019_feed"
SIZE = feed.PAGE_SIZE + 1
AWAITS = frozenset(AWAITS_RESPONSE)
PERSOON = ("geslacht", "lengte", "kleding", "kenmerken")
VOERTUIG = {"kleur": "kleur", "merk": "merk", "soort": "type", "kenteken": "kenteken"}

# One round trip: the page's ids from the sorted set, then their rows.
PAGE_SCRIPT = """
local ids = redis.call('ZRANGE', KEYS[1], ARGV[1], '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[2])
if #ids == 0 then return {} end
local keys = {}
for i, id in ipairs(ids) do keys[i] = ARGV[3] .. id end
return redis.call('MGET', unpack(keys))
"""


def score(prioriteit: int, created_at: datetime) -> int:
    """Feed order as one number: priority first, then the time in milliseconds."""
    return prioriteit * 10**13 + int(created_at.timestamp() * 1000)


def _redis():
    return caches["default"]._cache.get_client(write=True)


def _open_rows(team):
    """The team's open feed as the real API reads it (scope, area, open statuses)."""
    choices = feed_choices(team.pk)
    return (
        meldingen_in(scope_of_team(team), area=choices.area)
        .filter(status__in=OPEN)
        .select_related("categorie", "buurt__wijk")
        .only(*FEED_COLUMNS)
        .order_by(*feed.ORDER)
    )


def _stored(melding, row: dict) -> bytes:
    """What a store keeps of a row: its deadline and whether it awaits a reaction (the overdue
    flag is set when the page is served), then its JSON cut where the flag goes."""
    row = {**row, "te_laat": None}
    head, tail = json.dumps(row, ensure_ascii=False).split('"te_laat": null', 1)
    deadline = int(melding.deadline_at.timestamp()) if melding.deadline_at else 0
    awaits = int(melding.status in AWAITS)
    cursor = f"{melding.prioriteit}|{melding.created_at.isoformat()}"
    return f"{deadline}|{awaits}|{cursor}|{head}\x00{tail}".encode()


def fill(team) -> int:
    """Both stores, anew, from the team's open feed; the number of rows."""
    redis, key = _redis(), ZSET.format(team=team.pk)
    redis.delete(key)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(
            f"CREATE TABLE {TABLE} (team_id bigint, prioriteit smallint, created_at timestamptz,"
            " melding_id bigint, deadline_at timestamptz, awaits boolean, head text, tail text,"
            " PRIMARY KEY (team_id, prioriteit, created_at, melding_id))"
        )
    count, batch = 0, []

    def flush() -> None:
        pipe = redis.pipeline(transaction=False)
        pipe.zadd(key, {f"{m.pk:012d}": score(m.prioriteit, m.created_at) for m, _ in batch})
        pipe.mset({f"{ROW}{m.pk:012d}": blob for m, blob in batch})
        pipe.execute()
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                [
                    (
                        team.pk,
                        m.prioriteit,
                        m.created_at,
                        m.pk,
                        m.deadline_at,
                        m.status in AWAITS,
                        *blob.decode().split("|", 4)[4].split("\x00"),
                    )
                    for m, blob in batch
                ],
            )
        batch.clear()

    serializer = FeedMeldingSerializer(context={"now": timezone.now()})
    for melding in _open_rows(team).iterator(chunk_size=2000):
        melding.foto_urls = []
        batch.append((melding, _stored(melding, serializer.to_representation(melding))))
        count += 1
        if len(batch) == 2000:
            flush()
    if batch:
        flush()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
        cursor.execute(ISO_FUNCTION)
    return count


def _page(rows, now_ts: float, volgende) -> bytes:
    """A page from stored rows: (deadline, awaits, head, tail) each, the overdue flag set now."""
    parts = [
        f'{head}"te_laat": {"true" if awaits and deadline and deadline < now_ts else "false"}{tail}'
        for deadline, awaits, head, tail in rows[: feed.PAGE_SIZE]
    ]
    return f'{{"meldingen": [{", ".join(parts)}], "volgende": {json.dumps(volgende)}}}'.encode()


def _cursor(request):
    raw = request.query_params.get("na")
    position = feed.decode(raw) if raw else (9, timezone.now(), 0)
    if position is None:
        raise exceptions.ValidationError({"na": ["Not a cursor."]})
    return position


def _next(request, last) -> str | None:
    """The next page's address, as the real feed gives it (an absolute URI)."""
    if last is None:
        return None
    prioriteit, created_at, pk = last
    cursor = feed.encode(SimpleNamespace(prioriteit=prioriteit, created_at=created_at, pk=pk))
    return request.build_absolute_uri(f"{request.path}?na={cursor}")


def _prepared(sql: str, params) -> list[tuple]:
    """``sql`` as a prepared statement on this connection (server-side binding)."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


class FromRedis(TeamAPIView):
    checked = False

    def get(self, request):
        prioriteit, created_at, _pk = _cursor(request)
        found = _redis().eval(
            PAGE_SCRIPT,
            1,
            ZSET.format(team=request.auth.team_id),
            f"({score(prioriteit, created_at)}",
            SIZE,
            ROW,
        )
        rows, ids, keys = [], [], []
        for blob in found:
            deadline, awaits, prioriteit, created_at, rest = blob.decode().split("|", 4)
            head, tail = rest.split("\x00")
            rows.append((int(deadline), awaits == "1", head, tail))
            ids.append(int(head.split('"id": ', 1)[1].split(",", 1)[0]))
            keys.append((int(prioriteit), datetime.fromisoformat(created_at)))
        if self.checked and ids:
            # Every id still in the team's scope, asked of the database by id.
            scope = scope_of_team(request.auth.team)
            area = list(feed_choices(request.auth.team_id).area)
            kept = {
                row[0]
                for row in _prepared(
                    "SELECT id FROM meldingen_melding WHERE id = ANY(%s) AND buurt_id = ANY(%s)"
                    " AND doel = %s AND status = ANY(%s)",
                    (ids, area, scope.doel, list(OPEN)),
                )
            }
            rows = [row for row, pk in zip(rows, ids, strict=True) if pk in kept]
        last = (*keys[-2], ids[-2]) if len(found) == SIZE else None
        body = _page(rows, timezone.now().timestamp(), _next(request, last))
        return HttpResponse(body, content_type="application/json")


class FromRedisChecked(FromRedis):
    checked = True


class FromTable(TeamAPIView):
    checked = False

    def get(self, request):
        prioriteit, created_at, pk = _cursor(request)
        page = (
            "SELECT f.prioriteit, f.created_at, f.melding_id, f.deadline_at, f.awaits, f.head,"  # noqa: S608
            f" f.tail FROM {TABLE} f WHERE f.team_id = %s AND (f.prioriteit, f.created_at,"
            " f.melding_id) < (%s, %s, %s)"
            " ORDER BY f.prioriteit DESC, f.created_at DESC, f.melding_id DESC LIMIT %s"
        )
        params = [request.auth.team_id, prioriteit, created_at, pk, SIZE]
        sql = page
        if self.checked:
            # The page's rows still in the team's scope, asked of the meldingen in the same
            # statement, by id (a product would read on when the check left rows out).
            scope = scope_of_team(request.auth.team)
            sql = (
                # OFFSET 0 keeps the check a lookup by id per row of the page: as a semi-join
                # the planner hashes every open melding of the area (1,227 rows read).
                f"SELECT f.* FROM ({page}) f CROSS JOIN LATERAL (SELECT FROM meldingen_melding m"  # noqa: S608
                " WHERE m.id = f.melding_id AND m.buurt_id = ANY(%s) AND m.doel = %s"
                " AND m.status = ANY(%s) OFFSET 0) AS c ORDER BY 1 DESC, 2 DESC, 3 DESC"
            )
            params += [list(feed_choices(request.auth.team_id).area), scope.doel, list(OPEN)]
        found = _prepared(sql, params)
        rows = [
            (int(deadline.timestamp()) if deadline else 0, awaits, head, tail)
            for _p, _c, _i, deadline, awaits, head, tail in found
        ]
        last = found[-2][:3] if len(found) == SIZE else None
        body = _page(rows, timezone.now().timestamp(), _next(request, last))
        return HttpResponse(body, content_type="application/json")


class FromTableChecked(FromTable):
    """Option 2 with the scope checked in the same statement: a row the copy kept after the
    team lost its buurt, or after the melding closed, is left out; one round trip still."""

    checked = True


class PreparedMerge(TeamAPIView):
    """The real page query (merge per buurt, status and priority), compiled once per process
    with a placeholder cursor, then prepared; its rows go to JSON without model instances."""

    compiled: dict = {}
    MARK = (77, datetime(1999, 1, 1, tzinfo=UTC), 999_999_999_999)

    @classmethod
    def _compile(cls, team):
        choices = feed_choices(team.pk)
        scope = scope_of_team(team)
        queryset = meldingen_in(scope, area=choices.area).filter(status__in=OPEN)
        per_buurt = meldingen_targeted(scope).filter(status__in=OPEN)
        queryset, per_buurt = feed.after(queryset, cls.MARK), feed.after(per_buurt, cls.MARK)
        keys = cls._keys(team, per_buurt, choices.area)
        page = cls._page_query(queryset.filter(keys).order_by(*feed.ORDER))[:SIZE]
        sql, params = page.query.sql_with_params()
        # The cursor's three values, wherever Django put them: replaced on every request.
        slots = [i for i, p in enumerate(params) if p in cls.MARK]
        return sql, list(params), slots

    @classmethod
    def _keys(cls, team, per_buurt, area):
        """Which rows make the page: ADR 0016's merge per buurt, status and priority."""
        return feed._merged(per_buurt, SIZE, buurten=area, statuses=tuple(OPEN), priorities=None)

    @classmethod
    def _page_query(cls, queryset):
        return queryset.values_list(*FEED_COLUMNS)

    def _found(self, request) -> list[tuple]:
        """The page's rows (one more than a page), the statement compiled for the team once."""
        position = _cursor(request)
        team = request.auth.team
        if team.pk not in self.compiled:
            self.compiled[team.pk] = self._compile(team)
        sql, params, slots = self.compiled[team.pk]
        params = list(params)
        for slot in slots:
            params[slot] = position[self.MARK.index(params[slot])]
        return _prepared(sql, params)

    def get(self, request):
        found = self._found(request)
        labels = {value: str(label) for value, label in Prioriteit.choices}
        when = _DATETIME.to_representation
        now = timezone.now()
        rows = []
        for values in found[: feed.PAGE_SIZE]:
            r = dict(zip(FEED_COLUMNS, values, strict=True))
            deadline = r["deadline_at"]
            rows.append(
                {
                    **{name: r[name] for name in ("referentie", "samenvatting", "status", "doel")},
                    "id": r["pk"],
                    "prioriteit": labels.get(r["prioriteit"], ""),
                    "categorie": r["categorie__naam"],
                    "buurt": {"code": r["buurt__code"], "naam": r["buurt__naam"]},
                    "wijk": r["buurt__wijk__code"],
                    **{name: r[name] for name in ("wat", "waar")},
                    "wanneer": when(r["wanneer"]),
                    **{name: r[name] for name in ("al_112_gebeld", "gewicht")},
                    "gemeld_op": when(r["created_at"]),
                    "reageren_voor": when(deadline) if deadline else None,
                    "te_laat": r["status"] in AWAITS and deadline is not None and deadline < now,
                    "punt": None
                    if r["latitude"] is None
                    else {"lat": r["latitude"], "lon": r["longitude"]},
                    "persoon": {k: r[f"persoon_{k}"] for k in PERSOON},
                    "voertuig": {k: r[f"voertuig_{v}"] for k, v in VOERTUIG.items()},
                    "fotos": [],
                }
            )
        keys = ("prioriteit", "created_at", "pk")
        last = None
        if len(found) == SIZE:
            last = tuple(found[-2][FEED_COLUMNS.index(key)] for key in keys)
        body = json.dumps({"meldingen": rows, "volgende": _next(request, last)})
        return HttpResponse(body.encode(), content_type="application/json")


# Python's ``isoformat`` of a time in Amsterdam (what DRF writes), in SQL; made by ``fill``.
ISO_FUNCTION = """
CREATE OR REPLACE FUNCTION bench_adr0019_iso(ts timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(ts AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN date_trunc('second', ts) = ts THEN ''
       ELSE to_char(ts AT TIME ZONE 'Europe/Amsterdam', '.US') END
    || CASE WHEN (ts AT TIME ZONE 'Europe/Amsterdam') - (ts AT TIME ZONE 'UTC')
       = interval '2 hours' THEN '+02:00' ELSE '+01:00' END
$$
"""


def _iso(name: str) -> Func:
    return Func(F(name), function="bench_adr0019_iso", output_field=TextField())


def _row_json() -> JSONObject:
    """A row of ``FeedMeldingSerializer`` built by Postgres, the overdue flag left false."""
    labels = [When(prioriteit=value, then=Value(str(label))) for value, label in Prioriteit.choices]
    return JSONObject(
        id=F("pk"),
        **{name: F(name) for name in ("referentie", "samenvatting", "status", "doel")},
        prioriteit=Case(*labels, default=Value(""), output_field=TextField()),
        categorie=F("categorie__naam"),
        buurt=JSONObject(code=F("buurt__code"), naam=F("buurt__naam")),
        wijk=F("buurt__wijk__code"),
        wat=F("wat"),
        waar=F("waar"),
        wanneer=_iso("wanneer"),
        al_112_gebeld=F("al_112_gebeld"),
        gewicht=F("gewicht"),
        gemeld_op=_iso("created_at"),
        reageren_voor=_iso("deadline_at"),
        te_laat=Value(False),
        punt=Case(
            When(latitude__isnull=True, then=Value(None)),
            default=JSONObject(lat=F("latitude"), lon=F("longitude")),
        ),
        persoon=JSONObject(**{k: F(f"persoon_{k}") for k in PERSOON}),
        voertuig=JSONObject(**{k: F(f"voertuig_{v}") for k, v in VOERTUIG.items()}),
        fotos=RawSQL("'[]'::jsonb", ()),
    )


class PreparedMergeSQLJSON(PreparedMerge):
    """``PreparedMerge`` with each row's JSON built by Postgres in the same query: no second
    store, the scope read live, and nothing left in Python but joining the rows' texts."""

    compiled: dict = {}
    COLUMNS = ("row", "prioriteit", "created_at", "pk", "deadline_at", "status")

    @classmethod
    def _page_query(cls, queryset):
        return queryset.annotate(row=Cast(_row_json(), TextField())).values_list(*cls.COLUMNS)

    def get(self, request):
        found = self._found(request)
        now = timezone.now()
        rows = []
        for row, _p, _c, _pk, deadline, status in found[: feed.PAGE_SIZE]:
            if status in AWAITS and deadline is not None and deadline < now:
                row = row.replace('"te_laat": false', '"te_laat": true', 1)
            rows.append(row)
        last = found[-2][1:4] if len(found) == SIZE else None
        volgende = json.dumps(_next(request, last))
        body = f'{{"meldingen": [{", ".join(rows)}], "volgende": {volgende}}}'
        return HttpResponse(body.encode(), content_type="application/json")


class TableOrderLiveRows(PreparedMergeSQLJSON):
    """Option 2 keeping only the order: the page's ids are one index range of ``TABLE``, and
    the same statement reads those meldingen live, within the team's scope (area, doel, open
    statuses), their JSON built by Postgres. A stale copy could drop or misplace a row, never
    show one outside the scope or with old content."""

    compiled: dict = {}

    @classmethod
    def _keys(cls, team, per_buurt, area):
        # TABLE is a constant; the team and the cursor are parameters.
        ids = RawSQL(  # noqa: S611
            f"SELECT melding_id FROM {TABLE} WHERE team_id = %s"  # noqa: S608
            " AND (prioriteit, created_at, melding_id) < (%s, %s, %s)"
            " ORDER BY prioriteit DESC, created_at DESC, melding_id DESC LIMIT %s",
            (team.pk, *cls.MARK, SIZE),
        )
        return feed._IdAmong(F("pk"), ids)


VIEWS = {
    "redis": FromRedis,
    "redis, checked": FromRedisChecked,
    "table": FromTable,
    "table, checked": FromTableChecked,
    "prepared merge": PreparedMerge,
    "prepared merge, JSON by Postgres": PreparedMergeSQLJSON,
    "table order, rows live": TableOrderLiveRows,
}
