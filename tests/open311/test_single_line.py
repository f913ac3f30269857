"""An outside app's single-line values are stored on one line too (the model's rule, whatever
the path): the place, the person description and the reporter's name."""

import pytest

from meldingen.models import Melder, Melding

pytestmark = pytest.mark.django_db


def test_line_breaks_from_an_outside_app_are_stored_as_spaces(client, app_key, post_data):
    data = {
        **post_data,
        "api_key": app_key,
        "address_string": "Damrak 1\r\nBcc: iemand@example.org",
        "attribute[persoon_kleding]": "witte\ntrainingspakken",
        "first_name": "Kanarie\r\n",
        "last_name": "Vogelaar\tUniek",
    }
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    melding = Melding.objects.get()
    assert melding.waar == "Damrak 1 Bcc: iemand@example.org"
    assert melding.persoon_kleding == "witte trainingspakken"
    assert "\n" not in melding.samenvatting
    assert Melder.objects.get().contact_naam == "Kanarie Vogelaar Uniek"
