"""Vouching ("borgstelling") gives assurance: only members of standing vouch, a few times a
month, and the coordinator of the area is told and can undo an admission by vouching.

The rule lives in ``buurten.borgstelling``; these tests move the clock with time_machine.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from buurten import borgstelling, services
from buurten.models import Borgstelling, Lidmaatschap
from buurten.selectors import member_buurt
from notificaties.tasks import relay_notificaties
from tests import factories

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
# In UTC, so that START + 30 days is 30 times 24 hours also across the switch to summer time
# (wall-clock arithmetic on an Amsterdam time would land an hour short).
START = datetime(2026, 3, 2, 10, 0, tzinfo=AMS).astimezone(UTC)
QUEUE = reverse("buurten:aanvragen")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _approved(buurt, coordinator):
    """A resident the coordinator approved just now."""
    lidmaatschap = services.aanvraag_create(user=factories.UserFactory(), buurt=buurt)
    return services.aanvraag_decide(lidmaatschap=lidmaatschap, by=coordinator, approve=True)


def _asking(buurt, naam="Nieuwe buur"):
    user = factories.UserFactory(weergavenaam=naam)
    return services.aanvraag_create(user=user, buurt=buurt, toelichting="Kinkerstraat 3")


def _vouched_in(buurt, borgen, naam="Gevouchte buur"):
    lidmaatschap = _asking(buurt, naam)
    for borg in borgen:
        services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=borg)
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.via == Lidmaatschap.Via.BORGSTELLING
    return lidmaatschap


def _vouch_page(client, lidmaatschap):
    url = reverse("buurten:instaan", kwargs={"pk": lidmaatschap.pk})
    return client.post(url, follow=True).content.decode()


def test_two_flyer_code_members_cannot_vouch_a_third_in(clock, login, buurt):
    code = factories.UitnodigingscodeFactory(buurt=buurt)
    first, second = factories.UserFactory(), factories.UserFactory()
    for user in (first, second):
        services.lidmaatschap_join_with_code(user=user, code=code.code)
    clock.shift(timedelta(days=400))  # waiting does not make a flyer code proof of address
    third = _asking(buurt)

    for borg in (first, second):
        with pytest.raises(ValidationError, match="uitnodigingscode"):
            services.lidmaatschap_vouch(lidmaatschap=third, borg=borg)
        html = _vouch_page(login(borg), third)
        assert "Je bent lid geworden met een uitnodigingscode" in html

    third.refresh_from_db()
    assert third.status == Lidmaatschap.Status.AANGEVRAAGD
    assert not Borgstelling.objects.exists()
    # Without names to vouch for, no ids either: a request that is not there answers the same.
    existing = login(first).post(reverse("buurten:instaan", kwargs={"pk": third.pk}))
    missing = login(first).post(reverse("buurten:instaan", kwargs={"pk": third.pk + 1000}))
    assert existing.status_code == missing.status_code == 302
    assert existing.url == missing.url == buurt.get_absolute_url()
    for lidmaatschap in (third, Lidmaatschap(pk=third.pk + 1000)):
        assert "Je bent lid geworden met een uitnodigingscode" in _vouch_page(
            login(first), lidmaatschap
        )
    # Their buurt page explains why, and shows neither names nor buttons to vouch.
    page = login(first).get(buurt.get_absolute_url()).content.decode()
    assert "1 buur vraagt om lid te worden." in page
    assert "zegt niet waar iemand woont" in page
    assert "Nieuwe buur" not in page
    assert reverse("buurten:instaan", kwargs={"pk": third.pk}) not in page


def test_a_new_member_vouches_only_after_thirty_days(clock, login, buurt, coordinator):
    new = _approved(buurt, coordinator).user
    asking = _asking(buurt)

    clock.shift(borgstelling.STANDING_AFTER_APPROVAL - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="vanaf 1 april 2026"):
        services.lidmaatschap_vouch(lidmaatschap=asking, borg=new)
    page = login(new).get(buurt.get_absolute_url()).content.decode()
    assert "Je kunt voor buren instaan vanaf 1 april 2026, 30 dagen nadat je lid werd." in page
    assert not Borgstelling.objects.exists()

    clock.shift(timedelta(minutes=1))
    page = login(new).get(buurt.get_absolute_url()).content.decode()
    assert "Ik ken Nieuwe buur" in page
    assert "hoogstens 3 buren per 30 dagen" in page
    services.lidmaatschap_vouch(lidmaatschap=asking, borg=new)
    assert Borgstelling.objects.filter(borg=new).count() == 1


def test_a_member_vouches_for_at_most_three_neighbours_a_month(clock, login, buurt, member):
    asking = [_asking(buurt, f"Buur {n}") for n in range(4)]
    for lidmaatschap in asking[:3]:
        services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=member)
        clock.shift(timedelta(days=1))

    with pytest.raises(ValidationError, match="al voor 3 buren ingestaan"):
        services.lidmaatschap_vouch(lidmaatschap=asking[3], borg=member)
    html = _vouch_page(login(member), asking[3])
    assert "Je kunt weer instaan vanaf 1 april 2026." in html
    assert Borgstelling.objects.filter(borg=member).count() == 3

    clock.move_to(START + borgstelling.VOUCH_PERIOD + timedelta(minutes=1))
    services.lidmaatschap_vouch(lidmaatschap=asking[3], borg=member)
    assert Borgstelling.objects.filter(borg=member).count() == 4


def test_vouched_members_cannot_vouch_further_until_the_review_has_passed(clock, buurt):
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    vouched = _vouched_in(buurt, [first, second]).user
    next_one = _asking(buurt)

    clock.shift(borgstelling.STANDING_AFTER_APPROVAL + timedelta(days=1))
    with pytest.raises(ValidationError, match="vanaf 31 mei 2026, 90 dagen"):
        services.lidmaatschap_vouch(lidmaatschap=next_one, borg=vouched)

    clock.move_to(START + borgstelling.REVIEW_PERIOD + timedelta(minutes=1))
    services.lidmaatschap_vouch(lidmaatschap=next_one, borg=vouched)
    assert Borgstelling.objects.filter(borg=vouched).count() == 1


def test_the_coordinator_is_told_and_undoes_a_vouched_admission(
    clock, login, buurt, coordinator, django_capture_on_commit_callbacks
):
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        lidmaatschap = _vouched_in(buurt, [first, second], naam="Karel")
    resident = lidmaatschap.user

    told = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(told) == 1
    assert buurt.naam in told[0].subject
    assert "tot 31 mei 2026 terugdraaien" in told[0].body
    assert "Karel" not in told[0].body and resident.email not in told[0].body
    page = login(resident).get(buurt.get_absolute_url()).content.decode()
    assert "kan je lidmaatschap tot 31 mei 2026 terugdraaien" in page

    clock.shift(timedelta(days=10))
    client = login(coordinator)
    home = client.get(reverse("home")).content.decode()
    assert "1 bewoner werd lid doordat buren instonden" in home
    queue = client.get(QUEUE).content.decode()
    item = queue[queue.index(f'id="borgstelling-{lidmaatschap.pk}"') :]
    assert "Karel" in item
    assert f"{first.display_name} (2 mrt 2026), {second.display_name} (2 mrt 2026)" in item

    undo = reverse("buurten:borgstelling-terugdraaien", kwargs={"pk": lidmaatschap.pk})
    refused = client.post(undo, {"reden": "   "}, follow=True).content.decode()
    assert "Geef een korte reden voor het terugdraaien" in refused
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.LID

    done = client.post(undo, {"reden": "Dit adres hoort bij Oost."}, follow=True)
    assert f"Teruggedraaid: Karel is geen lid meer van {buurt.naam}." in done.content.decode()
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.AFGEWEZEN
    assert lidmaatschap.decided_by == coordinator
    assert member_buurt(resident) is None

    home = login(resident).get(reverse("home")).content.decode()
    assert "De wijkcoördinator heeft je lidmaatschap van" in home
    assert "Reden: Dit adres hoort bij Oost." in home
    # Undone once is undone: a second undo finds nothing.
    assert login(coordinator).post(undo, {"reden": "Nogmaals"}).status_code == 404

    # Asking again, the neighbours' word is not enough any more: the coordinator decides.
    again = services.aanvraag_create(user=resident, buurt=buurt)
    neighbour_page = login(first).get(buurt.get_absolute_url()).content.decode()
    assert reverse("buurten:instaan", kwargs={"pk": again.pk}) not in neighbour_page
    with pytest.raises(ValidationError, match="De coördinator beslist"):
        services.lidmaatschap_vouch(lidmaatschap=again, borg=first)
    page = login(resident).get(buurt.get_absolute_url()).content.decode()
    assert "buren kunnen niet meer voor je instaan" in page
    services.aanvraag_decide(lidmaatschap=again, by=coordinator, approve=True)
    assert member_buurt(resident) == buurt


@pytest.mark.parametrize(
    "who", ["coordinator_elsewhere", "police", "enforcement", "resident", "voucher", "member"]
)
def test_only_the_areas_coordinator_can_undo(
    clock, login, buurt, other_buurt, police, enforcement, who
):
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    lidmaatschap = _vouched_in(buurt, [first, second])
    user = {
        "coordinator_elsewhere": factories.professional("coordinator", other_buurt.wijk),
        "police": police,
        "enforcement": enforcement,
        "resident": lidmaatschap.user,
        "voucher": first,
        "member": factories.LidmaatschapFactory(buurt=buurt).user,
    }[who]
    undo = reverse("buurten:borgstelling-terugdraaien", kwargs={"pk": lidmaatschap.pk})
    missing = reverse("buurten:borgstelling-terugdraaien", kwargs={"pk": 999_999_999})
    client = login(user)
    assert client.post(undo, {"reden": "Weg ermee"}).status_code == 404
    assert client.post(missing, {"reden": "Weg ermee"}).status_code == 404
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.LID
    if who == "coordinator_elsewhere":
        assert "borgstelling-" not in client.get(QUEUE).content.decode()
        with pytest.raises(PermissionDenied):
            services.lidmaatschap_undo_vouched(lidmaatschap=lidmaatschap, by=user, reden="x")


def test_after_the_review_period_an_admission_stands(clock, login, buurt, coordinator):
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    lidmaatschap = _vouched_in(buurt, [first, second])
    clock.shift(borgstelling.REVIEW_PERIOD + timedelta(minutes=1))

    undo = reverse("buurten:borgstelling-terugdraaien", kwargs={"pk": lidmaatschap.pk})
    assert login(coordinator).post(undo, {"reden": "Te laat"}).status_code == 404
    assert "borgstelling-" not in login(coordinator).get(QUEUE).content.decode()
    with pytest.raises(ValidationError, match="niet \\(meer\\)"):
        services.lidmaatschap_undo_vouched(lidmaatschap=lidmaatschap, by=coordinator, reden="x")
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.LID


def test_an_approved_member_is_not_shown_for_undoing(clock, login, buurt, coordinator):
    approved = _approved(buurt, coordinator)
    undo = reverse("buurten:borgstelling-terugdraaien", kwargs={"pk": approved.pk})
    assert login(coordinator).post(undo, {"reden": "x"}).status_code == 404
    with pytest.raises(ValidationError):
        services.lidmaatschap_undo_vouched(lidmaatschap=approved, by=coordinator, reden="x")


def test_the_relay_tells_the_coordinator_once_when_the_broker_was_down(clock, buurt, coordinator):
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    # Without the on-commit callbacks the relay is never asked: as if the broker was down.
    lidmaatschap = _vouched_in(buurt, [first, second])
    assert not [m for m in mail.outbox if coordinator.email in m.to]

    relay_notificaties()  # beat's sweep
    relay_notificaties()

    told = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(told) == 1
    assert buurt.naam in told[0].subject
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.coordinators_notified_of_vouching_at is not None


def test_a_resident_asking_to_join_reads_the_rule(login, resident, buurt):
    services.aanvraag_create(user=resident, buurt=buurt)
    page = login(resident).get(buurt.get_absolute_url()).content.decode()
    assert "zelf al minstens 30 dagen lid en niet met een uitnodigingscode" in page
    assert "binnen 90 dagen terugdraaien, met een reden die je te zien krijgt" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_vouches_at_once_stay_within_the_limit():
    from tests.buurten.test_concurrency import run_at_once

    buurt = factories.BuurtFactory()
    member = factories.LidmaatschapFactory(buurt=buurt).user
    asking = [_asking(buurt, f"Buur {n}") for n in range(5)]

    outcomes = run_at_once(
        *[
            (lambda lid=lid: services.lidmaatschap_vouch(lidmaatschap=lid, borg=member))
            for lid in asking
        ]
    )

    assert sum(isinstance(o, Lidmaatschap) for o in outcomes) == borgstelling.VOUCHES_PER_PERIOD
    assert Borgstelling.objects.filter(borg=member).count() == borgstelling.VOUCHES_PER_PERIOD


def test_police_and_enforcement_see_no_applicants_of_their_area(buurt, police, enforcement):
    from buurten.selectors import aanvragen_to_decide, vouched_admissions_to_review

    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    _vouched_in(buurt, [first, second])
    _asking(buurt)
    for user in (police, enforcement):
        assert not aanvragen_to_decide(user).exists()
        assert not vouched_admissions_to_review(user).exists()
