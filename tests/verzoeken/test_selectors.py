"""The scope of faciliteringsverzoeken, decided in ``verzoeken.selectors`` for every role: what
each sees, may do with a request, and which rules they may set. The pages that ask it are in
test_scope.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from verzoeken import selectors, services
from verzoeken.models import StilzwijgendRegel

pytestmark = pytest.mark.django_db


def _ask(buurt, *, indienen=True):
    return services.verzoek_create(
        aanvrager=factories.LidmaatschapFactory(buurt=buurt).user,
        buurt=buurt,
        soort="materialen",
        nodig_op=timezone.localdate() + timedelta(days=20),
        toelichting="Hesjes",
        indienen=indienen,
    )


@pytest.fixture
def requests(buurt, other_buurt):
    """A submitted request and a draft in the area, and a submitted one in another area."""
    return {"here": _ask(buurt), "draft": _ask(buurt, indienen=False), "there": _ask(other_buurt)}


@pytest.fixture
def people(requests, other_buurt, coordinator, police, enforcement):
    return {
        "owner": requests["here"].aanvrager,
        "drafter": requests["draft"].aanvrager,
        "other_resident": factories.LidmaatschapFactory(buurt=requests["here"].buurt).user,
        "coordinator": coordinator,
        "coordinator_elsewhere": factories.professional("coordinator", other_buurt.wijk),
        "police": police,
        "enforcement": enforcement,
        "admin": factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True),
    }


# role → (requests visible, in the queue to decide)
SCOPE = {
    "owner": ({"here"}, set()),
    "drafter": ({"draft"}, set()),
    "other_resident": (set(), set()),
    "coordinator": ({"here"}, {"here"}),
    "coordinator_elsewhere": ({"there"}, {"there"}),
    "police": (set(), set()),
    "enforcement": (set(), set()),
    "admin": ({"here", "there"}, {"here", "there"}),
}


@pytest.mark.parametrize("role", SCOPE)
def test_what_each_role_sees_and_decides(people, requests, role):
    user = people[role]
    names = {v.pk: name for name, v in requests.items()}
    visible, queue = SCOPE[role]
    assert {names[v.pk] for v in selectors.verzoeken_visible_to(user)} == visible
    assert {names[v.pk] for v in selectors.verzoeken_to_decide(user)} == queue


@pytest.mark.parametrize("role", SCOPE)
def test_what_each_role_may_do_with_a_request_it_sees(people, requests, role):
    user = people[role]
    for verzoek in selectors.verzoeken_visible_to(user):
        access = selectors.access_to(user, verzoek)
        assert access.is_aanvrager == (verzoek.aanvrager_id == user.pk)
        assert access.is_coordinator == (role in ("coordinator", "coordinator_elsewhere", "admin"))


ROLES = {
    # role → (asks, reaches the verzoek pages, decides, sets silent-consent rules)
    "owner": (True, True, False, False),
    "coordinator": (False, True, True, True),
    "police": (False, False, False, False),
    "enforcement": (False, False, False, False),
    "admin": (False, True, True, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_may_reach(people, role):
    user = people[role]
    asks, uses, decides, sets = ROLES[role]
    assert selectors.asks_verzoeken(user) is asks
    assert selectors.uses_verzoeken(user) is uses
    assert selectors.decides_verzoeken(user) is decides
    assert selectors.sets_regels(user) is sets


def test_rules_are_those_of_the_coordinators_gemeente(people, buurt):
    here = StilzwijgendRegel.objects.create(gemeente=buurt.wijk.gemeente, soort="budget")
    elsewhere = factories.GemeenteFactory(code="GM0599", naam="Rotterdam")
    StilzwijgendRegel.objects.create(gemeente=elsewhere, soort="budget")
    assert list(selectors.regels_visible_to(people["coordinator"])) == [here]
    for role in ("owner", "police", "admin"):
        assert not selectors.regels_visible_to(people[role]).exists()


def test_only_an_activity_one_organises_gets_support(member, buurt):
    own = factories.activiteit(buurt=buurt, organisator=member)
    someone_elses = factories.activiteit(buurt=buurt)
    assert selectors.activiteit_to_support(member, str(own.pk)) == own
    assert selectors.activiteit_to_support(member, str(someone_elses.pk)) is None
    assert selectors.activiteit_to_support(member, "1 OR 1=1") is None
