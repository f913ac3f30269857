"""Differences between periods (issue 12, section 1.2): a year of nightly runs, every public
output collected, and the attacker's linear equations over months.

The data are made for the attacker: in two buurten of one wijk, every month new people take
part once (some as volunteers, so they are actieve kern), nobody twice. Then every published
count is exactly the sum of the monthly counts of the months it covers, and the attacker who
knows that (and that nothing happened before launch) can write each published n as a linear
equation over the unknown monthly counts. A monthly count is given away exactly when its vector
lies in the span of those equations.

Under the old scheme (12-month windows ending on every month end) consecutive windows differ by
one month: the monthly counts below 10 come out exactly. Under quarters nothing does, even
though every quarter in the target buurt is published (the hardest case for the defender).
Corrections (a version 2) are left out on purpose: two versions of one quarter do reveal what
changed between them; ADR 0006 says so.
"""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from indicatoren import compute, kwartaal, services, tasks
from indicatoren.models import Publicatie, Snapshot
from tests import factories

from .conftest import members, past_activity, took_part
from .test_views_open_data import export_url

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR = 2027
MONTHS = range(1, 13)
# New volunteers (actieve kern) and new plain participants per month: every monthly count of
# the target buurt is below 10, every quarter's is at least 10, of both kinds (the participants
# outside the actieve kern are a count too), so every quarter is published.
TARGET = {
    "v": [4, 3, 5, 4, 4, 3, 5, 4, 3, 4, 5, 4],
    "c": [2, 5, 3, 4, 2, 4, 3, 4, 3, 5, 3, 5],
}
NEIGHBOUR = {"v": [6] * 12, "c": [8] * 12}
# What each published n counts, in the attacker's model: kinds of people summed over months.
COUNTS = {"bereik": ("v", "c"), "actieve_kern": ("v",)}


def _local(day: date, hour: int = 3, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def nightly_moments() -> list[tuple[str, datetime]]:
    """The 1st and the last day of every month at 03:30, the DST nights, New Year's Eve and the
    first minutes of the new year (in Amsterdam), and the 1st of January twice."""
    moments = []
    for month in MONTHS:
        first = date(YEAR, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        moments += [(f"{first} 03:30", _local(first)), (f"{last} 03:30", _local(last))]
    moments += [
        ("summer time starts", datetime(YEAR, 3, 28, 1, 30, tzinfo=UTC)),
        ("summer time ends", datetime(YEAR, 10, 31, 0, 30, tzinfo=UTC)),
        ("New Year's Eve 23:50", _local(date(YEAR, 12, 31), 23, 50)),
        ("00:30 on New Year's Day", datetime(YEAR, 12, 31, 23, 30, tzinfo=UTC)),
        ("New Year's Day again", _local(date(YEAR + 1, 1, 1))),
    ]
    return sorted(moments, key=lambda item: item[1])


@pytest.fixture
def year(wijk):
    """A year of participation in two buurten; returns (target, neighbour, member of target)."""
    target = factories.BuurtFactory(wijk=wijk, naam="Doelbuurt")
    neighbour = factories.BuurtFactory(wijk=wijk, naam="Buurbuurt")
    with time_machine.travel(_local(date(YEAR - 1, 12, 1), 12), tick=False):
        member = factories.LidmaatschapFactory(buurt=target).user  # reads the residents' page
        for buurt, counts in ((target, TARGET), (neighbour, NEIGHBOUR)):
            for month in MONTHS:
                for kind, rol in (("v", True), ("c", False)):
                    start = _local(date(YEAR, month, 15), 19, 0)
                    activiteit = past_activity(buurt, start=start)
                    for person in members(buurt, counts[kind][month - 1]):
                        took_part(person, activiteit, aanwezig=True, rol=rol)
    return target, neighbour, member


# --- The attacker's algebra ----------------------------------------------------------------------
class Equations:
    """Linear equations over the unknown monthly counts, kept in reduced row echelon form with
    exact fractions: what the published figures determine, and nothing more."""

    def __init__(self, unknowns: list[tuple]):
        self.index = {u: i for i, u in enumerate(unknowns)}
        self.rows: dict[int, tuple[list[Fraction], Fraction]] = {}  # pivot -> (row, value)
        self.count = 0

    def _vector(self, terms) -> list[Fraction]:
        row = [Fraction(0)] * len(self.index)
        for unknown in terms:
            row[self.index[unknown]] += 1
        return row

    def _reduce(self, row, value):
        for pivot, (basis, basis_value) in self.rows.items():
            if row[pivot]:
                factor = row[pivot]
                row = [a - factor * b for a, b in zip(row, basis, strict=True)]
                value -= factor * basis_value
        return row, value

    def add(self, terms, value) -> None:
        self.count += 1
        row, value = self._reduce(self._vector(terms), Fraction(value))
        pivot = next((i for i, a in enumerate(row) if a), None)
        if pivot is None:
            # Nothing new; and the published figure fits the attacker's model exactly.
            assert value == 0, "a published n differs from the sum of its months"
            return
        scale = row[pivot]
        row, value = [a / scale for a in row], value / scale
        for other, (basis, basis_value) in list(self.rows.items()):
            if basis[pivot]:
                factor = basis[pivot]
                self.rows[other] = (
                    [a - factor * b for a, b in zip(basis, row, strict=True)],
                    basis_value - factor * value,
                )
        self.rows[pivot] = (row, value)

    def solve(self, terms) -> Fraction | None:
        """The value of ``sum(terms)`` if the equations determine it, else None."""
        row, value = self._reduce(self._vector(terms), Fraction(0))
        return None if any(row) else -value

    @property
    def rank(self) -> int:
        return len(self.rows)


def unknowns(buurten) -> list[tuple]:
    return [(b.code, month, kind) for b in buurten for month in MONTHS for kind in ("v", "c")]


def months_of(start: date, eind: date) -> list[int]:
    """The months of YEAR a period covers (the attacker knows nothing happened before)."""
    return [m for m in MONTHS if start <= date(YEAR, m, 1) and date(YEAR, m, 1) <= eind]


def area_buurten(gebied: dict, buurten) -> list:
    if gebied["niveau"] == "buurt":
        return [b for b in buurten if b.code == gebied["code"]]
    if gebied["niveau"] == "wijk":
        return [b for b in buurten if b.wijk.code == gebied["code"]]
    return list(buurten)


def terms_of(key: str, areas, months) -> list[tuple]:
    return [(b.code, m, kind) for b in areas for m in months for kind in COUNTS[key]]


def add_publication(equations, data: dict, buurten) -> None:
    """Every published n of a JSON publication (open data or API) as an equation."""
    start = date.fromisoformat(data["periode"]["start"])
    eind = date.fromisoformat(data["periode"]["eind"])
    for gebied in data["gebieden"]:
        for key in COUNTS:
            n = gebied["waarden"][key]["n"]
            if n is not None:
                terms = terms_of(key, area_buurten(gebied, buurten), months_of(start, eind))
                equations.add(terms, n)


def add_csv(equations, text: str, buurten) -> None:
    for row in csv.DictReader(io.StringIO(text)):
        if row["indicator"] in COUNTS and row["n"]:
            gebied = {"niveau": row["niveau"], "code": row["code"]}
            start = date.fromisoformat(row["periode_start"])
            eind = date.fromisoformat(row["periode_eind"])
            terms = terms_of(
                row["indicator"], area_buurten(gebied, buurten), months_of(start, eind)
            )
            equations.add(terms, int(row["n"]))


def collect_public_outputs(client, gemeente, publicaties, equations, buurten) -> None:
    """Every public output as equations: open data (JSON and CSV, every quarter and version)
    and the API, at every level."""
    index = client.get(reverse("indicatoren:open-data")).content.decode()
    api = reverse("api-indicatoren-gemeente", args=[gemeente.code])
    for publicatie in publicaties:
        eind, versie = publicatie.periode_eind.isoformat(), f"?versie={publicatie.versie}"
        json_url = export_url(gemeente.code, eind, "json")
        assert json_url in index
        add_publication(equations, client.get(json_url).json(), buurten)
        add_publication(equations, client.get(json_url + versie).json(), buurten)
        csv_text = client.get(export_url(gemeente.code, eind, "csv")).content.decode()
        add_csv(equations, csv_text, buurten)
        for params in ({"periode": eind}, {"periode": eind, "versie": publicatie.versie}):
            add_publication(equations, client.get(api, params).json(), buurten)
    add_publication(equations, client.get(api).json(), buurten)


def truth(buurt_code: str, month: int, kinds, target, neighbour) -> int:
    counts = TARGET if buurt_code == target.code else NEIGHBOUR
    return sum(counts[kind][month - 1] for kind in kinds)


def monthly_targets(target):
    """Each monthly count of the target buurt: (label, terms, true value)."""
    for month in MONTHS:
        for key, kinds in COUNTS.items():
            terms = [(target.code, month, kind) for kind in kinds]
            yield f"{key} {YEAR}-{month:02d}", terms, sum(TARGET[k][month - 1] for k in kinds)


# --- The year ------------------------------------------------------------------------------------
RESIDENT_PAGE = re.compile(r"In het laatste kwartaal \((\w+)–(\w+) (\d{4})\):")
NOG = re.compile(r"Nog (\d+) bu(?:ur|ren) erbij")


def test_a_year_of_quarters_gives_no_monthly_count_away(
    client, login, year, django_capture_on_commit_callbacks
):
    target, neighbour, member = year
    buurten = [target, neighbour]
    gemeente = target.wijk.gemeente
    equations = Equations(unknowns(buurten))
    labels = {
        kwartaal.label(*kwartaal.quarter_of(date(y, m, 1))): kwartaal.quarter_of(date(y, m, 1))
        for y in (YEAR - 1, YEAR)
        for m in (1, 4, 7, 10)
    }
    page = reverse("indicatoren:mijn-buurt")
    shown_on_resident_page = set()
    for name, moment in nightly_moments():
        with time_machine.travel(moment, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                tasks.compute_nightly()
            today = moment.astimezone(AMSTERDAM).date()
            # Published: exactly the quarters that ended before today, each once.
            ended = {
                q for q in labels.values() if q[1] < today and q[1] >= kwartaal.last_ended(today)[1]
            }
            published = set(Publicatie.objects.values_list("periode_start", "periode_eind"))
            assert ended <= published, name
            assert all(eind < today for _start, eind in published), name
            assert Publicatie.objects.filter(versie__gt=1).count() == 0, name
            # The residents' page: the latest published quarter's figure only.
            content = login(member).get(page).content.decode()
            match = RESIDENT_PAGE.search(content)
            if match:
                quarter = labels[f"{match[1]}–{match[2]} {match[3]}"]
                assert quarter == kwartaal.last_ended(today), name
                nog = NOG.search(content)
                if nog:  # 200 is the target (20% of 1,000): kern = 200 - nog
                    terms = terms_of("actieve_kern", [target], months_of(*quarter))
                    equations.add(terms, 200 - int(nog[1]))
                    shown_on_resident_page.add((quarter, int(nog[1])))
            client.logout()

    # Every public output: open data (JSON and CSV, every quarter and version) and the API.
    publicaties = list(Publicatie.objects.order_by("periode_eind", "versie"))
    assert [(p.periode_start.month, p.periode_start.year) for p in publicaties] == [
        (10, YEAR - 1),
        (1, YEAR),
        (4, YEAR),
        (7, YEAR),
        (10, YEAR),
    ]
    api_list = client.get(reverse("api-indicatoren")).json()
    assert [g["periodes"] for g in api_list["gemeenten"]] == [
        [p.periode_eind.isoformat() for p in reversed(publicaties)]
    ]
    collect_public_outputs(client, gemeente, publicaties, equations, buurten)

    # The target buurt was published in every quarter of the year (so the test is not empty).
    assert {q for q, _nog in shown_on_resident_page} == {
        labels[label] for label in labels if label.endswith(str(YEAR))
    }
    assert equations.count > 100 and equations.rank >= 16
    # Nothing about any single month of the target buurt can be worked out.
    for label, terms, value in monthly_targets(target):
        assert value < 10, label
        assert equations.solve(terms) is None, label
    # The quarters themselves are what was published, and they are consistent with the truth.
    first_quarter = [(target.code, m, k) for m in (1, 2, 3) for k in ("v", "c")]
    assert equations.solve(first_quarter) == sum(TARGET["v"][:3] + TARGET["c"][:3])


def test_the_old_overlapping_month_end_windows_give_every_month_away(year):
    """The scheme this replaces: 12 months to every month end, computed after the month ended.
    Consecutive windows differ by one month, and the monthly counts come out exactly."""
    target, neighbour, _member = year
    buurten = [target, neighbour]
    gemeente = target.wijk.gemeente
    equations = Equations(unknowns(buurten))
    with time_machine.travel(_local(date(YEAR + 1, 1, 2)), tick=False):
        for month in MONTHS:
            eind = (date(YEAR, month, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            start, eind = services.default_periode(eind)
            compute.compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)
    for snapshot in Snapshot.objects.filter(gemeente=gemeente).select_related("buurt", "wijk"):
        code = (snapshot.buurt or snapshot.wijk or gemeente).code
        gebied = {"niveau": snapshot.niveau, "code": code}
        for key in COUNTS:
            cel = snapshot.waarden[key]
            if not cel["onderdrukt"] and cel["n"] is not None:
                months = months_of(snapshot.periode_start, snapshot.periode_eind)
                equations.add(terms_of(key, area_buurten(gebied, buurten), months), cel["n"])
    recovered = {}
    for label, terms, value in monthly_targets(target):
        found = equations.solve(terms)
        if found is not None:
            assert found == value, label  # exactly right
            recovered[label] = found
    # Every month after the first window reached 10 is given away, each count below 10.
    assert len(recovered) >= 18
    assert all(value < 10 for value in recovered.values())
    assert "bereik 2027-12" in recovered and recovered["bereik 2027-12"] == 9


# --- Levels and periods together --------------------------------------------------------------

# A buurt with 3 participants a quarter (1 or 2 a month), beside the target in its wijk, and a
# second wijk: the attacker has every level (buurt, wijk, gemeente) of every quarter at once.
# (Without secondary suppression this test fails: the small buurt is its wijk minus the target.)
SMALL = {
    "v": [1, 0, 1, 0, 2, 0, 1, 0, 0, 0, 0, 2],
    "c": [0, 1, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0],
}


def test_levels_and_periods_together_give_no_small_count_away(
    client, wijk, django_capture_on_commit_callbacks
):
    target = factories.BuurtFactory(wijk=wijk, naam="Doelbuurt")
    small = factories.BuurtFactory(wijk=wijk, naam="Kleine buurt")
    other_wijk = factories.WijkFactory(gemeente=wijk.gemeente)
    neighbour = factories.BuurtFactory(wijk=other_wijk, naam="Buurbuurt")
    data = {target: TARGET, small: SMALL, neighbour: NEIGHBOUR}
    with time_machine.travel(_local(date(YEAR - 1, 12, 1), 12), tick=False):
        for buurt, counts in data.items():
            for month in MONTHS:
                for kind, rol in (("v", True), ("c", False)):
                    activiteit = past_activity(buurt, start=_local(date(YEAR, month, 15), 19, 0))
                    for person in members(buurt, counts[kind][month - 1]):
                        took_part(person, activiteit, aanwezig=True, rol=rol)
    buurten = list(data)
    gemeente = wijk.gemeente
    equations = Equations(unknowns(buurten))
    for _name, moment in nightly_moments():
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            tasks.compute_nightly()
    publicaties = list(Publicatie.objects.filter(periode_start__year=YEAR))
    assert len(publicaties) == 4
    collect_public_outputs(client, gemeente, publicaties, equations, buurten)

    quarters = [(1, 2, 3), (4, 5, 6), (7, 8, 9), (10, 11, 12)]
    # Not an empty test: the gemeente and the other wijk's buurt are published every quarter.
    for months in quarters:
        every = [(b.code, m, k) for b in buurten for m in months for k in "vc"]
        total = sum(data[b][k][m - 1] for b in buurten for m in months for k in "vc")
        assert equations.solve(every) == total
        assert equations.solve([(neighbour.code, m, k) for m in months for k in "vc"]) == 42
    for buurt in buurten:
        for months in [*quarters, *((m,) for m in MONTHS)]:
            for kinds in (("v", "c"), ("v",), ("c",)):  # bereik, kern, and the rest of bereik
                terms = [(buurt.code, m, k) for m in months for k in kinds]
                value = equations.solve(terms)
                if value is not None:
                    assert value == sum(data[buurt][k][m - 1] for m in months for k in kinds)
                    assert not 0 < value < 10, (buurt.naam, months, kinds)
    # The small buurt had 1 to 9 participants in every quarter: hidden, and protected.
    for months in quarters:
        assert 0 < sum(SMALL[k][m - 1] for m in months for k in "vc") < 10
        assert equations.solve([(small.code, m, k) for m in months for k in "vc"]) is None
