"""Starters: residents who, at the end of a survey, ask for an invitation for a first activity.
The opt-in cannot be paired with their answers; coordinators see suppressed counts, never who;
the invitation is queued once per starter per activity, and not after withdrawal."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from activiteiten.models import Activiteit
from indicatoren import services
from indicatoren.models import Respons, StarterAanmelding
from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties
from tests import factories

from .conftest import _soort, closed_round, members, past_activity, took_part
from .views_support import antwoorden, open_peiling

ENQUETE = reverse("indicatoren:enquete")
AANMELDEN = reverse("indicatoren:starter-aanmelden")
INTREKKEN = reverse("indicatoren:starter-intrekken")
BEREID = reverse("indicatoren:bereid")
UITNODIGEN = reverse("indicatoren:starters-uitnodigen")
SOORT = Notificatie.Soort.STARTER_UITNODIGING


@pytest.fixture
def peiling(wijk, coordinator):
    return open_peiling(wijk, coordinator)


def upcoming(buurt, *, days: int = 5, titel: str = "Buurtkoffie") -> Activiteit:
    start = timezone.now() + timedelta(days=days)
    return Activiteit.objects.create(
        buurt=buurt,
        soort=_soort(),
        titel=titel,
        plek="Buurthuis",
        start=start,
        einde=start + timedelta(hours=2),
        capaciteit=30,
        organisator=factories.UserFactory(),
    )


def opt_in(user, peiling, *, days_ago: int = 0) -> StarterAanmelding:
    return StarterAanmelding.objects.create(
        user=user, peiling=peiling, aangemeld_op=timezone.localdate() - timedelta(days=days_ago)
    )


# --- The resident ----------------------------------------------------------------------------


def test_after_answering_the_resident_is_asked_and_opts_in_by_a_request_of_its_own(
    login, member, peiling
):
    client = login(member)
    # Even a survey post that carries an opt-in field stores only the answers.
    landing = client.post(ENQUETE, {**antwoorden(), "starter": "1"}, follow=True)
    assert StarterAanmelding.objects.count() == 0
    assert "Zin om een keer mee te doen?" in landing.content.decode()
    response = client.post(AANMELDEN, {"peiling": peiling.pk, "next": ENQUETE}, follow=True)
    assert response.redirect_chain[-1][0] == ENQUETE
    content = response.content.decode()
    assert "krijg je een uitnodiging" in content
    assert "Je staat aangemeld als starter" in content
    row = StarterAanmelding.objects.get()
    assert (row.user, row.peiling, row.aangemeld_op) == (member, peiling, timezone.localdate())


def test_the_opt_in_shares_nothing_with_the_answers(login, wijk, buurt, peiling):
    """No user on the answers, no buurt or time on the opt-in, random keys on both: an opt-in
    cannot be paired with a response by id, time or the order of the rows."""
    people = members(buurt, 12)
    for person in people:
        client = login(person)
        client.post(ENQUETE, antwoorden())
        client.post(AANMELDEN, {"peiling": peiling.pk})
    assert Respons.objects.count() == StarterAanmelding.objects.count() == 12

    def fields(model):
        return {f.name: f for f in model._meta.get_fields() if f.concrete}

    shared = set(fields(Respons)) & set(fields(StarterAanmelding))
    assert shared == {"id", "peiling"}  # the round is what the opt-in is about; the id random
    for model in (Respons, StarterAanmelding):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert not [f for f in fields(model).values() if isinstance(f, models.DateTimeField)]
        assert not model._meta.ordering
    assert isinstance(fields(StarterAanmelding)["aangemeld_op"], models.DateField)
    respons_ids = set(Respons.objects.values_list("id", flat=True))
    starter_ids = list(StarterAanmelding.objects.order_by("id").values_list("id", flat=True))
    assert respons_ids.isdisjoint(starter_ids)
    assert all(uuid.UUID(str(i)).version == 4 for i in starter_ids)
    # Sorted by key, the opt-ins are not in the order the residents answered (1 in 12!).
    by_key = [row.user_id for row in StarterAanmelding.objects.order_by("id")]
    assert by_key != [p.pk for p in people]


@pytest.mark.parametrize("value", ["999999", "abc", "", "-1"])
def test_an_unknown_round_saves_nothing_and_says_so(login, member, peiling, value):
    response = login(member).post(AANMELDEN, {"peiling": value}, follow=True)
    assert response.status_code == 200
    assert "gesloten of bestaat niet" in response.content.decode()
    assert not StarterAanmelding.objects.exists()


def test_a_round_of_another_wijk_or_closed_meanwhile_saves_nothing(
    login, member, peiling, other_buurt, coordinator
):
    elsewhere = open_peiling(
        other_buurt.wijk, factories.professional("coordinator", other_buurt.wijk)
    )
    client = login(member)
    client.post(AANMELDEN, {"peiling": elsewhere.pk})
    services.peiling_close(peiling=peiling, by=coordinator)
    response = client.post(AANMELDEN, {"peiling": peiling.pk}, follow=True)
    assert "gesloten of bestaat niet" in response.content.decode()
    assert not StarterAanmelding.objects.exists()


def test_opting_in_twice_keeps_one_row(login, member, peiling):
    client = login(member)
    client.post(AANMELDEN, {"peiling": peiling.pk})
    client.post(AANMELDEN, {"peiling": peiling.pk})
    assert StarterAanmelding.objects.count() == 1


def test_withdrawing_removes_the_opt_in_from_the_start_page(login, member, peiling):
    client = login(member)
    client.post(ENQUETE, antwoorden())
    client.post(AANMELDEN, {"peiling": peiling.pk})
    home = client.get(reverse("home")).content.decode()
    assert "Afmelden als starter" in home
    response = client.post(INTREKKEN, {"next": reverse("home")}, follow=True)
    assert "Je bent afgemeld als starter" in response.content.decode()
    assert not StarterAanmelding.objects.exists()
    assert "Afmelden als starter" not in response.content.decode()
    # Not asked again right under "je bent afgemeld", here or on the survey page, this round.
    assert "Ja, nodig me uit" not in response.content.decode()
    assert "Ja, nodig me uit" not in client.get(ENQUETE).content.decode()
    # The next round asks anew.
    services.peiling_close(peiling=peiling, by=peiling.opened_by)
    open_peiling(peiling.wijk, peiling.opened_by)
    client.post(ENQUETE, antwoorden())
    assert "Ja, nodig me uit" in client.get(ENQUETE).content.decode()


def test_a_foreign_next_is_not_followed(login, member, peiling):
    response = login(member).post(INTREKKEN, {"next": "https://example.org/"})
    assert response.url == reverse("indicatoren:mijn-buurt")


@pytest.mark.parametrize("target", ["abc", "home", "//example.org/", "/\\example.org", " /"])
def test_a_next_that_is_no_path_here_goes_to_the_default(login, member, peiling, target):
    # "abc" passes the host check, and redirect() read it as a URL name: a 500 after the action.
    client = login(member)
    response = client.post(AANMELDEN, {"peiling": peiling.pk, "next": target}, follow=True)
    assert response.redirect_chain == [(reverse("indicatoren:mijn-buurt"), 302)]
    assert "krijg je een uitnodiging" in response.content.decode()
    assert StarterAanmelding.objects.exists()
    response = client.post(INTREKKEN, {"next": target}, follow=True)
    assert response.redirect_chain == [(reverse("indicatoren:mijn-buurt"), 302)]
    assert "Je bent afgemeld als starter" in response.content.decode()
    assert not StarterAanmelding.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "politie", "handhaving"])
def test_professionals_cannot_opt_in(login, wijk, peiling, role):
    client = login(factories.professional(role, wijk))
    assert client.post(AANMELDEN, {"peiling": peiling.pk}).status_code == 403
    assert client.post(INTREKKEN).status_code == 403
    assert not StarterAanmelding.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, peiling):
    response = client.post(AANMELDEN, {"peiling": peiling.pk})
    assert response.status_code == 302 and reverse("account_login") in response.url


# --- The coordinator's counts ----------------------------------------------------------------


@pytest.fixture
def rounds(wijk, buurt):
    """A round with 12 starters, 10 of whom took part afterwards, and one with 3."""
    big = closed_round(wijk, days_ago=40, titel="Peiling zomer")
    small = closed_round(wijk, days_ago=5, titel="Peiling herfst")
    people = members(buurt, 15, weergavenaam="Starter Sanne")
    for person in people[:12]:
        opt_in(person, big, days_ago=30)
    for person in people[12:]:
        opt_in(person, small, days_ago=5)
    after = past_activity(buurt, days_ago=10)
    for person in people[:10]:
        took_part(person, after)
    took_part(people[10], after, aanwezig=False)  # absent: does not count
    took_part(people[11], past_activity(buurt, days_ago=10, cancelled=True))  # called off
    took_part(people[11], past_activity(buurt, days_ago=35))  # before opting in
    took_part(people[12], past_activity(buurt, days_ago=20))  # before opting in
    return {"big": big, "small": small, "people": people}


def starter_row(content: str, titel: str) -> str:
    import re

    match = re.search(rf"{titel}<span.*?</tr>", content, re.S)
    assert match, titel
    return match.group(0)


def test_coordinator_sees_counts_suppressed_below_the_minimum_and_no_names(
    login, coordinator, rounds, django_assert_max_num_queries
):
    client = login(coordinator)
    with django_assert_max_num_queries(16):
        content = client.get(BEREID).content.decode()
    assert '<td class="text-end">12</td><td class="text-end">10</td>' in starter_row(
        content, "Peiling zomer"
    )
    assert '<td class="text-end">&lt; 10</td><td class="text-end">&lt; 10</td>' in starter_row(
        content, "Peiling herfst"
    )
    assert "Starter Sanne" not in content
    assert rounds["people"][0].email not in content


def test_the_minimum_is_the_gemeentes(login, coordinator, rounds, wijk):
    from indicatoren.models import IndicatorInstelling

    IndicatorInstelling.objects.create(gemeente=wijk.gemeente, min_n_telling=11)
    content = login(coordinator).get(BEREID).content.decode()
    assert '<td class="text-end">12</td><td class="text-end">&lt; 11</td>' in starter_row(
        content, "Peiling zomer"
    )


# --- Inviting the starters -------------------------------------------------------------------


@pytest.fixture
def invite(wijk, buurt, rounds):
    """An upcoming activity in the buurt; a starter of a neighbouring buurt and one already
    signed up are not invited."""
    activiteit = upcoming(buurt)
    neighbour = factories.LidmaatschapFactory(buurt=factories.BuurtFactory(wijk=wijk)).user
    opt_in(neighbour, rounds["big"], days_ago=30)
    from activiteiten.models import Aanmelding

    Aanmelding.objects.create(activiteit=activiteit, user=rounds["people"][0])
    return activiteit


def test_the_invitation_is_queued_once_per_starter_and_sent(login, coordinator, rounds, invite):
    client = login(coordinator)
    response = client.post(UITNODIGEN, {"activiteit": invite.pk}, follow=True)
    told = f"{invite.buurt.naam} heeft 15 starters."  # the buurt's, not how many were queued
    assert told in response.content.decode()
    queued = Notificatie.objects.filter(soort=SOORT, object_id=invite.pk)
    assert set(queued.values_list("ontvanger", flat=True)) == {p.pk for p in rounds["people"][1:]}
    again = client.post(UITNODIGEN, {"activiteit": invite.pk}, follow=True)
    assert told in again.content.decode()  # nobody new, and the same words
    assert queued.count() == 14
    relay_notificaties()
    assert len(mail.outbox) == 14
    message = mail.outbox[0]
    assert "Buurtkoffie" in message.subject
    assert invite.get_absolute_url() in message.body
    assert "Meld je af als starter" in message.body


def test_an_invitation_to_an_activity_far_ahead_is_not_sent_again_after_the_purge(
    login, coordinator, rounds, buurt
):
    """Invitations are kept once per starter and activity. The daily purge forgets sent
    notices after 30 or 90 days, but an activity may be planned a year ahead: a coordinator
    who invites again then (to reach who opted in since) must not invite the others twice.
    Once the activity is past, its invitations are forgotten like any notice."""
    from notificaties.services import notificaties_purge

    activiteit = upcoming(buurt, days=200, titel="Zomerfeest")
    client = login(coordinator)
    client.post(UITNODIGEN, {"activiteit": activiteit.pk})
    relay_notificaties()
    invited = len(mail.outbox)
    assert invited == 15
    long_ago = timezone.now() - timedelta(days=100)
    rows = Notificatie.objects.filter(soort=SOORT, object_id=activiteit.pk)
    rows.update(created_at=long_ago, finished_at=long_ago)

    notificaties_purge()
    client.post(UITNODIGEN, {"activiteit": activiteit.pk})
    relay_notificaties()

    assert len(mail.outbox) == invited
    assert rows.count() == 15
    Activiteit.objects.filter(pk=activiteit.pk).update(
        start=timezone.now() - timedelta(days=1), einde=timezone.now() - timedelta(hours=22)
    )
    notificaties_purge()
    assert not rows.exists()


def test_after_withdrawal_nothing_is_sent(login, coordinator, rounds, invite):
    client = login(coordinator)
    client.post(UITNODIGEN, {"activiteit": invite.pk})
    quitter = rounds["people"][1]
    login(quitter).post(INTREKKEN)
    relay_notificaties()
    assert quitter.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 13
    row = Notificatie.objects.get(soort=SOORT, ontvanger=quitter)
    assert row.status == Notificatie.Status.VERVALLEN
    # A later activity: the one who withdrew is not even queued.
    later = upcoming(invite.buurt, days=12, titel="Opschoonochtend")
    login(coordinator).post(UITNODIGEN, {"activiteit": later.pk})
    assert not Notificatie.objects.filter(object_id=later.pk, ontvanger=quitter).exists()


@pytest.mark.parametrize("value", ["abc", "", "0", "99999999999999999999999"])
def test_an_invalid_activity_says_so_and_queues_nothing(login, coordinator, rounds, value):
    response = login(coordinator).post(UITNODIGEN, {"activiteit": value}, follow=True)
    assert response.status_code == 200
    assert "Kies een activiteit uit de lijst" in response.content.decode()
    assert not Notificatie.objects.filter(soort=SOORT).exists()


def test_a_past_or_cancelled_activity_is_refused_with_a_message(login, coordinator, buurt, rounds):
    past = past_activity(buurt, days_ago=1)
    response = login(coordinator).post(UITNODIGEN, {"activiteit": past.pk}, follow=True)
    assert "al begonnen of afgelast" in response.content.decode()
    assert not Notificatie.objects.filter(soort=SOORT).exists()


def test_an_activity_of_another_wijk_is_not_found(login, coordinator, other_buurt, rounds):
    elsewhere = upcoming(other_buurt)
    assert login(coordinator).post(UITNODIGEN, {"activiteit": elsewhere.pk}).status_code == 404
    assert not Notificatie.objects.filter(soort=SOORT).exists()


def test_a_coordinator_of_another_wijk_cannot_invite(login, other_buurt, invite):
    elsewhere = factories.professional("coordinator", other_buurt.wijk)
    assert login(elsewhere).post(UITNODIGEN, {"activiteit": invite.pk}).status_code == 404
    assert not Notificatie.objects.filter(soort=SOORT).exists()


@pytest.mark.parametrize("role", ["politie", "handhaving", "bewoner"])
def test_other_roles_cannot_invite(login, wijk, buurt, invite, role):
    if role == "bewoner":
        user = factories.LidmaatschapFactory(buurt=buurt).user
    else:
        user = factories.professional(role, wijk)
    assert login(user).post(UITNODIGEN, {"activiteit": invite.pk}).status_code == 403
    assert not Notificatie.objects.filter(soort=SOORT).exists()


def test_inviting_to_two_activities_does_not_tell_which_participant_is_a_starter(
    login, coordinator, buurt, wijk
):
    """The coordinator may see who signed up for each activity. If the answer followed how
    many were invited, the one starter signed up for the first but not the second would be
    singled out: 0 invited against "fewer than 10"."""
    rond = closed_round(wijk, days_ago=5, titel="Peiling winter")
    (starter,) = members(buurt, 1, weergavenaam="Enige Starter")
    opt_in(starter, rond, days_ago=5)
    first, second = upcoming(buurt), upcoming(buurt)
    from activiteiten.models import Aanmelding

    Aanmelding.objects.create(activiteit=first, user=starter)
    client = login(coordinator)
    answers = [
        client.post(UITNODIGEN, {"activiteit": activiteit.pk}, follow=True).content.decode()
        for activiteit in (first, second)
    ]
    for answer, activiteit in zip(answers, (first, second), strict=True):
        told = (
            f"De uitnodiging voor {activiteit.titel} gaat naar de starters van {buurt.naam} die"
            f" nog niet meedoen en nog geen uitnodiging kregen. {buurt.naam} heeft minder dan"
            " 10 starters (het precieze aantal tonen we niet)."
        )
        assert escape(told) in answer
        assert "Enige Starter" not in answer
    invited = Notificatie.objects.filter(soort=SOORT).values_list("object_id", flat=True)
    assert list(invited) == [second.pk]  # only where the starter was not signed up yet
