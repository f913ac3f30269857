"""The queue offers the silent-consent rules only to whoever may set them: a coordinator of a
gemeente team; an administrator (no team, no gemeente) gets no link to a page refusing them."""

from django.urls import reverse

from tests import factories


def test_the_coordinator_sees_the_rules_link_in_the_queue(login, coordinator):
    page = login(coordinator).get(reverse("verzoeken:wachtrij"))
    assert page.status_code == 200
    assert reverse("verzoeken:regels") in page.content.decode()


def test_an_administrator_gets_the_queue_without_a_link_to_a_page_refusing_them(db, login):
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    client = login(admin)
    page = client.get(reverse("verzoeken:wachtrij"))
    assert page.status_code == 200
    assert reverse("verzoeken:regels") not in page.content.decode()
    assert client.get(reverse("verzoeken:regels")).status_code == 403
