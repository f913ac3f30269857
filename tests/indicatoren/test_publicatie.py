"""Published means final (issue 12, section 2): a quarter is published only once it has ended
(Europe/Amsterdam), once, and never overwritten; a correction is a new version with a note;
the coordinators' live figures are separate from everything the public reads."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from indicatoren import compute, services, tasks
from indicatoren.models import Publicatie, Snapshot
from tests import factories

from .conftest import past_activity, took_part
from .test_views_open_data import export_url

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
AFTER_Q3 = datetime(2026, 10, 1, 3, 30, tzinfo=AMSTERDAM)


def nightly(moment, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        tasks.compute_nightly()


def published_quarters():
    return sorted(Publicatie.objects.values_list("periode_start", "periode_eind", "versie"))


def took_part_on(buurt, day: date, count: int, *, rol: bool = False):
    """``count`` members of the buurt took part in one activity on ``day`` (with a volunteer
    role: they are actieve kern)."""
    start = datetime(day.year, day.month, day.day, 19, tzinfo=AMSTERDAM)
    activiteit = past_activity(buurt, start=start)
    # Members since before the day (participation counts where people lived on the day), at
    # whatever moment the test runs: the factory's default "a year ago" is after the day in 2028.
    for _ in range(count):
        person = factories.LidmaatschapFactory(
            buurt=buurt, decided_at=start - timedelta(days=30)
        ).user
        took_part(person, activiteit, aanwezig=True, rol=rol)


def bereik_n(data: dict, code: str):
    area = next(a for a in data["gebieden"] if a["code"] == code)
    return area["waarden"]["bereik"]["n"]


# --- When a quarter is published -----------------------------------------------------------------
NOT_YET = {
    # (moment, the last quarter that must be published, the quarter that must not be yet)
    "03:30 on the last day of Q1": (
        datetime(2027, 3, 31, 3, 30, tzinfo=AMSTERDAM),
        (date(2026, 10, 1), date(2026, 12, 31)),
        date(2027, 3, 31),
    ),
    "New Year's Eve 23:50": (
        datetime(2026, 12, 31, 23, 50, tzinfo=AMSTERDAM),
        Q3,
        date(2026, 12, 31),
    ),
    "summer time starts (03:30 CEST)": (
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
        (date(2026, 10, 1), date(2026, 12, 31)),
        date(2027, 3, 31),
    ),
    "summer time ends (the first 02:30)": (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        Q3,
        date(2026, 12, 31),
    ),
    "23:30 UTC on 30 June is 01:30 on 1 July in Amsterdam": (
        datetime(2027, 6, 30, 23, 30, tzinfo=UTC),
        (date(2027, 4, 1), date(2027, 6, 30)),
        date(2027, 9, 30),
    ),
}


@pytest.mark.parametrize(("moment", "published", "not_yet"), NOT_YET.values(), ids=NOT_YET.keys())
def test_a_quarter_is_published_only_once_it_has_ended_in_amsterdam(
    buurt, django_capture_on_commit_callbacks, moment, published, not_yet
):
    nightly(moment, django_capture_on_commit_callbacks)
    assert published_quarters() == [(*published, 1)]
    assert not Publicatie.objects.filter(periode_eind=not_yet).exists()
    # The same night's live figures exist, for the coordinators only.
    assert Snapshot.objects.filter(publicatie__isnull=True, buurt=buurt).exists()


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2027, 1, 1, 3, 30, tzinfo=AMSTERDAM),
        datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # 00:30 on New Year's Day in Amsterdam
    ],
    ids=["03:30 on 1 January", "00:30 on 1 January"],
)
def test_on_the_first_the_quarter_is_published_once_however_often_the_nightly_runs(
    buurt, django_capture_on_commit_callbacks, moment
):
    nightly(moment, django_capture_on_commit_callbacks)
    first = list(Snapshot.objects.filter(publicatie__isnull=False).values_list("pk", "waarden"))
    nightly(moment, django_capture_on_commit_callbacks)  # beat fired twice, or a retry
    nightly(moment + timedelta(days=1), django_capture_on_commit_callbacks)  # the next night
    assert published_quarters() == [(date(2026, 10, 1), date(2026, 12, 31), 1)]
    assert list(Snapshot.objects.filter(publicatie__isnull=False).values_list("pk", "waarden")) == (
        first
    )
    assert len(first) == 3  # buurt, wijk, gemeente


def test_a_redelivered_publish_task_changes_nothing(buurt):
    with time_machine.travel(AFTER_Q3, tick=False):
        tasks.publish_quarter(buurt.wijk.gemeente.pk, "2026-07-01", "2026-09-30")
        took_part_on(buurt, date(2026, 8, 12), 12)  # recorded later: not in version 1
        tasks.publish_quarter(buurt.wijk.gemeente.pk, "2026-07-01", "2026-09-30")
        tasks.publish_quarter(999999, "2026-07-01", "2026-09-30")  # gemeente gone: nothing
    [versie] = Publicatie.objects.all()
    waarden = versie.snapshots.get(buurt=buurt).waarden
    assert waarden["bereik"]["onderdrukt"] is True


@pytest.mark.parametrize(
    ("start", "eind", "message"),
    [
        (date(2026, 10, 1), date(2026, 12, 31), "pas gepubliceerd als het voorbij is"),
        (date(2025, 10, 1), date(2026, 9, 30), "Alleen kalenderkwartalen"),
        (date(2026, 8, 1), date(2026, 9, 30), "Alleen kalenderkwartalen"),
    ],
)
def test_only_ended_calendar_quarters_can_be_published(buurt, start, eind, message):
    new_years_eve = datetime(2026, 12, 31, 23, 50, tzinfo=AMSTERDAM)
    with (
        time_machine.travel(new_years_eve, tick=False),
        pytest.raises(ValidationError, match=message),
    ):
        services.publicatie_first(
            gemeente=buurt.wijk.gemeente, periode_start=start, periode_eind=eind
        )
    assert not Publicatie.objects.exists()


# --- Final: live recomputations never touch a publication -----------------------------------------
@pytest.fixture
def q3(buurt):
    """Version 1 of Q3 2026, published on 1 October with 10 participants in the buurt."""
    with time_machine.travel(AFTER_Q3 - timedelta(days=20), tick=False):
        took_part_on(buurt, date(2026, 8, 12), 10)
    with time_machine.travel(AFTER_Q3, tick=False):
        return services.publicatie_first(
            gemeente=buurt.wijk.gemeente, periode_start=Q3[0], periode_eind=Q3[1]
        )


def test_a_coordinators_recompute_never_changes_published_figures(
    client, login, coordinator, buurt, q3, django_capture_on_commit_callbacks
):
    before = list(q3.snapshots.order_by("pk").values_list("pk", "berekend_at", "waarden"))
    url = export_url(buurt.wijk.gemeente.code, "2026-09-30", "json")
    assert bereik_n(client.get(url).json(), buurt.code) == 10
    # Two more participants in August are recorded later (the 42 -> 44).
    took_part_on(buurt, date(2026, 8, 20), 2)
    with time_machine.travel(AFTER_Q3 + timedelta(hours=9), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            login(coordinator).post(reverse("indicatoren:herberekenen"))
        # Even a live computation of exactly the published quarter leaves it alone.
        compute.compute_snapshots(
            gemeente=buurt.wijk.gemeente, periode_start=Q3[0], periode_eind=Q3[1]
        )
    live = Snapshot.objects.filter(publicatie__isnull=True, buurt=buurt)
    assert {s.waarden["bereik"]["n"] for s in live} == {12}  # the coordinators see 12
    after = list(q3.snapshots.order_by("pk").values_list("pk", "berekend_at", "waarden"))
    assert after == before
    client.logout()
    assert bereik_n(client.get(url).json(), buurt.code) == 10  # the public still reads 10


def test_a_publication_is_computed_once_and_corrections_need_a_note(buurt, q3):
    with pytest.raises(ValueError, match="computed once"):
        compute.compute_snapshots(
            gemeente=buurt.wijk.gemeente, periode_start=Q3[0], periode_eind=Q3[1], publicatie=q3
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Publicatie.objects.create(
            gemeente=q3.gemeente,
            periode_start=Q3[0],
            periode_eind=Q3[1],
            versie=2,
            gepubliceerd_at=q3.gepubliceerd_at,
        )


# --- Corrections ----------------------------------------------------------------------------------
@pytest.fixture
def administrator(db):
    return factories.UserFactory(role="beheerder", is_staff=True)


def corrigeren_url(gemeente_code: str, periode: str = "2026-09-30") -> str:
    """The correction page, in the administrators' section (Django's admin)."""
    return reverse("admin:indicatoren_publicatie_corrigeren", args=[gemeente_code, periode])


NOTE = "Aanwezigheid van twee activiteiten in augustus was te laat ingevoerd."


def test_a_correction_is_version_2_with_its_note_and_version_1_stays(
    client, login, administrator, buurt, q3
):
    gemeente = buurt.wijk.gemeente.code
    took_part_on(buurt, date(2026, 8, 20), 2)
    admin = login(administrator)
    form = admin.get(corrigeren_url(gemeente)).content.decode()
    assert "versie 1, gepubliceerd op 1 okt 2026 03:30" in form
    with time_machine.travel(datetime(2026, 10, 14, 10, 0, tzinfo=AMSTERDAM), tick=False):
        response = admin.post(corrigeren_url(gemeente), {"notitie": NOTE})
    assert response.url == reverse("admin:indicatoren_publicatie_changelist")
    assert published_quarters() == [(*Q3, 1), (*Q3, 2)]
    client.logout()

    latest = client.get(export_url(gemeente, "2026-09-30", "json")).json()
    assert bereik_n(latest, buurt.code) == 12
    assert latest["publicatie"]["versie"] == 2
    assert latest["publicatie"]["correcties"] == [f"gecorrigeerd op 14 okt 2026: {NOTE}"]
    assert [v["versie"] for v in latest["publicatie"]["versies"]] == [1, 2]
    first = client.get(export_url(gemeente, "2026-09-30", "json") + "?versie=1").json()
    assert bereik_n(first, buurt.code) == 10
    assert (first["publicatie"]["versie"], first["publicatie"]["laatste_versie"]) == (1, 2)
    assert first["publicatie"]["correcties"] == []
    # The CSV says which version it is; the API serves the same.
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(export_url(gemeente, "2026-Q3", "csv") + "?versie=1").content.decode()
            )
        )
    )
    assert {(r["kwartaal"], r["versie"], r["correcties"]) for r in rows} == {("2026-Q3", "1", "")}
    latest_rows = list(
        csv.DictReader(
            io.StringIO(client.get(export_url(gemeente, "2026-Q3", "csv")).content.decode())
        )
    )
    assert {(r["versie"], r["correcties"]) for r in latest_rows} == {
        ("2", f"gecorrigeerd op 14 okt 2026: {NOTE}")
    }
    assert {r["gepubliceerd_op"] for r in latest_rows} == {"2026-10-14T10:00:00+02:00"}
    api = reverse("api-indicatoren-gemeente", args=[gemeente])
    assert client.get(api).json()["publicatie"]["correcties"] == latest["publicatie"]["correcties"]
    assert bereik_n(client.get(api, {"versie": "1"}).json(), buurt.code) == 10
    # The list of downloads shows the version, its date, the note, and the earlier version.
    index = client.get(reverse("indicatoren:open-data")).content.decode()
    assert "versie 2, gepubliceerd op 14 okt 2026" in index
    assert f"gecorrigeerd op 14 okt 2026: {NOTE}" in index
    assert "?versie=1" in index
    assert "Corrigeren" not in index  # the public gets no correction link
    # A numbered version is final and may be cached long; the latest is rechecked within
    # minutes, so a correction does not hide behind an hour of cache.
    numbered = client.get(export_url(gemeente, "2026-Q3", "json") + "?versie=1")
    assert "max-age=86400" in numbered["Cache-Control"]
    assert "max-age=300" in client.get(export_url(gemeente, "2026-Q3", "json"))["Cache-Control"]
    # The administrators' list names the quarter as people do, and offers a correction only on
    # the version in force.
    admin = login(administrator)
    changelist = admin.get(reverse("admin:indicatoren_publicatie_changelist")).content.decode()
    assert "jul–sep 2026, versie 1" in changelist and "jul–sep 2026, versie 2" in changelist
    assert changelist.count(">Corrigeren</a>") == 1
    assert "vervangen door versie 2" in changelist


def test_a_correction_that_changes_nothing_publishes_no_version(login, administrator, buurt, q3):
    response = login(administrator).post(
        corrigeren_url(buurt.wijk.gemeente.code), {"notitie": NOTE}
    )
    assert response.status_code == 200
    assert "niet veranderd: er is niets te corrigeren" in response.content.decode()
    assert published_quarters() == [(*Q3, 1)]
    assert Snapshot.objects.filter(publicatie__versie=2).count() == 0


@pytest.mark.parametrize("notitie", ["", "   ", "x" * 501])
def test_a_correction_without_a_proper_note_is_refused(login, administrator, buurt, q3, notitie):
    response = login(administrator).post(
        corrigeren_url(buurt.wijk.gemeente.code), {"notitie": notitie}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert published_quarters() == [(*Q3, 1)]


@pytest.mark.parametrize("role", ["coordinator", "bewoner", "politie"])
def test_only_administrators_may_correct(login, wijk, buurt, q3, role):
    user = factories.UserFactory() if role == "bewoner" else factories.professional(role, wijk)
    client = login(user)
    for method in (client.get, client.post):
        response = method(corrigeren_url(buurt.wijk.gemeente.code), {"notitie": NOTE})
        # Django's admin keeps its own gate: it sends others to its sign-in.
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    with pytest.raises(PermissionDenied):
        services.publicatie_correct(publicatie=q3, by=user, notitie=NOTE)
    assert published_quarters() == [(*Q3, 1)]


def test_a_coordinator_with_admin_access_may_still_not_correct(login, wijk, buurt, q3):
    staff = factories.professional("coordinator", wijk, is_staff=True)
    client = login(staff)
    assert client.get(corrigeren_url(buurt.wijk.gemeente.code)).status_code == 403
    assert client.post(corrigeren_url(buurt.wijk.gemeente.code), {"notitie": NOTE}).status_code == (
        403
    )
    assert published_quarters() == [(*Q3, 1)]


def test_the_publications_admin_links_each_row_to_its_correction(login, buurt, q3):
    superuser = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    page = login(superuser).get(reverse("admin:indicatoren_publicatie_changelist")).text
    assert corrigeren_url(buurt.wijk.gemeente.code) in page
    assert 'href="' + reverse("admin:indicatoren_publicatie_add") not in page  # final: no adding


def test_anonymous_visitors_are_asked_to_sign_in_to_correct(client, buurt, q3):
    response = client.post(corrigeren_url(buurt.wijk.gemeente.code), {"notitie": NOTE})
    assert response.url.startswith(reverse("admin:login"))
    assert published_quarters() == [(*Q3, 1)]


@pytest.mark.parametrize(
    ("gemeente_code", "periode"),
    [
        ("GM0599", "2026-09-30"),  # another gemeente: it has no such publication
        ("GM0363", "2026-06-30"),  # a quarter that was not published
        ("GM0363", "2026-10-31"),  # not a quarter
        ("GM0363", "gisteren"),
    ],
)
def test_correcting_what_was_not_published_is_not_found(
    login, administrator, buurt, q3, gemeente_code, periode
):
    factories.GemeenteFactory(code="GM0599", naam="Rotterdam")
    assert buurt.wijk.gemeente.code == "GM0363"
    client = login(administrator)
    response = client.post(corrigeren_url(gemeente_code, periode), {"notitie": NOTE})
    assert response.status_code == 404
    assert published_quarters() == [(*Q3, 1)]


# --- Bad versions and periods in the downloads ---------------------------------------------------
@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ("?versie=twee", 400, "Onbekende versie"),
        ("?versie=0", 400, "Onbekende versie"),
        ("?versie=-1", 400, "Onbekende versie"),
        ("?versie=%00", 400, ""),  # refused before the view, by the site's own guard
        ("?versie=", 400, "Onbekende versie"),
        ("?versie=3", 404, "geen versie 3"),
        ("?versie=1", 200, ""),
    ],
)
def test_a_bad_version_gets_a_clear_answer(client, published, query, status, text):
    response = client.get(export_url("GM0363", "2026-09-30", "csv") + query)
    assert response.status_code == status
    assert text in response.content.decode()


@pytest.mark.parametrize(
    ("periode", "status"),
    [("2026-Q3", 200), ("2026-q3", 200), ("2026-Q2", 404), ("2026-Q0", 400), ("2026-10-31", 404)],
)
def test_a_quarter_is_named_by_its_last_day_or_its_name(client, published, periode, status):
    assert client.get(export_url("GM0363", periode, "json")).status_code == status


# --- The residents' page --------------------------------------------------------------------------
def test_residents_see_the_latest_published_quarter_not_the_live_figure(
    login, member, buurt, django_capture_on_commit_callbacks
):
    """12 volunteers in Q3 (of 1,000 residents of 15+; the target is 200); 30 more in November.
    The page says 188 more are needed until the next quarter is published, whatever the live
    figure does in between: a daily figure would tell the buurt who joined yesterday."""
    with time_machine.travel(AFTER_Q3 - timedelta(days=20), tick=False):
        took_part_on(buurt, date(2026, 8, 12), 12, rol=True)
    nightly(AFTER_Q3, django_capture_on_commit_callbacks)
    took_part_on(buurt, date(2026, 11, 2), 30, rol=True)
    page = reverse("indicatoren:mijn-buurt")
    for day in (date(2026, 11, 3), date(2026, 12, 31)):
        moment = datetime(day.year, day.month, day.day, 3, 30, tzinfo=AMSTERDAM)
        nightly(moment, django_capture_on_commit_callbacks)
        live = Snapshot.objects.get(publicatie__isnull=True, buurt=buurt, periode_eind=day)
        assert live.waarden["actieve_kern"]["n"] == 42
        with time_machine.travel(moment, tick=False):
            content = login(member).get(page).content.decode()
        assert "In het laatste kwartaal (jul–sep 2026):" in content
        assert "Nog 188 buren erbij en we halen 20%." in content
        assert "Cijfers over het laatste afgesloten kwartaal (jul–sep 2026)" in content
    # On New Year's Day the new quarter is published, and the page moves on once.
    nightly(datetime(2027, 1, 1, 3, 30, tzinfo=AMSTERDAM), django_capture_on_commit_callbacks)
    with time_machine.travel(datetime(2027, 1, 1, 9, 0, tzinfo=AMSTERDAM), tick=False):
        content = login(member).get(page).content.decode()
    assert "In het laatste kwartaal (okt–dec 2026):" in content
    assert "Nog 170 buren erbij en we halen 20%." in content  # 30 in Q4: 200 - 30


def test_still_needed_is_not_given_for_a_kern_hidden_to_protect_a_neighbour(wijk, compute):
    """ "Nog N buren erbij" would give the hidden actieve kern away: with the figure suppressed
    (here to protect the small buurt next door) the computation stores no number."""
    small = factories.BuurtFactory(wijk=wijk)
    large = factories.BuurtFactory(wijk=wijk)
    day = timezone.localdate() - timedelta(days=30)
    took_part_on(small, day, 5, rol=True)
    took_part_on(large, day, 12, rol=True)
    figures = compute(wijk.gemeente)
    assert figures[("buurt", large.pk)]["actieve_kern"]["onderdrukt"] is True
    assert figures[("buurt", large.pk)]["actieve_kern_nodig"]["waarde"] is None
