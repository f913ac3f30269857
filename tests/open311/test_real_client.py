"""A real Open311 client library, georeport (PyPI, GeoReport v2), reads this server as it
reads a city's: services, a service definition, and the status of requests without a key (as
FixMyStreet does), in JSON and XML, over HTTP against the live server."""

from datetime import timedelta

import pytest
from django.utils import timezone
from georeport import GeoReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_and_status_without_a_key(
    live_server, client, app_key, post_data, categorie, fmt
):
    response = client.post("/open311/v2/requests.json", {**post_data, "api_key": app_key})
    request_id = str(response.json()[0]["service_request_id"])
    reader = GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)

    services = reader.get_service_list()
    services = services if isinstance(services, list) else [services]  # xmltodict: one is a dict
    names = {s["service_code"]: s["service_name"] for s in services}
    assert names[str(categorie.pk)] == "Lawaai op straat"

    definition = reader.get_service_definition(str(categorie.pk))
    assert definition["service_code"] == str(categorie.pk)
    assert definition["attributes"]

    listed = reader.get_service_requests(status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert [str(r["service_request_id"]) for r in listed] == [request_id]

    soon = timezone.localtime().replace(microsecond=0) + timedelta(minutes=1)
    in_period = reader.get_service_requests(
        start_date=(soon - timedelta(days=1)).isoformat(), end_date=soon.isoformat()
    )
    assert in_period

    one = reader.get_service_request(request_id)
    assert one["status"] == "open"
    assert one["service_code"] == str(categorie.pk)
    assert one["address"].startswith("Burgwallen-Dam")
    assert not one.get("description")  # the public view: no description without a key
