"""The start page per role."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_home_per_role(client, login, resident, member, coordinator, police, buurt):
    assert "Account maken" in client.get("/").content.decode()
    assert "Word lid van je buurt" in login(resident).get("/").content.decode()
    assert buurt.naam in login(member).get("/").content.decode()
    factories.LidmaatschapFactory(buurt=buurt, status="aangevraagd", via="")
    coordinator_home = login(coordinator).get("/").content.decode()
    assert "Aanvragen lidmaatschap" in coordinator_home
    assert buurt.wijk.naam in coordinator_home
    police_home = login(police).get("/").content.decode()
    assert "Jouw werkgebied" in police_home
    assert buurt.wijk.naam in police_home
