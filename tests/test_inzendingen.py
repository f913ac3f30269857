"""A form that makes something is sent once (``accounts.inzendingen``): a double click, or a
phone sending the same post again on a weak network, makes one melding, request or activity,
not two with two receipts, two routings and two alerts."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from activiteiten.models import Activiteit
from meldingen.models import Melding, Outbox
from tests import factories
from tests.activiteiten.test_views import form_data as activiteit_data
from tests.meldingen.test_views import form_data as melding_data
from tests.verzoeken.test_views import form_data as verzoek_data
from verzoeken.models import Verzoek

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="inzending" value="([0-9a-f]{32})"')


def token_of(client, url) -> str:
    """The one-time token of the form as the page gives it."""
    [token] = TOKEN.findall(client.get(url).content.decode())
    return token


@pytest.fixture
def categorie():
    return factories.CategorieFactory(naam="Fietsendiefstal (eenmalig)")


def test_every_page_of_a_form_has_a_token_of_its_own(login, member, categorie):
    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    assert token_of(client, url) != token_of(client, url)


def test_a_melding_sent_twice_is_saved_once(login, member, categorie):
    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    data = melding_data(inzending=token_of(client, url))

    first = client.post(url, data)
    again = client.post(url, data, follow=True)

    melding = Melding.objects.get()
    assert first.url == reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk})
    assert again.redirect_chain == [(reverse("meldingen:mijn"), 302)]
    assert "Deze melding was al verstuurd en is één keer opgeslagen." in again.content.decode()
    assert Outbox.objects.count() == 1  # routed once
    # A new page of the form is a new melding.
    client.post(url, melding_data(inzending=token_of(client, url)))
    assert Melding.objects.count() == 2


def test_a_form_sent_back_with_errors_can_be_sent_again_with_its_token(login, member, categorie):
    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    token = token_of(client, url)

    refused = client.post(url, melding_data(inzending=token, wat=""))
    assert refused.status_code == 200 and f'value="{token}"' in refused.content.decode()
    fixed = client.post(url, melding_data(inzending=token))

    assert fixed.status_code == 302 and Melding.objects.count() == 1


def test_a_token_is_the_senders_own(login, member, buurt, categorie):
    """Another resident's token (from a shared computer's history, say) is not theirs: it
    makes their melding as any new form would, and tells nothing of the first."""
    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    token = token_of(client, url)
    client.post(url, melding_data(inzending=token))

    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    response = login(neighbour).post(url, melding_data(inzending=token))

    assert response.status_code == 302 and Melding.objects.count() == 2


def test_a_request_and_an_activity_sent_twice_are_saved_once(login, member):
    client = login(member)
    for url, data, model, message in (
        (
            reverse("verzoeken:nieuw"),
            verzoek_data(),
            Verzoek,
            "Dit verzoek was al verstuurd en is één keer opgeslagen.",
        ),
        (
            reverse("activiteiten:nieuw"),
            activiteit_data(),
            Activiteit,
            "Deze activiteit was al verstuurd en staat er één keer op.",
        ),
    ):
        data["inzending"] = token_of(client, url)
        assert client.post(url, data).status_code == 302
        again = client.post(url, data, follow=True)
        assert model.objects.count() == 1
        assert message in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_once_make_one_melding(member, categorie):
    """A double tap sends both posts before either answers: the second waits for the first's
    transaction and then finds its token taken."""
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once need the real database")
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(member)
    data = melding_data(inzending=token_of(clients[0], url))
    answers, start = [], threading.Barrier(2)

    def post(client):
        start.wait()
        try:
            answers.append(client.post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [302, 302]
    assert Melding.objects.count() == 1
    assert sorted(answer.url for answer in answers) == sorted(
        [
            reverse("meldingen:mijn"),
            reverse("meldingen:mijn-detail", args=[Melding.objects.get().pk]),
        ]
    )


def test_claims_are_forgotten_after_a_day_even_when_nobody_sends_a_form(login, member, categorie):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from accounts.models import Inzending
    from accounts.tasks import forget_inzendingen

    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    client.post(url, melding_data(inzending=token_of(client, url)))
    assert Inzending.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=23), tick=False):
        assert forget_inzendingen() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert forget_inzendingen() == 1
    assert not Inzending.objects.exists()
