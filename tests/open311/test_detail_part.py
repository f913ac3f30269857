"""The handler's case page shows the media link an outside app sent. meldingen knows nothing
of open311: open311 adds its part to the page through ``meldingen.detail_parts``."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from meldingen.models import Melding


def _file(client, app_key, post_data, django_capture_on_commit_callbacks, **extra) -> Melding:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/open311/v2/requests.json", {**post_data, "api_key": app_key, **extra}
        )
    assert response.status_code == 200, response.content
    return Melding.objects.get(pk=response.json()[0]["service_request_id"])


def test_the_case_page_links_the_media_an_outside_app_sent(
    client, login, enforcement, app_key, post_data, django_capture_on_commit_callbacks
):
    melding = _file(
        client,
        app_key,
        post_data,
        django_capture_on_commit_callbacks,
        media_url="https://example.org/foto/1.jpg",
    )
    page = login(enforcement).get(reverse("meldingen:detail", args=[melding.pk]))
    assert page.status_code == 200
    assert 'href="https://example.org/foto/1.jpg"' in page.content.decode()
    assert "niet door ons gecontroleerd of opgehaald" in page.content.decode()


def test_without_a_media_link_the_page_says_nothing_about_one(
    client, login, enforcement, app_key, post_data, django_capture_on_commit_callbacks
):
    melding = _file(client, app_key, post_data, django_capture_on_commit_callbacks)
    page = login(enforcement).get(reverse("meldingen:detail", args=[melding.pk]))
    assert page.status_code == 200
    assert "niet door ons gecontroleerd of opgehaald" not in page.content.decode()


def test_meldingen_views_and_case_page_do_not_name_open311():
    base = Path(settings.BASE_DIR)
    assert "open311" not in (base / "meldingen" / "views.py").read_text()
    assert "open311" not in (base / "templates" / "meldingen" / "detail.html").read_text()
