"""The optional age band on the preferences page: only a band, explained, never required."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_age_band_is_optional_and_explained(login, resident):
    client = login(resident)
    page = client.get(reverse("voorkeuren")).content.decode()
    assert "Leeftijdsgroep" in page
    assert "Niet verplicht. Alleen geteld, nooit getoond" in page
    assert "Zeg ik liever niet" in page

    client.post(
        reverse("voorkeuren"),
        {"weergavenaam": "Sanne", "leeftijdsgroep": "45_65"},
    )
    resident.refresh_from_db()
    assert resident.leeftijdsgroep == "45_65"

    client.post(
        reverse("voorkeuren"),
        {"weergavenaam": "Sanne", "leeftijdsgroep": ""},
    )
    resident.refresh_from_db()
    assert resident.leeftijdsgroep == ""


def test_only_the_cbs_bands_are_accepted(login, resident):
    response = login(resident).post(
        reverse("voorkeuren"),
        {"weergavenaam": "Sanne", "leeftijdsgroep": "1980-05-01"},
    )
    assert response.status_code == 200
    assert "leeftijdsgroep" in response.context["form"].errors
    resident.refresh_from_db()
    assert resident.leeftijdsgroep == "" and resident.weergavenaam != "Sanne"
