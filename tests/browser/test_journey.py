"""A newcomer's first journey in Chromium: sign up, verify, join with a code, see the buurt."""

import re

import pytest
from django.core import mail

from accounts.models import User
from buurten.models import Lidmaatschap
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_join_with_code_and_see_the_buurt(page, live_server):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    factories.UitnodigingscodeFactory(buurt=buurt, code="SAMEN234")

    page.goto(live_server.url)
    page.get_by_role("link", name="Account maken").first.click()
    page.get_by_label("E-mailadres").fill("nieuwe.buur@example.org")
    page.get_by_label("Weergavenaam").fill("Noor")
    page.get_by_label("Wachtwoord*", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen)").fill(PASSWORD)
    page.get_by_role("button", name="Account maken").click()
    page.get_by_role("heading", name="Verifieer je e-mailadres").wait_for()

    (message,) = mail.outbox
    assert message.to == ["nieuwe.buur@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_text("Welkom, Noor").wait_for()

    page.get_by_role("link", name="Code invoeren").click()
    page.get_by_label("Uitnodigingscode").fill("samen-234")
    page.get_by_role("button", name="Lid worden").click()

    page.get_by_role("heading", name="Westelijke eilanden").wait_for()
    assert page.get_by_text("Welkom! Je bent nu lid van Westelijke eilanden.").is_visible()
    assert page.get_by_text("Bron: CBS, Kerncijfers wijken en buurten 2024").is_visible()
    user = User.objects.get(email="nieuwe.buur@example.org")
    assert Lidmaatschap.objects.get(user=user).status == Lidmaatschap.Status.LID
