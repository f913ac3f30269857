"""Web push in Chromium: the site installs (manifest without errors, the service worker ready
for the whole site), and a resident turns "Meldingen op dit apparaat" on and off.

What is real and what stands in, plainly:
- The manifest, the service worker's registration and Chromium's own installability check are
  real (DevTools' ``Page.getAppManifest`` and ``Page.getInstallabilityErrors``).
- Headless Chromium has no push service to subscribe at. The test therefore REPLACES
  ``PushManager.prototype.subscribe`` and ``getSubscription`` in the page (an init script) with
  ones that return a subscription whose endpoint is the test's local push service and whose
  keys WebCrypto makes in the page, as a browser would (an ECDH P-256 pair and a 16-byte auth
  secret). Everything else on the page runs as written: the permission prompt (granted), the
  button, the POST with CSRF to the server, the states shown.
- The server's push then goes, through the real relay, to the local push service, which checks
  the VAPID token; the test decrypts the body with the private key the page made.
- Chromium's push service would hand the decrypted message to the service worker; here
  DevTools' ``ServiceWorker.deliverPushMessage`` does, with the text the test decrypted. The
  worker's ``push`` handler then shows the notification, read back with
  ``registration.getNotifications()``. The tap (``notificationclick``) is not driven: DevTools
  offers no way to click a notification.
"""

import json

import pytest
from django.urls import reverse

from activiteiten import services as activiteiten
from notificaties import webpush
from notificaties.models import PushAbonnement
from notificaties.tasks import relay_notificaties
from tests import factories
from tests.browser.test_melding_journey import sign_in
from tests.push_service import Device, LocalPushService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Stands in for the browser's push service subscription (see the module's docstring).
FAKE_SUBSCRIBE = """
(() => {
  const ENDPOINT = %(endpoint)s;
  const KEY = "test-push-subscription";
  const b64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const make = (stored) => ({
    endpoint: stored.endpoint,
    options: { userVisibleOnly: true },
    toJSON() {
      return { endpoint: stored.endpoint, expirationTime: null,
               keys: { p256dh: stored.p256dh, auth: stored.auth } };
    },
    async unsubscribe() { localStorage.removeItem(KEY); return true; },
  });
  PushManager.prototype.getSubscription = async function () {
    const stored = localStorage.getItem(KEY);
    return stored ? make(JSON.parse(stored)) : null;
  };
  PushManager.prototype.subscribe = async function (options) {
    const pair = await crypto.subtle.generateKey(
      { name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const stored = {
      endpoint: ENDPOINT,
      p256dh: b64(await crypto.subtle.exportKey("raw", pair.publicKey)),
      auth: b64(crypto.getRandomValues(new Uint8Array(16))),
      d: (await crypto.subtle.exportKey("jwk", pair.privateKey)).d,
      serverKey: b64(options.applicationServerKey),
      userVisibleOnly: options.userVisibleOnly,
    };
    localStorage.setItem(KEY, JSON.stringify(stored));
    return make(stored);
  };
})();
"""


@pytest.fixture
def service(settings):
    settings.WIJKAANPAK_VAPID_PRIVATE_KEY, settings.WIJKAANPAK_VAPID_PUBLIC_KEY = (
        webpush.generate_keys()
    )
    with LocalPushService(settings.WIJKAANPAK_VAPID_PUBLIC_KEY) as running:
        settings.WIJKAANPAK_PUSH_SERVICES = [running.url]
        yield running


def test_the_site_installs_manifest_and_service_worker(new_page, live_server):
    page = new_page()
    page.goto(live_server.url + "/")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == live_server.url + "/"  # the whole site, from /sw.js at the root
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)") == (
        live_server.url + "/sw.js"
    )
    devtools = page.context.new_cdp_session(page)
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["url"] == live_server.url + reverse("manifest")
    assert manifest["errors"] == []
    assert json.loads(manifest["data"])["display"] == "standalone"
    page.reload()  # controlled by the worker now
    errors = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito profiles, where Chromium installs nothing; that is
    # the only objection: no manifest, icon, start URL or service worker error.
    assert [error["errorId"] for error in errors] == ["in-incognito"]


def test_a_resident_turns_pushes_on_receives_one_and_turns_them_off(
    new_page, live_server, service, buurt
):
    activiteit = factories.activiteit(buurt=buurt, capaciteit=1, titel="Opschoonochtend")
    first = factories.LidmaatschapFactory(buurt=buurt).user
    sanne = factories.LidmaatschapFactory(buurt=buurt).user
    signup = activiteiten.aanmelden(user=first, activiteit=activiteit)
    activiteiten.aanmelden(user=sanne, activiteit=activiteit)  # on the waiting list

    page = new_page()
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    endpoint = service.endpoint("chromium")
    page.add_init_script(FAKE_SUBSCRIBE % {"endpoint": json.dumps(endpoint)})
    sign_in(page, live_server.url, sanne)
    page.goto(live_server.url + reverse("berichtinstellingen"))

    control = page.get_by_role("region", name="Meldingen op dit apparaat aan/uit")
    status = control.get_by_role("status")
    status.filter(has_text="Meldingen op dit apparaat staan uit.").wait_for()
    button = control.get_by_role("button", name="Zet meldingen op dit apparaat aan")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    status.filter(has_text="Meldingen op dit apparaat staan aan.").wait_for()
    assert control.get_by_role("button", name="Zet meldingen op dit apparaat uit").is_enabled()

    stored = json.loads(page.evaluate("localStorage.getItem('test-push-subscription')"))
    assert stored["serverKey"] == webpush.public_key() and stored["userVisibleOnly"] is True
    device = PushAbonnement.objects.get(user=sanne)
    assert (device.endpoint, device.p256dh, device.auth) == (
        endpoint,
        stored["p256dh"],
        stored["auth"],
    )
    assert device.apparaat == "Chrome op Linux"

    page.reload()  # the state survives a visit: the browser's subscription and the server's
    status.filter(has_text="Meldingen op dit apparaat staan aan.").wait_for()

    # A place frees up: the relay e-mails Sanne and pushes to her device.
    activiteiten.afmelden(aanmelding=signup, user=first)
    relay_notificaties()
    assert len(service.received) == 1 and service.refused == []
    keys = Device.from_private(stored["d"], stored["auth"])
    message = keys.decrypt(service.received[0].body)
    assert message["titel"] == "Er is plek: je doet mee aan Opschoonochtend"
    assert message["tekst"] == "Er is een plek voor je vrijgekomen."

    # What Chromium's push service would do next: hand the message to the service worker.
    devtools = page.context.new_cdp_session(page)
    registrations = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_timeout(200)  # the registration event arrives on DevTools' channel
    registration = next(r for r in registrations if r["scopeURL"] == live_server.url + "/")
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(message),
        },
    )
    shown = None
    for _poll in range(50):  # the worker shows it asynchronously
        shown = page.evaluate(
            """navigator.serviceWorker.ready
                 .then((r) => r.getNotifications())
                 .then((list) => list.map((n) => ({title: n.title, body: n.body, tag: n.tag,
                                                   url: n.data.url})))"""
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [
        {
            "title": "Er is plek: je doet mee aan Opschoonochtend",
            "body": "Er is een plek voor je vrijgekomen.",
            "tag": message["tag"],
            "url": message["url"],
        }
    ]

    control.get_by_role("button", name="Zet meldingen op dit apparaat uit").click()
    status.filter(has_text="Meldingen op dit apparaat staan uit.").wait_for()
    assert not PushAbonnement.objects.exists()
    assert page.evaluate("localStorage.getItem('test-push-subscription')") is None


def test_without_keys_the_control_does_not_show(new_page, live_server, resident):
    page = new_page()
    sign_in(page, live_server.url, resident)
    page.goto(live_server.url + reverse("berichtinstellingen"))
    page.get_by_role("heading", name="Meldingen en berichten").wait_for()
    assert page.get_by_text("Meldingen op dit apparaat").count() == 0
