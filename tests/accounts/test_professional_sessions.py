"""Sessions of the roles that can reveal reporters follow OWASP ASVS L2: signed out after 30
minutes without a request and after 12 hours in all; revealing a reporter asks for a recent
sign-in. Residents keep "remember me"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from meldingen.models import Doel, Inzage, Melder, RoutingRegel
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def signed_in(response) -> bool:
    return response.status_code == 200 and response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("role", ["politie", "handhaving", "coordinator"])
def test_thirty_minutes_idle_signs_a_professional_out(clock, login, wijk, role):
    client = login(factories.professional(role, wijk))
    assert signed_in(client.get("/"))
    clock.shift(timedelta(minutes=29))
    assert signed_in(client.get("/"))  # activity: the 30 minutes start again
    clock.shift(timedelta(minutes=29))
    assert signed_in(client.get("/"))

    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("meldingen:feed"), follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[0][0] == (
        reverse("account_login") + "?next=" + reverse("meldingen:feed").replace("/", "%2F")
    )
    assert "niet actief en bent uitgelogd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_administrator_is_signed_out_too(clock, login):
    client = login(factories.UserFactory(role="beheerder", is_staff=True))
    assert client.get("/").wsgi_request.user.is_authenticated
    clock.shift(timedelta(minutes=31))
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_twelve_hours_in_all_even_when_active(clock, login, wijk):
    client = login(factories.professional("politie", wijk))
    for _quarter in range(12 * 4 - 1):
        clock.shift(timedelta(minutes=15))
        assert signed_in(client.get("/"))
    clock.shift(timedelta(minutes=16))  # 12 h 1 min after signing in
    response = client.get("/", follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "langer dan een werkdag ingelogd" in response.content.decode()


def test_a_new_sign_in_starts_the_clock_again(clock, client, wijk):
    from accounts.demo import current_totp_code

    police = factories.professional("politie", wijk)

    def sign_in():
        client.post(reverse("account_login"), {"login": police.email, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": current_totp_code(police)})

    sign_in()
    for _step in range(35):  # 11 h 40 min of work
        clock.shift(timedelta(minutes=20))
        assert signed_in(client.get("/"))
    client.post(reverse("account_logout"))
    clock.shift(timedelta(minutes=1))  # the next 30 s TOTP window
    sign_in()
    for _step in range(3):  # an hour more: 12 h 41 min after the first sign-in
        clock.shift(timedelta(minutes=20))
        assert signed_in(client.get("/"))


def test_residents_stay_signed_in(clock, login, member):
    client = login(member)
    clock.shift(timedelta(days=3))
    assert signed_in(client.get(reverse("meldingen:mijn")))


def test_revealing_a_reporter_asks_for_a_recent_sign_in(clock, login, buurt):
    police = factories.professional("politie", buurt.wijk)
    categorie = factories.CategorieFactory(naam="Verdachte situatie (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    melding = factories.melding(buurt=buurt, categorie=categorie, bescherming="contact")
    melder = Melder.objects.get(melding=melding)
    url = reverse("meldingen:inzage", kwargs={"pk": melder.pk})
    reason = {"grond": "aangifte", "reden": "2026-123456"}
    client = login(police)

    clock.shift(timedelta(minutes=10))
    assert signed_in(client.get(reverse("meldingen:detail", kwargs={"pk": melding.pk})))
    asked = client.post(url, reason)
    assert asked.status_code == 302
    assert asked.url.startswith(reverse("account_reauthenticate"))
    assert not Inzage.objects.exists()

    # Signing in again sends the held request on: the reveal happens, once.
    done = client.post(asked.url, {"password": PASSWORD}, follow=True)
    assert melder.user.email in done.content.decode()
    assert Inzage.objects.count() == 1
    # Within the window a second reveal needs no new sign-in.
    again = client.post(url, reason)
    assert again.url.startswith("/meldingen/inzage/")
