"""Every link in an e-mail is built from WIJKAANPAK_SITE_URL (``notificaties.soorten.site_url``):
not from the Host header of the request that caused it (an internal name behind the proxy) nor
from a Site row that says example.com. allauth's account mail included."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from meldingen.models import Doel, RoutingRegel
from notificaties.tasks import relay_notificaties
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SITE = "https://wijk.example.nl"
INTERNAL = "app-intern.local:8000"  # what the request's Host header says behind the proxy
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def site(settings):
    settings.WIJKAANPAK_SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app-intern.local"]
    return settings


@pytest.fixture
def internal(client):
    client.defaults["HTTP_HOST"] = INTERNAL
    return client


def sent(django_capture_on_commit_callbacks, action):
    with django_capture_on_commit_callbacks(execute=True):
        action()
    relay_notificaties()
    return list(mail.outbox)


def assert_on_site(message) -> list[str]:
    """Every link of ``message`` (text and HTML) leads to the site; returns them."""
    bodies = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    links = [link for body in bodies for link in LINK.findall(body)]
    assert links, "the message has a link"
    for link in links:
        assert link.startswith(f"{SITE}/"), link
    text = "\n".join([message.subject, *bodies])
    assert "example.com" not in text and "app-intern" not in text and "testserver" not in text
    return links


def test_the_verification_link_leads_to_the_site_and_works(
    site, internal, django_capture_on_commit_callbacks
):
    (message,) = sent(
        django_capture_on_commit_callbacks,
        lambda: internal.post(
            reverse("account_signup"),
            {"email": "sanne@example.org", "password1": PASSWORD, "password2": PASSWORD},
        ),
    )
    (link,) = assert_on_site(message)
    assert "wijk.example.nl" in message.body  # the site's name in the text: its address
    confirm = internal.get(link.removeprefix(SITE))
    assert confirm.status_code == 200  # the path is the real one, only the host is the site's


@pytest.mark.parametrize("existing", [True, False])
def test_a_password_reset_mail_leads_to_the_site(
    site, internal, existing, django_capture_on_commit_callbacks
):
    """For an account: the reset link; for an unknown address: the sign-up link."""
    email = factories.UserFactory().email if existing else "onbekend@example.org"
    (message,) = sent(
        django_capture_on_commit_callbacks,
        lambda: internal.post(reverse("account_reset_password"), {"email": email}),
    )
    links = assert_on_site(message)
    path = "/accounts/password/reset/key/" if existing else reverse("account_signup")
    assert any(link.startswith(SITE + path) for link in links)


def test_signing_up_with_a_taken_address_mails_links_to_the_site(
    site, internal, django_capture_on_commit_callbacks
):
    user = factories.UserFactory()
    (message,) = sent(
        django_capture_on_commit_callbacks,
        lambda: internal.post(
            reverse("account_signup"),
            {"email": user.email, "password1": PASSWORD, "password2": PASSWORD},
        ),
    )
    assert any("/accounts/password/reset/" in link for link in assert_on_site(message))


def test_a_receipt_links_to_the_site(site, internal, login, member):
    categorie = factories.CategorieFactory(naam="Fietsendiefstal (links)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    melding = factories.melding(user=member, categorie=categorie)
    relay_notificaties()
    (receipt,) = mail.outbox
    assert assert_on_site(receipt) == [f"{SITE}/meldingen/mijn/{melding.pk}/"]
