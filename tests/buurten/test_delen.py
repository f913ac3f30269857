"""The coordinator's share box per invitation code: a short text with the join link on the
public site (the code filled in), a WhatsApp link and a QR code."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def test_each_active_code_gets_a_share_box_with_the_public_link(
    login, coordinator, buurt, settings, django_assert_max_num_queries
):
    settings.WIJKAANPAK_SITE_URL = "https://wijk.example.nl"
    settings.ALLOWED_HOSTS = ["web.internal", "testserver"]
    active = [factories.UitnodigingscodeFactory(buurt=buurt) for _ in range(3)]
    revoked = factories.UitnodigingscodeFactory(buurt=buurt, revoked_at=timezone.now())
    client = login(coordinator)
    url = reverse("buurten:codes", kwargs={"code": buurt.code})
    client.get(url)  # the session and permissions are looked up once
    with django_assert_max_num_queries(12):
        html = client.get(url, HTTP_HOST="web.internal").content.decode()

    assert "web.internal" not in html
    assert html.count("data-deel ") == 3
    whatsapp = re.findall(r'href="https://wa\.me/\?text=([^"]*)"', html)
    expected = {
        f"Doe je mee in {buurt.naam}? Word lid via deze link: "
        f"https://wijk.example.nl{reverse('buurten:code')}?code={code.code}"
        for code in active
    }
    assert {unquote(text) for text in whatsapp} == expected
    assert all(" " not in text and "?" not in text for text in whatsapp)
    assert f"?code={revoked.code}" not in html  # a revoked code is not shared any more
    assert "Kopieer link" in html
    assert html.count("<svg") == 3
    assert "qr-path" not in html  # no id repeated by each QR code
    assert 'src="/static/js/delen.js"' in html


@pytest.mark.parametrize("role", ["resident", "member", "police"])
def test_the_codes_and_their_share_boxes_are_for_coordinators(request, login, buurt, role):
    code = factories.UitnodigingscodeFactory(buurt=buurt)
    response = login(request.getfixturevalue(role)).get(
        reverse("buurten:codes", kwargs={"code": buurt.code})
    )
    assert response.status_code == 403
    assert code.code not in response.content.decode()


def test_codes_of_another_area_are_not_shared(login, coordinator, other_buurt):
    code = factories.UitnodigingscodeFactory(buurt=other_buurt)
    response = login(coordinator).get(reverse("buurten:codes", kwargs={"code": other_buurt.code}))
    assert response.status_code == 404
    assert code.code not in response.content.decode()
