"""The demo a newcomer gets from `make run`: refused without DEBUG, and the same state whatever
the moment of seeding."""

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Role, User
from activiteiten.models import Aanmelding, Activiteit
from buurten.models import Buurt, Gemeente, Lidmaatschap, Wijk
from indicatoren import kwartaal
from indicatoren.bereid import paden
from indicatoren.demo import HISTORY, HISTORY_EMAIL_PREFIX, WIJKEN
from indicatoren.models import Niveau, Peiling, Publicatie, Respons, Snapshot
from indicatoren.selectors import snapshots_for, starter_counts
from meldingen.models import Melding, StatusWijziging
from meldingen.workflow import Status
from verzoeken.models import Verzoek
from verzoeken.workflow import Status as VerzoekStatus

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A newcomer may run `make run` at any moment: these are the ones that broke it or could.
AWKWARD_MOMENTS = {
    "03:30 at night": datetime(2027, 1, 14, 3, 30, tzinfo=AMSTERDAM),
    "23:30, police on night duty": datetime(2027, 1, 14, 23, 30, tzinfo=AMSTERDAM),
    "summer time starts": datetime(2027, 3, 28, 1, 30, tzinfo=UTC),  # 03:30 CEST, 02:xx skipped
    "summer time ends": datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the first 02:30 of two
    "New Year's Eve 23:50": datetime(2026, 12, 31, 23, 50, tzinfo=AMSTERDAM),
    "leap day": datetime(2028, 2, 29, 12, 0, tzinfo=AMSTERDAM),
}


@pytest.mark.django_db
@pytest.mark.parametrize("moment", AWKWARD_MOMENTS.values(), ids=AWKWARD_MOMENTS.keys())
def test_seed_demo_creates_every_role_and_can_run_again(settings, moment):
    settings.DEBUG = True
    data = BASE_DIR / "data" / "amsterdam"
    with time_machine.travel(moment, tick=True):
        call_command(
            "import_buurten",
            str(data / "kerncijfers_wijken_buurten_2024.csv"),
            verbosity=0,
        )
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        _assert_demo_state()


def _assert_demo_state():
    """The state the README promises a newcomer, whatever the moment of seeding."""
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {Role.BEWONER, Role.COORDINATOR, Role.POLITIE, Role.HANDHAVING, Role.BEHEERDER}
    assert User.objects.filter(email="coordinator@demo.wijkaanpak.nl").exists()
    # The demo accounts (the indicator history adds neighbours who cannot sign in).
    accounts = Lidmaatschap.objects.exclude(user__email__startswith=HISTORY_EMAIL_PREFIX)
    member_buurten = accounts.filter(status="lid").values("buurt").distinct().count()
    assert member_buurten == 3
    assert accounts.filter(status="lid").count() == 7
    assert Lidmaatschap.objects.filter(status="aangevraagd").count() == 1
    assert Buurt.objects.count() == 517
    # Meldingen in every state a newcomer should see, made once.
    statuses = set(Melding.objects.values_list("status", flat=True))
    assert statuses == set(Status.values) - {Status.ONTVANGEN}
    assert Melding.objects.exclude(wat__contains=HISTORY).count() == 9
    # Nothing closed or changed in the future (the retention job counts from closed_at).
    assert not Melding.objects.filter(closed_at__gt=timezone.now()).exists()
    assert not StatusWijziging.objects.filter(created_at__gt=timezone.now()).exists()
    # The "Avondronde" is an evening round, whatever time the demo was seeded.
    rondes = Activiteit.objects.filter(titel="Avondronde Westelijke eilanden")
    assert {timezone.localtime(a.start).hour for a in rondes} == {21}
    # Indicator history: published quarters (version 1 each, every one ended, the last ended
    # one included), an open round one answer short of 30 in the demo resident's buurt, and
    # suppression visible from the first run.
    gemeente = Gemeente.objects.get(code="GM0363")
    quarters = list(
        Publicatie.objects.filter(gemeente=gemeente).values_list(
            "periode_start", "periode_eind", "versie"
        )
    )
    assert len(quarters) >= 6 and {versie for _s, _e, versie in quarters} == {1}
    assert max(eind for _s, eind, _v in quarters) == kwartaal.last_ended()[1]
    assert all(kwartaal.is_quarter(start, eind) for start, eind, _v in quarters)
    assert Snapshot.objects.filter(
        publicatie__isnull=True, periode_eind=timezone.localdate()
    ).exists()
    assert Peiling.objects.filter(gesloten_at__isnull=True).count() == 1
    # Titled as a coordinator would: every buurt of the wijk is invited, so no wijk name.
    open_round = Peiling.objects.get(gesloten_at__isnull=True)
    assert open_round.titel.startswith("Buurtpeiling ") and open_round.wijk.naam not in (
        open_round.titel
    )
    assert (
        Respons.objects.filter(peiling__gesloten_at__isnull=True, buurt__code="BU0363AA02").count()
        == 29
    )
    demo = Snapshot.objects.filter(buurt__code="BU0363AA02", publicatie__isnull=False).latest(
        "periode_eind"
    )
    assert demo.waarden["bereik"]["onderdrukt"] is False
    shown = Snapshot.objects.filter(
        niveau="buurt", buurt__wijk__code__in=["WK0363AA", "WK0363AB"], publicatie__isnull=False
    ).values_list("waarden", flat=True)
    assert any(w["sociale_cohesie"]["onderdrukt"] for w in shown)
    assert any(not w["sociale_cohesie"]["onderdrukt"] for w in shown)
    # Activities (upcoming, with a waiting list, and a past one with attendance) and a
    # facilitation request in every state.
    assert set(Verzoek.objects.values_list("status", flat=True)) == set(VerzoekStatus.values)
    assert Aanmelding.objects.filter(status="wachtlijst").exists()
    assert Aanmelding.objects.filter(aanwezig=True, uren__gt=0).exists()
    # Van bereid naar actief: the change since the previous round shows, and starters with
    # counts above and below the minimum, whatever the hour of seeding.
    wijken = Wijk.objects.filter(code__in=WIJKEN)
    gemeente = Gemeente.objects.get(code="GM0363")
    snapshots = list(snapshots_for(gemeente=gemeente, niveau=Niveau.BUURT, wijken=wijken))
    buurten = list(Buurt.objects.filter(wijk__in=wijken).select_related("wijk"))
    assert any(pad.verandering is not None for pad in paden(buurten, snapshots))
    starters = {
        (row["peiling"].wijk.code, row["aangemeld"], row["meegedaan"])
        for row in starter_counts(wijken)
        if row["aangemeld"]
    }
    assert starters == {("WK0363AA", 14, 10), ("WK0363AA", 6, 2), ("WK0363AB", 11, 4)}


@pytest.mark.django_db
def test_demo_meldingen_have_points_inside_their_buurt_the_same_at_every_run(settings):
    """With the shapes `make run` imports, most demo meldingen get a point, each inside its own
    buurt (the shape test the address search uses) and derived from the shape, not drawn at
    random; the street (what residents may see) is filled where the place names one, the
    handlers' address left empty."""
    from buurten import geometrie
    from meldingen import demo

    settings.DEBUG = True
    data = BASE_DIR / "data" / "amsterdam"
    call_command(
        "import_buurten",
        str(data / "kerncijfers_wijken_buurten_2024.csv"),
        gebieden=str(data / "buurten_gebieden.csv"),
        verbosity=0,
    )
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    made = (
        Melding.objects.filter(waar__in=[row[5] for row in demo.DEMO])
        .select_related("buurt")
        .order_by("pk")
    )
    assert made.count() == len(demo.DEMO)
    with_point = [m for m in made if m.latitude is not None]
    assert len(with_point) >= len(demo.DEMO) - 1
    for melding in with_point:
        found = geometrie.buurt_at(Buurt.objects.all(), melding.latitude, melding.longitude)
        assert found == (melding.buurt, "vorm"), melding.waar
    assert len({(m.latitude, m.longitude) for m in with_point}) == len(with_point)
    # The same point at every run: derived from the shape.
    first = with_point[0]
    index = [m.pk for m in with_point if m.buurt_id == first.buurt_id].index(first.pk)
    assert demo.demo_point(first.buurt, index) == (first.latitude, first.longitude)
    assert all(m.straat == demo.STRATEN.get(m.waar, "") and not m.adres for m in made)
    assert sum(bool(m.straat) for m in made) >= len(demo.DEMO) - 1
    assert not made.filter(waar__in=demo.ZONDER_PUNT, latitude__isnull=False).exists()
