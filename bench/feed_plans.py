# ruff: noqa: E402
"""How much of the meldingen table each feed case reads: every scope, filter and depth.

    .venv/bin/python -m bench.feed_plans [--plans]

Issue 15, target 1: a page must read index rows in proportion to the page, not to the team's
share of the table. For each case the officer's own page query is captured (the test client, the
page cache bumped so the page is built) and run again under EXPLAIN (ANALYZE, BUFFERS): rows read
from the table and its indexes (kept and removed by a filter, every loop), buffers touched, and
planning plus execution time. These do not depend on the machine's load; ``feed_latency.py``
measures time.

Scopes: the one-wijk team of ``seed.py`` (Haarlemmerbuurt), a team for the wijk with the fewest
open police meldingen (the sparsest) and one for the wijk with the most (the densest), both made
here, and the whole gemeente. Filters: none, the rarest and the most common police category, a
rare status, every status, the last 24 hours, a wijk (gemeente only), and two combinations.
Depths: page 1 and the page after ~1,000 rows (followed by cursor), where the case has that many;
with a period also the *edge*: the first page that goes from one priority to the next (followed
for up to ``EDGE_PAGES`` pages). In feed order a period bounds only the last key of the index,
and that page read every older row of the higher priority (issue 15, 2026-12-05: 32 ms at 2M);
where page 40 falls depends on the hour, the edge does not.
"""

import argparse
import re

from bench import harness

harness.setup()

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import is_mfa_enabled
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, Team, User
from buurten.models import Gemeente, Wijk
from meldingen import feed, feedcache
from meldingen.models import Doel, Melding
from meldingen.workflow import OPEN, Status

FEED = "/meldingen/feed/"
NEXT = re.compile(r'href="\?(?:[^"]*&amp;)?na=([\w-]+)"')
DEEP_PAGES = 40
EDGE_PAGES = 400


def crosses(asked: str | None, following: str | None) -> bool:
    """Whether the page asked for with cursor ``asked`` ends in a lower priority than the one
    it starts after (its next cursor, ``following``): a period's edge between priorities."""
    if asked is None or following is None:
        return False
    return feed.decode(following)[0] < feed.decode(asked)[0]


def wijk_team(label: str, wijk: Wijk) -> str:
    """A police team for ``wijk`` and its officer (made once); the officer's address."""
    gemeente = Gemeente.objects.get(code=harness.GEMEENTE)
    team, _created = Team.objects.get_or_create(
        gemeente=gemeente, organisatie=Team.Organisatie.POLITIE, naam=f"Bench politie {label}"
    )
    team.wijken.set([wijk])
    email = f"politie.{label}{harness.DOMAIN}"
    officer, _created = User.objects.get_or_create(
        email=email, defaults={"role": Role.POLITIE, "team": team, "weergavenaam": team.naam}
    )
    if not is_mfa_enabled(officer, [Authenticator.Type.TOTP]):
        TOTP.activate(officer, generate_totp_secret())
    return email


def scopes() -> list[tuple[str, str]]:
    """(label, officer's address): the seeded wijk, the sparsest and densest wijk, the gemeente."""
    open_police = Count(
        "buurten__meldingen",
        filter=Q(buurten__meldingen__doel=Doel.POLITIE, buurten__meldingen__status__in=OPEN),
    )
    wijken = Wijk.objects.filter(gemeente__code=harness.GEMEENTE).annotate(open=open_police)
    sparse = wijken.filter(open__gt=0).order_by("open", "code").first()
    dense = wijken.order_by("-open", "code").first()
    feedcache.bump()
    return [
        (f"wijk {harness.WIJK}", harness.POLICE_WIJK),
        (f"sparsest wijk {sparse.code} ({sparse.open} open)", wijk_team("dun", sparse)),
        (f"densest wijk {dense.code} ({dense.open} open)", wijk_team("dicht", dense)),
        ("gemeente", harness.POLICE_GEMEENTE),
    ]


def filters(gemeente: bool) -> list[tuple[str, dict]]:
    police = Melding.objects.filter(doel=Doel.POLITIE).values("categorie").annotate(n=Count("id"))
    counts = sorted(police.values_list("n", "categorie"))
    rarest, common = counts[0][1], counts[-1][1]
    result = [
        ("no filter", {}),
        ("rarest category", {"categorie": rarest}),
        ("commonest category", {"categorie": common}),
        ("status heropend", {"status": Status.HEROPEND}),
        ("every status", {"status": "alle"}),
        ("last 24 h", {"periode": "24h"}),
        ("commonest category, 7 days", {"categorie": common, "periode": "7d"}),
        ("rarest category, every status", {"categorie": rarest, "status": "alle"}),
    ]
    if gemeente:
        result.append(("wijk " + harness.WIJK, {"wijk": harness.WIJK}))
    return result


def page_query(client: Client, query: dict) -> tuple[str, str | None]:
    """The SQL of the page query (the one ordered by the feed's keys) and the next cursor."""
    feedcache.bump()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(FEED, query)
    assert response.status_code == 200, response.status_code
    sql = next(q["sql"] for q in captured.captured_queries if '"prioriteit" DESC' in q["sql"])
    found = NEXT.search(response.text)
    return sql, found.group(1) if found else None


def reading(sql: str, *, full: bool) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]
    rows = buffers = 0
    indexes = set()
    nodes = [plan["Plan"]]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        if node.get("Relation Name") == "meldingen_melding" or node.get("Index Name"):
            loops = node.get("Actual Loops", 1)
            kept = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            if node["Node Type"] != "Bitmap Heap Scan":  # its rows came from the index node
                rows += (kept + node.get("Rows Removed by Index Recheck", 0)) * loops
            if node.get("Index Name"):
                indexes.add(node["Index Name"])
    buffers = plan["Plan"].get("Shared Hit Blocks", 0) + plan["Plan"].get("Shared Read Blocks", 0)
    text = (
        f"{rows:>8,} rows read {buffers:>7,} buffers"
        f" {plan['Planning Time']:6.1f} + {plan['Execution Time']:6.1f} ms"
        f"  {' + '.join(sorted(indexes)) or 'seq scan'}"
    )
    if full:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            text += "\n" + "\n".join(f"        {row[0]}" for row in cursor.fetchall())
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", action="store_true", help="print the full query plans")
    args = parser.parse_args()
    total = Melding.objects.count()
    print(f"{total:,} meldingen")
    worst = 0
    for label, email in scopes():
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(harness.user(email))
        print(f"\n{label}")
        for name, query in filters(label == "gemeente"):
            sql, cursor = page_query(client, query)
            line = reading(sql, full=args.plans)
            worst = max(worst, int(line.split()[0].replace(",", "")))
            print(f"  {name:<32} page 1   {line}")
            pages, edge = 1, "periode" not in query  # an edge is looked for with a period
            while cursor and (pages < DEEP_PAGES or not edge) and pages < EDGE_PAGES:
                asked = cursor
                sql, cursor = page_query(client, {**query, "na": cursor})
                pages += 1
                depth = None
                if not edge and crosses(asked, cursor):
                    edge, depth = True, f"edge {pages}"
                if pages == DEEP_PAGES:
                    depth = f"page {pages}" + (f", {depth}" if depth else "")
                if depth:
                    line = reading(sql, full=args.plans)
                    worst = max(worst, int(line.split()[0].replace(",", "")))
                    print(f"  {'':<32} {depth:<8} {line}")
    print(f"\nmost rows read for one page: {worst:,}")


if __name__ == "__main__":
    main()
