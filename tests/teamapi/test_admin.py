"""Team tokens in the admin: the key is shown once, revoking stops it at once."""

import pytest
from django.urls import reverse

from teamapi.models import FeedToken
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login):
    user = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    return login(user), user


def test_a_feed_token_key_is_shown_once_and_only_its_hash_is_kept(admin_client, police):
    client, _user = admin_client
    response = client.post(
        reverse("admin:teamapi_feedtoken_add"),
        {"team": police.team.pk, "naam": "Basisteam-koppeling"},
        follow=True,
    )
    html = response.content.decode()
    token = FeedToken.objects.get()
    key = html.split("bewaar hem veilig): ")[1].split("<")[0].strip()
    assert key.startswith(f"wka_{token.prefix}_")
    assert key not in token.key_hash
    # It travelled in the session, not in a cookie a proxy or the browser might log.
    assert "messages" not in client.cookies
    assert all(key not in morsel.value for morsel in client.cookies.values())
    api = client.get(reverse("api-feed"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200


def test_revoking_in_the_admin_stops_a_cached_token_at_once(
    admin_client, police, django_capture_on_commit_callbacks
):
    client, _user = admin_client
    token, key = feed_token_issue(team=police.team, naam="Meldkamer", by=police)

    def get(client, key):
        return client.get(reverse("api-feed"), HTTP_AUTHORIZATION=f"Bearer {key}")

    assert get(client, key).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:teamapi_feedtoken_changelist"),
            {"action": "revoke", "_selected_action": [token.pk]},
        )
    assert response.status_code == 302
    assert get(client, key).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    assert shown == ["1 token ingetrokken."]  # singular for one token
