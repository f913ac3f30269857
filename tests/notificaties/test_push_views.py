"""The installable site and the control "Meldingen op dit apparaat aan/uit": the manifest and the
service worker as browsers fetch them (under the strict CSP), the control on the page "Meldingen
en berichten" for each role (absent without keys), and the JSON endpoint behind it for every kind
of bad input."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.push_views import device_label
from notificaties import webpush
from notificaties.models import Notificatie, PushAbonnement, PushBericht
from tests import factories
from tests.push_service import Device

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/apparaat-1"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def vapid(settings):
    settings.WIJKAANPAK_VAPID_PRIVATE_KEY, settings.WIJKAANPAK_VAPID_PUBLIC_KEY = (
        webpush.generate_keys()
    )
    return settings


def body(actie="aan", endpoint=ENDPOINT, device=None):
    device = device or Device()
    return json.dumps(
        {
            "actie": actie,
            "endpoint": endpoint,
            "keys": {"p256dh": device.p256dh, "auth": device.auth},
        }
    )


def post(client, payload, **extra):
    return client.post(
        reverse("push_abonnement"), payload, content_type="application/json", **extra
    )


# --- manifest and service worker ------------------------------------------------------------


def test_the_manifest_makes_the_site_installable(client):
    answer = client.get(reverse("manifest"))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert manifest["name"] == "Wijkaanpak · Samen voor de buurt"
    assert manifest["short_name"] == "Wijkaanpak"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert manifest["theme_color"] == "#1f4e79"  # the navbar's brand colour
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"


def test_every_page_links_the_manifest_and_registers_the_worker(client):
    page = client.get(reverse("home")).content.decode()
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in page
    assert f'data-service-worker="{reverse("service_worker")}"' in page
    assert '<meta name="theme-color" content="#1f4e79">' in page


def test_the_service_worker_is_served_from_the_root_fresh_and_under_the_csp(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/javascript; charset=utf-8"
    assert answer["Service-Worker-Allowed"] == "/"
    assert "no-cache" in answer["Cache-Control"]
    csp = answer["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp
    script = answer.content.decode()
    assert 'addEventListener("push"' in script and 'addEventListener("notificationclick"' in script
    assert "icon-192.png" in script and "badge-96.png" in script
    assert client.post("/sw.js").status_code == 405


# --- the control on the page "Meldingen en berichten" -----------------------------------------


@pytest.mark.parametrize("role", ["bewoner", "coordinator", "politie", "handhaving"])
def test_each_role_finds_the_control_beside_its_choices_of_what_to_hear(vapid, login, wijk, role):
    user = factories.UserFactory() if role == "bewoner" else factories.professional(role, wijk)
    page = login(user).get(reverse("berichtinstellingen")).content.decode()
    assert "Meldingen op dit apparaat aan/uit" in page
    assert f'data-push-sleutel="{webpush.public_key()}"' in page
    assert "data-push hidden" in page  # until the script finds a browser that can receive


def test_without_keys_there_is_no_control_and_the_endpoint_is_gone(login, resident):
    client = login(resident)
    page = client.get(reverse("berichtinstellingen")).content.decode()
    assert "Meldingen op dit apparaat" not in page and "push.js" not in page
    answer = post(client, body())
    assert answer.status_code == 404 and not PushAbonnement.objects.exists()


def test_anonymous_visitors_cannot_subscribe(vapid, client):
    answer = post(client, body())
    assert answer.status_code == 403
    assert answer.json()["fout"] == "Log in om meldingen op dit apparaat aan te zetten."
    assert not PushAbonnement.objects.exists()


# --- the endpoint ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["bewoner", "politie"])
def test_turning_on_status_and_off(vapid, login, wijk, role):
    user = factories.UserFactory() if role == "bewoner" else factories.professional(role, wijk)
    client = login(user)
    answer = post(client, body(), HTTP_USER_AGENT=ANDROID_CHROME)
    assert answer.status_code == 200 and answer.json() == {"aan": True}
    device = PushAbonnement.objects.get()
    assert (device.user, device.endpoint, device.apparaat) == (user, ENDPOINT, "Chrome op Android")
    assert post(client, body("status")).json() == {"aan": True}
    assert post(client, body("uit")).json() == {"aan": False}
    assert not PushAbonnement.objects.exists()
    assert post(client, body("status")).json() == {"aan": False}


def test_someone_elses_device_is_not_theirs_to_see_or_remove(vapid, login, resident):
    other = factories.UserFactory()
    PushAbonnement.objects.create(user=other, endpoint=ENDPOINT, p256dh="x", auth="y")
    client = login(resident)
    assert post(client, body("status")).json() == {"aan": False}
    post(client, body("uit"))
    assert PushAbonnement.objects.get().user == other


def test_a_shared_computer_passes_to_the_next_account_without_the_first_ones_pushes(
    vapid, login, resident
):
    first = factories.UserFactory()
    old = PushAbonnement.objects.create(user=first, endpoint=ENDPOINT, p256dh="x", auth="y")
    notificatie = Notificatie.objects.create(soort="wachtlijst", object_id=1, ontvanger=first)
    PushBericht.objects.create(notificatie=notificatie, abonnement=old)
    post(login(resident), body())
    assert PushAbonnement.objects.get().user == resident
    assert not PushBericht.objects.exists()  # nothing queued for the first reaches the second


def test_signing_out_turns_this_device_off(vapid, login, resident):
    client = login(resident)
    post(client, body())
    PushAbonnement.objects.create(  # another of her devices, turned on elsewhere
        user=resident, endpoint=ENDPOINT + "-2", p256dh="x", auth="y"
    )
    client.post(reverse("account_logout"))
    assert list(PushAbonnement.objects.values_list("endpoint", flat=True)) == [ENDPOINT + "-2"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("niet json", "Dit verzoek begrijpen we niet."),
        (json.dumps({"actie": "aan"}), "Dit verzoek begrijpen we niet."),
        (json.dumps([1, 2]), "Dit verzoek begrijpen we niet."),
        (body(actie="wissen"), "Dit verzoek begrijpen we niet."),
        (json.dumps({"actie": "aan", "endpoint": 12}), "Dit verzoek begrijpen we niet."),
        (body(endpoint="https://intern.example.nl/admin"), "Deze pushdienst kennen we niet."),
        (body(endpoint="http://fcm.googleapis.com/x"), "Deze pushdienst kennen we niet."),
        (body(endpoint=ENDPOINT + "x" * 1000), "Dit apparaat gaf een onbruikbaar adres."),
        (
            json.dumps({"actie": "aan", "endpoint": ENDPOINT, "keys": {"p256dh": "AAAA"}}),
            "Dit apparaat gaf onbruikbare sleutels.",
        ),
        (
            json.dumps(
                {
                    "actie": "aan",
                    "endpoint": ENDPOINT,
                    "keys": {"p256dh": Device().p256dh, "auth": "kort"},
                }
            ),
            "Dit apparaat gaf onbruikbare sleutels.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(vapid, login, resident, payload, message):
    answer = post(login(resident), payload)
    assert answer.status_code == 400
    assert answer.json() == {"fout": message}
    assert not PushAbonnement.objects.exists()


def test_a_forged_request_from_another_site_is_refused(vapid, resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert post(client, body()).status_code == 403
    assert not PushAbonnement.objects.exists()


def test_only_post(vapid, login, resident):
    assert login(resident).get(reverse("push_abonnement")).status_code == 405


def test_turning_on_and_off_is_rate_limited(vapid, login, resident):
    vapid.WIJKAANPAK_PUSH_RATE = "3/h"
    client = login(resident)
    for _time in range(3):
        assert post(client, body()).status_code == 200
    answer = post(client, body("uit"))
    assert answer.status_code == 429
    assert answer.json()["fout"].startswith("Even te vaak geprobeerd.")
    assert PushAbonnement.objects.count() == 1  # still on: the refused request changed nothing
    assert post(client, body("status")).json() == {"aan": True}  # asking the state is free


def test_at_most_ten_devices_per_person_the_oldest_goes(vapid, login, resident):
    client = login(resident)
    for number in range(11):
        post(client, body(endpoint=f"{ENDPOINT}-{number}"))
    endpoints = set(PushAbonnement.objects.values_list("endpoint", flat=True))
    assert len(endpoints) == 10 and f"{ENDPOINT}-0" not in endpoints


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (ANDROID_CHROME, "Chrome op Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari op iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox op Windows",
        ),
        ("", "Browser"),
    ],
)
def test_the_device_is_named_by_browser_and_system_only(user_agent, label):
    assert device_label(user_agent) == label
