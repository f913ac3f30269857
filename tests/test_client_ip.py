"""Per-address limits count the client, not the proxy in front of the site, and a client
cannot choose its own address with X-Forwarded-For (``wijkaanpak.proxies``)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from teamapi import throttling
from tests import factories
from tests.factories import PASSWORD
from wijkaanpak.proxies import client_ip, rate_limit_key

PROXY = "10.0.0.2"


def _request(remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.WIJKAANPAK_TRUSTED_PROXIES = ["10.0.0.0/8"]


def via_proxy(client_address, spoofed=""):
    """What our proxy passes on: the client's own header with the address it saw appended."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_without_trusted_proxies_the_header_is_never_believed(settings):
    settings.WIJKAANPAK_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(behind_proxy):
    assert client_ip(_request(PROXY, "198.51.100.7")) == "198.51.100.7"
    # What the client wrote itself stays to the left of what the proxy appended.
    assert client_ip(_request(PROXY, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # Two proxies of ours (a load balancer behind the TLS proxy).
    assert client_ip(_request(PROXY, "1.2.3.4, 198.51.100.7, 10.9.9.9")) == "198.51.100.7"
    # Garbage after our proxy's entry cannot be; the last trusted hop is as far as we see.
    assert client_ip(_request(PROXY, "198.51.100.7, not-an-ip")) == PROXY
    assert client_ip(_request(PROXY)) == PROXY


def test_a_direct_client_cannot_pick_its_address(behind_proxy):
    assert client_ip(_request("203.0.113.9", "10.0.0.5, 198.51.100.1")) == "203.0.113.9"


def test_ipv6_clients_are_counted_per_64_network(settings):
    settings.WIJKAANPAK_TRUSTED_PROXIES = []
    one = rate_limit_key(_request("2001:db8:1:2::a"))
    assert one == rate_limit_key(_request("2001:db8:1:2:ffff::1")) == "2001:db8:1:2::/64"
    assert one != rate_limit_key(_request("2001:db8:1:3::a"))


@pytest.mark.django_db
def test_behind_the_proxy_one_client_locked_out_does_not_lock_out_the_city(client, behind_proxy):
    resident = factories.UserFactory()
    url = reverse("account_login")
    for attempt in range(12):
        client.post(
            url,
            {"login": f"raden{attempt}@example.org", "password": "fout-wachtwoord"},
            **via_proxy("198.51.100.66"),
        )
    blocked = client.post(
        url, {"login": resident.email, "password": PASSWORD}, **via_proxy("198.51.100.66")
    )
    assert "Te veel inlogpogingen" in blocked.content.decode()

    signed_in = client.post(
        url, {"login": resident.email, "password": PASSWORD}, **via_proxy("198.51.100.7")
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


@pytest.mark.django_db
def test_directly_a_changing_forwarded_header_does_not_reset_the_login_limit(client, settings):
    settings.WIJKAANPAK_TRUSTED_PROXIES = []
    resident = factories.UserFactory()
    url = reverse("account_login")
    for attempt in range(12):
        client.post(
            url,
            {"login": f"raden{attempt}@example.org", "password": "fout-wachtwoord"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    blocked = client.post(
        url,
        {"login": resident.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert "Te veel inlogpogingen" in blocked.content.decode()


@pytest.mark.django_db
def test_the_api_limit_cannot_be_dodged_with_a_forwarded_header(client, settings, monkeypatch):
    settings.WIJKAANPAK_TRUSTED_PROXIES = []
    monkeypatch.setattr(throttling, "REQUESTS_PER_IP", "2/m")
    url = reverse("api-activiteiten")
    answers = [
        client.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert answers == [200, 200, 429]


@pytest.mark.django_db
def test_behind_the_proxy_the_api_counts_each_client(client, behind_proxy, monkeypatch):
    monkeypatch.setattr(throttling, "REQUESTS_PER_IP", "2/m")
    url = reverse("api-activiteiten")
    one = [client.get(url, **via_proxy("198.51.100.1")).status_code for _ in range(3)]
    assert one == [200, 200, 429]
    # Another client behind the same proxy, and the first one lying about itself.
    assert client.get(url, **via_proxy("198.51.100.2")).status_code == 200
    assert client.get(url, **via_proxy("198.51.100.1", spoofed="1.2.3.4")).status_code == 429


@pytest.mark.django_db
def test_open311_counts_each_client_behind_the_proxy(client, behind_proxy, settings):
    settings.WIJKAANPAK_OPEN311_PUBLIC_RATE = "2/m"
    url = "/open311/v2/services.json"
    one = [client.get(url, **via_proxy("198.51.100.1")).status_code for _ in range(3)]
    assert one == [200, 200, 429]
    assert client.get(url, **via_proxy("198.51.100.2")).status_code == 200
