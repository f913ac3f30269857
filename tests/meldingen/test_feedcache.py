"""The feed is served from cache, yet shows every committed change at once."""

from datetime import timedelta

import pytest
import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from meldingen import feedcache, services
from meldingen.models import Doel, RoutingRegel
from meldingen.workflow import Actie
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Fietsendiefstal (cache)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def feed_text(client, **params) -> str:
    return client.get(reverse("meldingen:feed"), params).content.decode()


def link(melding) -> str:
    """Summaries can be equal; the link to the melding is not."""
    return f'href="{reverse("meldingen:detail", kwargs={"pk": melding.pk})}"'


def test_new_and_closed_meldingen_show_as_soon_as_they_are_committed(
    login, buurt, police, categorie, django_capture_on_commit_callbacks
):
    client = login(police)
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.melding(buurt=buurt, categorie=categorie, waar="Eerste plek")
    assert link(first) in feed_text(client)

    with django_capture_on_commit_callbacks(execute=True):
        second = factories.melding(buurt=buurt, categorie=categorie, waar="Tweede plek")
    page = feed_text(client)
    assert link(first) in page and link(second) in page

    with django_capture_on_commit_callbacks(execute=True):
        services.melding_transition(
            melding=first, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
        )
    page = feed_text(client)
    assert link(first) not in page and link(second) in page


def test_a_page_read_again_without_changes_costs_no_feed_query(
    login, buurt, police, categorie, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        melding = factories.melding(buurt=buurt, categorie=categorie)
    client = login(police)
    assert link(melding) in feed_text(client)
    # The session and the user. Known from the first page: the officer's app
    # (``accounts.middleware.has_totp``) and the menu's unread count (``notificaties.selectors``);
    # the team's name comes with the cached filter options.
    with django_assert_num_queries(2) as queries:
        assert link(melding) in feed_text(client)
    assert not any("meldingen_melding" in q["sql"] for q in queries.captured_queries)
    assert not any("accounts_team" in q["sql"] for q in queries.captured_queries)


def test_the_feed_is_headed_by_the_teams_name_as_it_is_now(
    login, police, django_capture_on_commit_callbacks
):
    client = login(police)
    assert f"· {police.team.naam}</span>" in feed_text(client)
    with django_capture_on_commit_callbacks(execute=True):
        police.team.naam = "Wijkteam Noordoever"
        police.team.save()
    assert "· Wijkteam Noordoever</span>" in feed_text(client)


def test_a_team_losing_a_wijk_stops_seeing_it_at_once(
    login, buurt, police, categorie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        melding = factories.melding(buurt=buurt, categorie=categorie)
    client = login(police)
    assert link(melding) in feed_text(client)
    with django_capture_on_commit_callbacks(execute=True):
        police.team.wijken.remove(buurt.wijk)
    assert link(melding) not in feed_text(client)


def test_the_filter_options_follow_the_teams_area_and_the_categories_at_once(
    login, buurt, other_buurt, police, django_capture_on_commit_callbacks
):
    client = login(police)
    option = f'<option value="{other_buurt.wijk.code}">'
    assert option not in feed_text(client)
    with django_capture_on_commit_callbacks(execute=True):
        police.team.wijken.add(other_buurt.wijk)
    assert option in feed_text(client)
    with django_capture_on_commit_callbacks(execute=True):
        police.team.wijken.remove(other_buurt.wijk)
    assert option not in feed_text(client)

    with django_capture_on_commit_callbacks(execute=True):
        nieuw = factories.CategorieFactory(naam="Nieuwe categorie (filter)")
    assert f'<option value="{nieuw.pk}">Nieuwe categorie (filter)</option>' in feed_text(client)


def test_a_new_melding_rebuilds_the_page_but_not_the_filter_options(
    login, buurt, police, categorie, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(police)
    feed_text(client)
    with django_capture_on_commit_callbacks(execute=True):
        melding = factories.melding(buurt=buurt, categorie=categorie)
    with CaptureQueriesContext(connection) as queries:
        assert link(melding) in feed_text(client)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "meldingen_melding"' in sql  # the page, built afresh
    # The options: categories, and the wijken of the area by name.
    assert 'FROM "meldingen_categorie"' not in sql and '"buurten_wijk"."naam"' not in sql


def test_a_period_filter_moves_with_the_clock(login, buurt, police, categorie):
    with time_machine.travel("2026-11-02 12:00 +0100", tick=False):
        melding = factories.melding(buurt=buurt, categorie=categorie)
        client = login(police)
        assert link(melding) in feed_text(client, periode="24h")
    with time_machine.travel("2026-11-03 12:02 +0100", tick=False):
        client = login(police)  # a day later: signed out for being idle, so signed in again
        assert "Fietsendiefstal" in feed_text(client)
        assert link(melding) not in feed_text(client, periode="24h")
        assert link(melding) in feed_text(client)


def test_the_version_only_grows_even_after_the_cache_is_flushed():
    from django.core.cache import cache

    before = feedcache.version()
    feedcache.bump()
    assert feedcache.version() == before + 1
    cache.clear()
    feedcache.bump()  # nothing to bump: the next reader starts afresh
    assert feedcache.version() > before + 1


def test_other_users_of_the_same_scope_share_pages_but_never_across_scopes(
    login, buurt, other_buurt, police, categorie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = factories.melding(buurt=buurt, categorie=categorie, waar="Hier")
        theirs = factories.melding(buurt=other_buurt, categorie=categorie, waar="Daar")
    colleague = factories.professional("politie", buurt.wijk)
    elsewhere = factories.professional("politie", other_buurt.wijk)
    assert link(mine) in feed_text(login(police))
    seen_by_colleague = feed_text(login(colleague))
    seen_elsewhere = feed_text(login(elsewhere))
    assert link(mine) in seen_by_colleague and link(theirs) not in seen_by_colleague
    assert link(theirs) in seen_elsewhere and link(mine) not in seen_elsewhere


def test_the_json_feed_answers_from_cache_and_shows_changes_at_once(
    client, buurt, police, categorie, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from teamapi.services import feed_token_issue

    _token, key = feed_token_issue(team=police.team, naam="Meldkamer", by=police)
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.melding(buurt=buurt, categorie=categorie)

    def ids() -> list[int]:
        response = client.get(reverse("api-feed"), HTTP_AUTHORIZATION=f"Bearer {key}")
        return [row["id"] for row in response.json()["meldingen"]]

    assert ids() == [first.pk]
    with django_assert_num_queries(0):  # the key and the page are both known
        assert ids() == [first.pk]
    with django_capture_on_commit_callbacks(execute=True):
        second = factories.melding(buurt=buurt, categorie=categorie)
    assert set(ids()) == {first.pk, second.pk}


def test_a_teams_system_reads_by_the_teams_organisation_at_once_when_it_changes(
    client, buurt, police, categorie, django_capture_on_commit_callbacks
):
    """The key, the team it carries and the page are all cached: a team that becomes
    enforcement (an administrator's correction) reads enforcement's meldingen at once."""
    from teamapi.services import feed_token_issue

    afval = factories.CategorieFactory(naam="Afval (team)")
    RoutingRegel.objects.create(volgorde=2, categorie=afval, doel=Doel.HANDHAVING)
    _token, key = feed_token_issue(team=police.team, naam="Meldkamer", by=police)
    with django_capture_on_commit_callbacks(execute=True):
        politie = factories.melding(buurt=buurt, categorie=categorie)
        handhaving = factories.melding(buurt=buurt, categorie=afval)

    def ids() -> list[int]:
        response = client.get(reverse("api-feed"), HTTP_AUTHORIZATION=f"Bearer {key}")
        return [row["id"] for row in response.json()["meldingen"]]

    assert ids() == [politie.pk]
    with django_capture_on_commit_callbacks(execute=True):
        police.team.organisatie = police.team.Organisatie.HANDHAVING
        police.team.save()
    assert ids() == [handhaving.pk]


DEAD_REDIS = {
    "default": {
        "BACKEND": "wijkaanpak.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: every cache call fails
    }
}


def test_with_the_cache_down_residents_still_report_and_officers_still_read_the_feeds(
    client, member, police, categorie
):
    from teamapi.services import feed_token_issue

    _token, key = feed_token_issue(team=police.team, naam="Meldkamer", by=police)
    with override_settings(CACHES=DEAD_REDIS):
        check_reporting_and_reading(client, member, police, categorie, key)


def check_reporting_and_reading(client, member, police, categorie, key):
    from meldingen.models import Melding

    client.force_login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url,
            {
                "wat": "Iemand knipt een fietsslot door.",
                "waar": "Fietsenrek bij het station",
                "wanneer": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "bescherming": "coordinator",
            },
        )
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert melding.status == "gerouteerd"

    client.force_login(police)
    assert link(melding) in feed_text(client)
    api = client.get(reverse("api-feed"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200
    assert [row["id"] for row in api.json()["meldingen"]] == [melding.pk]


def test_the_rows_and_the_page_key_come_from_one_scope_rule(
    login, buurt, police, categorie, monkeypatch, django_capture_on_commit_callbacks
):
    """``selectors.Scope`` is what the rows are read from and what the page is cached under:
    change the rule (here: police read what was routed to enforcement) and both change, so
    no page cached under the old rule is shown."""
    from meldingen import selectors

    afval = factories.CategorieFactory(naam="Afval (cache)")
    RoutingRegel.objects.create(volgorde=2, categorie=afval, doel=Doel.HANDHAVING)
    with django_capture_on_commit_callbacks(execute=True):
        theirs = factories.melding(buurt=buurt, categorie=categorie)
        handhaving = factories.melding(buurt=buurt, categorie=afval)
    client = login(police)
    page = feed_text(client)
    assert link(theirs) in page and link(handhaving) not in page
    before = selectors.scope_of(police)

    monkeypatch.setitem(selectors.OWN_DOEL, police.role, Doel.HANDHAVING)
    after = selectors.scope_of(police)
    assert after != before
    assert list(selectors.meldingen_visible_to(police)) == [handhaving]
    assert list(selectors.meldingen_for_team(police.team)) == [handhaving]
    page = feed_text(client)  # no change committed: only the key tells the pages apart
    assert link(handhaving) in page and link(theirs) not in page
