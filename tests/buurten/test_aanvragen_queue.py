"""The coordinator's queue of aanvragen: what they can judge on, and deciding."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from buurten import services
from buurten.models import Lidmaatschap
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("buurten:aanvragen")


def besluit(lidmaatschap):
    return reverse("buurten:besluit", kwargs={"pk": lidmaatschap.pk})


def _pending(buurt, **user_fields):
    user = factories.UserFactory(**user_fields)
    return services.aanvraag_create(user=user, buurt=buurt, toelichting="Kinkerstraat 12")


def _item(html, lidmaatschap):
    """The queue entry of one request."""
    start = html.index(f'id="aanvraag-{lidmaatschap.pk}"')
    return html[start : html.index("</li>\n", html.index("</form>", start))]


def test_coordinator_sees_what_they_can_judge_on(login, coordinator, buurt, other_buurt):
    joined = timezone.make_aware(timezone.datetime(2025, 3, 4, 12))
    pending = _pending(buurt, weergavenaam="", date_joined=joined)
    html = login(coordinator).get(QUEUE).content.decode()
    item = _item(html, pending)

    assert f"Buur #{pending.user.pk}" in item
    assert f'href="mailto:{pending.user.email}"' in item
    assert ">bevestigd<" in item
    assert "Account sinds 4 mrt 2025" in item
    assert f"aangevraagd {timezone.localdate():%-d}" in item
    assert "0 buren staan in" in item
    assert "Kinkerstraat 12" in item
    assert "Eerder afgewezen" not in item
    assert "Was eerder geverifieerd lid" not in item
    assert "buren zien het nooit" in html


def test_queue_shows_an_unconfirmed_address_earlier_rejections_and_past_memberships(
    login, coordinator, buurt, other_buurt
):
    user = factories.UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    for reden in ("Onbekend adres", "Woont in Oost"):
        earlier = services.aanvraag_create(user=user, buurt=buurt)
        services.aanvraag_decide(lidmaatschap=earlier, by=coordinator, approve=False, reden=reden)
    factories.LidmaatschapFactory(user=user, buurt=other_buurt, status="beeindigd")
    pending = services.aanvraag_create(user=user, buurt=buurt)
    factories.LidmaatschapFactory(buurt=buurt)  # someone else's history says nothing about user

    item = _item(login(coordinator).get(QUEUE).content.decode(), pending)

    assert ">niet bevestigd<" in item
    assert "2 keer eerder afgewezen voor deze buurt, laatst op" in item
    assert "“Woont in Oost”" in item
    assert "Was eerder geverifieerd lid van een andere buurt." in item
    assert other_buurt.naam not in item  # which buurt is none of this coordinator's business
    assert "Was eerder geverifieerd lid van deze buurt." not in item


def test_queue_stays_a_few_queries_with_many_aanvragen(
    login, coordinator, buurt, django_assert_max_num_queries
):
    for _ in range(20):
        _pending(buurt)
    client = login(coordinator)
    with django_assert_max_num_queries(10):
        html = client.get(QUEUE).content.decode()
    assert html.count('id="aanvraag-') == 20


def test_approving_is_one_click(login, coordinator, buurt):
    pending = _pending(buurt)
    response = login(coordinator).post(besluit(pending), {"besluit": "goedkeuren"}, follow=True)
    assert "is nu lid van" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Lidmaatschap.Status.LID


def test_rejecting_asks_for_a_reason_in_a_separate_form(login, coordinator, buurt):
    pending = _pending(buurt)
    item = _item(login(coordinator).get(QUEUE).content.decode(), pending)
    # The approve form carries no reject button: one mis-click cannot reject.
    approve_form = item[item.index("<form") : item.index("</form>")]
    assert 'value="afwijzen"' not in approve_form
    assert "<details>" in item
    assert 'name="reden"' in item
    assert "required" in item


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"besluit": "afwijzen"}, "Geef een korte reden voor de afwijzing"),
        ({"besluit": "afwijzen", "reden": "   "}, "Geef een korte reden voor de afwijzing"),
        ({"besluit": "afwijzen", "reden": "x" * 201}, "De reden is te lang (maximaal 200 tekens)"),
        ({"besluit": "misschien", "reden": "Ooit"}, "Kies goedkeuren of afwijzen"),
    ],
)
def test_a_rejection_without_a_usable_reason_changes_nothing(
    login, coordinator, buurt, data, message
):
    pending = _pending(buurt)
    response = login(coordinator).post(besluit(pending), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Lidmaatschap.Status.AANGEVRAAGD
    assert pending.reden_afwijzing == ""
    assert pending.decided_by is None


def test_rejection_with_a_reason_is_kept_and_shown_to_the_resident(
    login, client, coordinator, buurt
):
    pending = _pending(buurt)
    response = login(coordinator).post(
        besluit(pending),
        {"besluit": "afwijzen", "reden": "  Kinkerstraat 12 hoort bij de buurt ernaast. "},
        follow=True,
    )
    assert "is afgewezen" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Lidmaatschap.Status.AFGEWEZEN
    assert pending.reden_afwijzing == "Kinkerstraat 12 hoort bij de buurt ernaast."
    assert pending.decided_by == coordinator

    home = login(pending.user).get("/").content.decode()
    assert "is niet goedgekeurd" in home
    assert "Reden: Kinkerstraat 12 hoort bij de buurt ernaast." in home


def test_an_old_rejection_without_a_reason_still_tells_the_resident(login, buurt):
    old = factories.LidmaatschapFactory(
        buurt=buurt, status="afgewezen", via="", decided_at=timezone.now() - timedelta(days=2)
    )
    home = login(old.user).get("/").content.decode()
    assert "is niet goedgekeurd" in home
    assert "Reden:" not in home


def test_deciding_on_a_aanvraag_in_another_area_is_404(login, coordinator, other_buurt):
    theirs = _pending(other_buurt)
    client = login(coordinator)
    assert client.post(besluit(theirs), {"besluit": "goedkeuren"}).status_code == 404
    rejected = client.post(besluit(theirs), {"besluit": "afwijzen", "reden": "Nee"})
    assert rejected.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Lidmaatschap.Status.AANGEVRAAGD
    assert theirs.user.email not in client.get(QUEUE).content.decode()


@pytest.mark.parametrize("role", ["resident", "member", "police", "enforcement"])
def test_deciding_is_forbidden_for_other_roles(request, login, buurt, role):
    pending = _pending(buurt)
    client = login(request.getfixturevalue(role))
    assert client.post(besluit(pending), {"besluit": "goedkeuren"}).status_code == 403
    reject = {"besluit": "afwijzen", "reden": "Nee"}
    assert client.post(besluit(pending), reject).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Lidmaatschap.Status.AANGEVRAAGD


def test_deciding_needs_login(client, buurt):
    pending = _pending(buurt)
    assert client.post(besluit(pending), {"besluit": "goedkeuren"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Lidmaatschap.Status.AANGEVRAAGD


def test_neighbours_vouching_never_see_the_applicants_address(login, buurt, member):
    pending = _pending(buurt)
    html = login(member).get(reverse("buurten:detail", kwargs={"code": buurt.code})).content
    assert pending.user.display_name in html.decode()
    assert pending.user.email not in html.decode()
    assert "Account sinds" not in html.decode()
