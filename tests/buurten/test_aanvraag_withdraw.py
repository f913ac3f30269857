"""A resident withdraws their pending join request, and buurt pages say why they cannot ask
to join while one is pending elsewhere."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from buurten import services
from buurten.models import Lidmaatschap
from tests import factories

pytestmark = pytest.mark.django_db


def detail(buurt):
    return reverse("buurten:detail", kwargs={"code": buurt.code})


def intrekken(lidmaatschap):
    return reverse("buurten:aanvraag-intrekken", kwargs={"pk": lidmaatschap.pk})


@pytest.fixture
def pending(resident, buurt):
    return services.aanvraag_create(user=resident, buurt=buurt)


def status(lidmaatschap):
    lidmaatschap.refresh_from_db()
    return lidmaatschap.status


# --- service -------------------------------------------------------------------------------


def test_withdrawing_ends_the_aanvraag_and_the_resident_may_ask_elsewhere(
    resident, pending, other_buurt
):
    services.aanvraag_withdraw(lidmaatschap=pending, user=resident)
    assert status(pending) == Lidmaatschap.Status.INGETROKKEN
    again = services.aanvraag_create(user=resident, buurt=other_buurt)
    assert again.status == Lidmaatschap.Status.AANGEVRAAGD


def test_withdrawing_never_ends_a_membership_approved_in_the_meantime(
    resident, pending, coordinator
):
    services.aanvraag_decide(lidmaatschap=pending, by=coordinator, approve=True)
    with pytest.raises(ValidationError, match="intussen goedgekeurd"):
        services.aanvraag_withdraw(lidmaatschap=pending, user=resident)
    assert status(pending) == Lidmaatschap.Status.LID


def test_a_decided_or_withdrawn_aanvraag_cannot_be_withdrawn(resident, pending, coordinator):
    services.aanvraag_decide(lidmaatschap=pending, by=coordinator, approve=False, reden="Nee")
    with pytest.raises(ValidationError, match="loopt niet meer"):
        services.aanvraag_withdraw(lidmaatschap=pending, user=resident)
    assert status(pending) == Lidmaatschap.Status.AFGEWEZEN


def test_nobody_withdraws_someone_elses_aanvraag(pending):
    with pytest.raises(PermissionDenied):
        services.aanvraag_withdraw(lidmaatschap=pending, user=factories.UserFactory())
    assert status(pending) == Lidmaatschap.Status.AANGEVRAAGD


# --- view, per role ------------------------------------------------------------------------


def test_resident_withdraws_from_the_buurt_page_and_may_then_join(login, resident, pending, buurt):
    client = login(resident)
    page = client.get(detail(buurt)).content.decode()
    assert "Je aanvraag om lid te worden van deze buurt loopt" in page
    assert f'action="{intrekken(pending)}"' in page

    response = client.post(intrekken(pending), {"next": detail(buurt)}, follow=True)
    assert response.redirect_chain == [(detail(buurt), 302)]
    html = response.content.decode()
    assert f"Je aanvraag voor {buurt.naam} is ingetrokken." in html
    assert "Vraag lidmaatschap aan" in html
    assert status(pending) == Lidmaatschap.Status.INGETROKKEN


def test_resident_withdraws_from_the_start_page(login, resident, pending, buurt):
    client = login(resident)
    home = client.get("/").content.decode()
    assert "Je aanvraag loopt" in home
    assert f'action="{intrekken(pending)}"' in home
    response = client.post(intrekken(pending), {"next": "/"}, follow=True)
    assert "is ingetrokken" in response.content.decode()
    assert "Word lid van je buurt" in response.content.decode()
    assert status(pending) == Lidmaatschap.Status.INGETROKKEN


def test_a_foreign_next_address_is_ignored(login, resident, pending):
    response = login(resident).post(intrekken(pending), {"next": "https://example.com/"})
    assert response.url == "/"
    assert status(pending) == Lidmaatschap.Status.INGETROKKEN


@pytest.mark.parametrize("target", ["abc", "home", "//example.com/", "/\\example.com"])
def test_a_next_that_is_no_path_here_goes_home(login, resident, pending, target):
    # "abc" passes the host check, and redirect() read it as a URL name: a 500 after the action.
    response = login(resident).post(intrekken(pending), {"next": target}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "is ingetrokken" in response.content.decode()
    assert status(pending) == Lidmaatschap.Status.INGETROKKEN


@pytest.mark.parametrize("role", ["other_resident", "member"])
def test_someone_elses_aanvraag_is_404(request, login, pending, role):
    user = factories.UserFactory() if role == "other_resident" else request.getfixturevalue(role)
    assert login(user).post(intrekken(pending)).status_code == 404
    assert status(pending) == Lidmaatschap.Status.AANGEVRAAGD


def test_a_member_cannot_end_their_membership_through_withdrawing(login, member):
    lidmaatschap = Lidmaatschap.objects.get(user=member)
    response = login(member).post(intrekken(lidmaatschap), follow=True)
    assert "intussen goedgekeurd" in response.content.decode()
    assert status(lidmaatschap) == Lidmaatschap.Status.LID


@pytest.mark.parametrize("role", ["coordinator", "police", "enforcement"])
def test_professionals_may_not_withdraw(request, login, pending, role):
    assert login(request.getfixturevalue(role)).post(intrekken(pending)).status_code == 403
    assert status(pending) == Lidmaatschap.Status.AANGEVRAAGD


def test_withdrawing_needs_login_and_a_post(client, login, resident, pending):
    anonymous = client.post(intrekken(pending))
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous.url
    assert login(resident).get(intrekken(pending)).status_code == 405
    assert status(pending) == Lidmaatschap.Status.AANGEVRAAGD


# --- other buurt pages say why there is no join box -----------------------------------------


def test_a_pending_aanvraag_elsewhere_is_named_on_other_buurt_pages(
    login, resident, pending, buurt, other_buurt
):
    client = login(resident)
    html = client.get(detail(other_buurt)).content.decode()
    assert "Vraag lidmaatschap aan" not in html
    assert "Je hebt al gevraagd om lid te worden van" in html
    assert f'<a href="{detail(buurt)}">{buurt.naam}</a>' in html
    assert f'action="{intrekken(pending)}"' in html
    assert f"Aanvraag voor {buurt.naam} intrekken" in html

    back = client.post(intrekken(pending), {"next": detail(other_buurt)}, follow=True)
    assert back.redirect_chain == [(detail(other_buurt), 302)]
    assert "Vraag lidmaatschap aan" in back.content.decode()


def test_a_member_elsewhere_is_told_why_they_cannot_join_here(login, member, buurt, other_buurt):
    html = login(member).get(detail(other_buurt)).content.decode()
    assert "Vraag lidmaatschap aan" not in html
    assert f'Je bent lid van <a href="{detail(buurt)}">{buurt.naam}</a>' in html
