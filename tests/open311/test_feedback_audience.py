"""A melding filed through an outside app, joined by a resident: the app (whose user made the
report) reads the first reporter's message in ``status_notes``; the resident who said "ik ook"
reads only the message to all reporters."""

import pytest
from django.urls import reverse

from meldingen import services
from meldingen.models import Melding
from meldingen.workflow import Actie
from tests import factories
from tests.open311.test_conformance import file

pytestmark = pytest.mark.django_db

PRIVATE = "Beste melder, u stond bij het monument (KANARIE-APP-EERSTE)"
TO_ALL = "De muziek is uit (KANARIE-APP-ALLEN)"


def test_status_notes_carry_the_first_reporters_message_joiners_never_see_it(
    client, app_key, post_data, dam, enforcement
):
    melding = Melding.objects.get(pk=file(client, app_key, post_data))
    joiner = factories.LidmaatschapFactory(buurt=dam).user
    services.melding_join(user=joiner, melding=melding, bescherming="coordinator")
    services.melding_transition(
        melding=melding,
        actie=Actie.AFSLUITEN,
        by=enforcement,
        terugkoppeling=TO_ALL,
        bericht_eerste_melder=PRIVATE,
    )
    (request,) = client.get(f"/open311/v2/requests/{melding.pk}.json", {"api_key": app_key}).json()
    assert PRIVATE in request["status_notes"] and TO_ALL in request["status_notes"]

    client.force_login(joiner)
    page = client.get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk})).content.decode()
    assert TO_ALL in page and PRIVATE not in page
