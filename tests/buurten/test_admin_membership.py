"""The admin shows a membership and its history but cannot change it past the workflow: not
its buurt, not its person, not the vouches that decided it."""

import pytest
from django.urls import reverse
from django.utils import translation

from buurten.models import Borgstelling, Lidmaatschap
from tests import factories


@pytest.fixture
def admin_client(db, login):
    return login(factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True))


def test_the_admin_cannot_move_a_membership_to_another_buurt(admin_client, buurt, other_buurt):
    lidmaatschap = factories.LidmaatschapFactory(buurt=buurt)
    url = reverse("admin:buurten_lidmaatschap_change", args=[lidmaatschap.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="buurt"' not in page.content.decode()
    assert 'name="user"' not in page.content.decode()

    admin_client.post(url, {"buurt": other_buurt.pk, "user": factories.UserFactory().pk})
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.buurt == buurt
    assert lidmaatschap.historie.count() == 0


def test_vouches_are_shown_but_cannot_be_added_or_removed_in_the_admin(admin_client, buurt):
    lidmaatschap = factories.LidmaatschapFactory(buurt=buurt)
    borg = factories.LidmaatschapFactory(buurt=buurt).user
    Borgstelling.objects.create(lidmaatschap=lidmaatschap, borg=borg)
    page = admin_client.get(reverse("admin:buurten_lidmaatschap_change", args=[lidmaatschap.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "borgstellingen-0-DELETE" not in html
    assert 'name="borgstellingen-0-borg"' not in html
    assert 'name="borgstellingen-TOTAL_FORMS" value="1"' in html  # the one vouch, read-only


def test_a_withdrawn_request_reads_withdrawn_in_english_not_revoked():
    with translation.override("en"):
        assert str(Lidmaatschap.Status.INGETROKKEN.label) == "Withdrawn"
