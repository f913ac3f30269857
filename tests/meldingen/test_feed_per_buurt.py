"""A small area's feed is read buurt by buurt (``feed.page`` with ``buurten``, issue 15): every
page, at every depth and with every filter, holds exactly the rows and the order the feed's
definition gives, for the officers' page and the team API alike."""

import random
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldingen import feed
from meldingen.models import Doel, Melding, Prioriteit
from meldingen.workflow import OPEN, Status
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NOW = "2026-03-29 01:30 +0100"  # the night summer time starts
STATUSES = [*OPEN, *(Status.AFGESLOTEN, Status.DOORGEZET, Status.ONTVANGEN)]


@pytest.fixture
def area():
    """A police officer whose team has wijk A (three buurten) and one single buurt of wijk B;
    meldingen in all four and in a buurt outside the area, of both targets, every status and
    priority, over two weeks, many at the same moment (the cursor's tie on id)."""
    if connection.vendor != "postgresql":
        pytest.skip("the per-buurt reading is Postgres's (SQLite reads in feed order)")
    wijk_a, wijk_b = factories.WijkFactory(), factories.WijkFactory()
    inside = [factories.BuurtFactory(wijk=wijk_a) for _ in range(3)]
    single, outside = factories.BuurtFactory(wijk=wijk_b), factories.BuurtFactory(wijk=wijk_b)
    officer = factories.professional("politie", wijk_a)
    officer.team.buurten.add(single)
    categorieen = [factories.CategorieFactory(naam=f"Per buurt {i}") for i in range(3)]
    draw = random.Random(15)
    with time_machine.travel(NOW, tick=False):
        now = timezone.now()
        rows = [
            Melding(
                buurt=draw.choice([*inside, single, outside]),
                categorie=draw.choice(categorieen),
                wat="Per buurt gelezen.",
                wanneer=now,
                doel=draw.choice([Doel.POLITIE, Doel.POLITIE, Doel.HANDHAVING]),
                status=draw.choice(STATUSES),
                prioriteit=draw.choice(Prioriteit.values),
                samenvatting=f"Melding {i}",
            )
            for i in range(160)
        ]
        Melding.objects.bulk_create(rows)
        moments = [now - timedelta(hours=draw.choice([1, 1, 5, 30, 100, 300])) for _ in rows]
        for melding, moment in zip(rows, moments, strict=True):
            melding.created_at = moment
        Melding.objects.bulk_update(rows, ["created_at"])
    return SimpleNamespace(
        officer=officer,
        wijk_a=wijk_a,
        wijk_b=wijk_b,
        categorieen=categorieen,
        buurten=[*inside, single],
    )


def expected(officer_buurten, query: dict) -> list[int]:
    """The feed's definition, in Python: the area, police, the filters, newest high first."""
    now = timezone.now()
    rows = Melding.objects.filter(buurt__in=officer_buurten, doel=Doel.POLITIE)
    chosen = []
    for m in rows:
        status = query.get("status")
        if m.status == Status.ONTVANGEN:
            continue
        if status is None and m.status not in OPEN:
            continue
        if status not in (None, "alle") and m.status != status:
            continue
        if "categorie" in query and m.categorie_id != query["categorie"]:
            continue
        if "periode" in query and m.created_at < now - timedelta(days=7):
            continue
        if "wijk" in query and m.buurt.wijk.code != query["wijk"]:
            continue
        chosen.append(m)
    chosen.sort(key=lambda m: (m.prioriteit, m.created_at, m.pk), reverse=True)
    return [m.pk for m in chosen]


def walk(get, query: dict) -> list[int]:
    """Every page of the feed, following its cursor, as the ids shown in order."""
    shown, cursor = [], None
    while True:
        rows, cursor = get({**query, **({"na": cursor} if cursor else {})})
        assert len(rows) <= feed.PAGE_SIZE
        shown += rows
        if cursor is None:
            return shown


def api_pages(client, officer):
    """A page of the team API's feed for ``walk``: the ids shown and the next cursor."""
    key = feed_token_issue(team=officer.team, naam="Per buurt", by=officer)[1]

    def get(params):
        body = client.get(reverse("api-feed"), params, HTTP_AUTHORIZATION=f"Bearer {key}").json()
        volgende = body["volgende"]
        cursor = volgende.split("na=")[1].split("&")[0] if volgende else None
        return [row["id"] for row in body["meldingen"]], cursor

    return get


QUERIES = [
    {},
    {"status": "alle"},
    {"status": Status.HEROPEND},
    {"periode": "7d"},
    {"status": "alle", "periode": "7d"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_page_of_the_officers_feed_holds_the_rows_the_filters_give(
    area, login, query, django_assert_max_num_queries
):
    client = login(area.officer)

    def get(params):
        # Session, user, sign-in methods, team, the menu's unread count and the page (one query);
        # the first request also reads the filter options (three). The same at every depth.
        with django_assert_max_num_queries(9):
            page = client.get(reverse("meldingen:feed"), params).context["page"]
        return [row.pk for row in page.rows], page.next_cursor

    with time_machine.travel(NOW, tick=False):
        for extra in [{}, {"categorie": area.categorieen[1].pk}, {"wijk": area.wijk_a.code}]:
            want = expected(area.buurten, {**query, **extra})
            assert walk(get, {**query, **extra}) == want
            assert want or extra  # the plain cases find rows


@pytest.mark.parametrize("query", QUERIES[:3])
def test_the_team_api_pages_the_same_rows(area, client, query):
    get = api_pages(client, area.officer)
    with time_machine.travel(NOW, tick=False):
        assert walk(get, query) == expected(area.buurten, query)


def test_a_list_of_buurten_can_narrow_a_page_but_never_widen_it(area):
    """The page's own query keeps the area: a list naming a buurt outside it (a stale or
    wrong list) shows nothing of that buurt."""
    buurten = area.buurten
    outside = area.wijk_b.buurten.exclude(pk__in=[b.pk for b in buurten]).get()
    in_area = Melding.objects.filter(buurt__in=buurten, doel=Doel.POLITIE, status__in=OPEN)
    page = feed.page(in_area, buurten=[outside.pk, buurten[0].pk], size=200)
    assert page.rows
    assert {row.buurt_id for row in page.rows} == {buurten[0].pk}


@pytest.mark.parametrize("query", QUERIES)
def test_a_large_area_limited_to_a_period_is_read_priority_by_priority(
    area, login, client, query, monkeypatch
):
    """An area of more buurten than are read one by one (the gemeente's 517; here every area,
    by setting the bound to 0) is read in feed order, and with a period priority by priority,
    each from the period's start (a deep page at 2M read 4,679 buffers in feed order, 213 so).
    Every page, on the site and through the API, holds the rows the filters give."""
    monkeypatch.setattr(feed, "PER_BUURT_MAX", 0)
    api = api_pages(client, area.officer)
    site = login(area.officer)
    merged = []

    def html(params):
        with CaptureQueriesContext(connection) as queries:
            page = site.get(reverse("meldingen:feed"), params).context["page"]
        merged.append(any("unnest(" in q["sql"] for q in queries))
        return [row.pk for row in page.rows], page.next_cursor

    with time_machine.travel(NOW, tick=False):
        for extra in [{}, {"categorie": area.categorieen[1].pk}, {"wijk": area.wijk_a.code}]:
            want = expected(area.buurten, {**query, **extra})
            assert walk(html, {**query, **extra}) == want
            assert walk(api, {**query, **extra}) == want
    assert set(merged) == {"periode" in query}
