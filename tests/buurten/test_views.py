"""Buurt pages and membership views, per role and scope, with bad input."""

import pytest
from django.urls import reverse

from buurten.models import Lidmaatschap, Uitnodigingscode
from tests import factories

pytestmark = pytest.mark.django_db


def detail(buurt):
    return reverse("buurten:detail", kwargs={"code": buurt.code})


# --- public buurt pages --------------------------------------------------------------------


def test_anyone_sees_public_figures_with_cbs_attribution(client, buurt):
    response = client.get(detail(buurt))
    html = response.content.decode()
    assert response.status_code == 200
    assert buurt.naam in html
    assert buurt.wijk.naam in html
    assert "1.200" in html  # inwoners, Dutch thousands separator
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in html
    assert "geverifieerd" not in html  # member counts are for members only


def test_unknown_buurt_is_404(client):
    assert client.get("/buurten/BU0363XXXX/").status_code == 404


def test_search_by_buurt_wijk_and_code(client, buurt, django_assert_max_num_queries):
    factories.BuurtFactory.create_batch(30, wijk=buurt.wijk)
    with django_assert_max_num_queries(3):
        by_wijk = client.get(reverse("buurten:zoeken"), {"q": buurt.wijk.naam})
    assert "31 buurten gevonden" in by_wijk.content.decode()
    by_code = client.get(reverse("buurten:zoeken"), {"q": buurt.code.lower()})
    assert buurt.naam in by_code.content.decode()
    none = client.get(reverse("buurten:zoeken"), {"q": "Atlantis"})
    assert "Geen buurt gevonden" in none.content.decode()


def test_members_see_member_info_and_neighbours_to_vouch_for(login, buurt, member):
    pending = factories.LidmaatschapFactory(
        buurt=buurt, status=Lidmaatschap.Status.AANGEVRAAGD, via=""
    )
    html = login(member).get(detail(buurt)).content.decode()
    assert "Je bent geverifieerd lid" in html
    assert pending.user.display_name in html
    assert pending.user.email not in html


def test_non_members_do_not_see_who_asks_to_join(login, buurt, resident):
    pending = factories.LidmaatschapFactory(
        buurt=buurt, status=Lidmaatschap.Status.AANGEVRAAGD, via=""
    )
    html = login(resident).get(detail(buurt)).content.decode()
    assert pending.user.display_name not in html
    assert "Vraag lidmaatschap aan" in html


# --- asking to join ------------------------------------------------------------------------


def test_resident_asks_to_join(login, resident, buurt):
    url = reverse("buurten:aanvraag-indienen", kwargs={"code": buurt.code})
    response = login(resident).post(url, {"toelichting": "Kinkerstraat"}, follow=True)
    assert "Je aanvraag voor" in response.content.decode()
    assert Lidmaatschap.objects.get(user=resident).status == "aangevraagd"


def test_aanvraag_create_bad_input_saves_nothing(login, resident, buurt):
    url = reverse("buurten:aanvraag-indienen", kwargs={"code": buurt.code})
    response = login(resident).post(url, {"toelichting": "x" * 201}, follow=True)
    assert "te lang" in response.content.decode()
    assert not Lidmaatschap.objects.exists()


def test_aanvraag_create_forbidden_for_professionals_and_needs_login(client, login, police, buurt):
    url = reverse("buurten:aanvraag-indienen", kwargs={"code": buurt.code})
    assert client.post(url).status_code == 302  # to the login page
    assert login(police).post(url).status_code == 403
    assert login(factories.UserFactory()).post("/buurten/BU0363XXXX/aanmelden/").status_code == 404
    assert client.get(url).status_code in (302, 405)


def test_join_with_code_page(login, resident, buurt):
    factories.UitnodigingscodeFactory(buurt=buurt, code="SAMEN234")
    client = login(resident)
    prefilled = client.get(reverse("buurten:code"), {"code": "SAMEN234"})
    assert 'value="SAMEN234"' in prefilled.content.decode()

    wrong = client.post(reverse("buurten:code"), {"code": "WRONG999"})
    assert wrong.status_code == 200
    assert "kennen we niet" in wrong.content.decode()
    assert not Lidmaatschap.objects.exists()

    empty = client.post(reverse("buurten:code"), {"code": ""})
    assert "Dit veld is verplicht" in empty.content.decode()

    right = client.post(reverse("buurten:code"), {"code": "samen-234"}, follow=True)
    assert "Welkom! Je bent nu lid van" in right.content.decode()
    assert Lidmaatschap.objects.get(user=resident).status == "lid"


def test_vouching_through_the_page(login, buurt, member):
    pending = factories.LidmaatschapFactory(
        buurt=buurt, status=Lidmaatschap.Status.AANGEVRAAGD, via=""
    )
    url = reverse("buurten:instaan", kwargs={"pk": pending.pk})
    response = login(member).post(url, follow=True)
    assert "nog één buur nodig" in response.content.decode()
    # A second click is not offered and not counted.
    assert login(member).post(url).status_code == 404
    assert pending.borgstellingen.count() == 1


def test_vouching_for_another_buurt_is_404(login, other_buurt, member):
    pending = factories.LidmaatschapFactory(
        buurt=other_buurt, status=Lidmaatschap.Status.AANGEVRAAGD, via=""
    )
    url = reverse("buurten:instaan", kwargs={"pk": pending.pk})
    assert login(member).post(url).status_code == 404
    assert not pending.borgstellingen.exists()


def test_withdrawing_a_aanvraag(login, resident, buurt):
    lidmaatschap = factories.LidmaatschapFactory(
        user=resident, buurt=buurt, status=Lidmaatschap.Status.AANGEVRAAGD, via=""
    )
    url = reverse("buurten:beeindigen", kwargs={"pk": lidmaatschap.pk})
    assert login(factories.UserFactory()).post(url).status_code == 404
    login(resident).post(url)
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == "ingetrokken"


# --- coordinator: aanvragen and invite codes ------------------------------------------------


def test_coordinator_queue_shows_only_their_area(
    login, coordinator, buurt, other_buurt, django_assert_max_num_queries
):
    mine = factories.LidmaatschapFactory.create_batch(
        5, buurt=buurt, status=Lidmaatschap.Status.AANGEVRAAGD, via=""
    )
    theirs = factories.LidmaatschapFactory(
        buurt=other_buurt, status=Lidmaatschap.Status.AANGEVRAAGD, via=""
    )
    client = login(coordinator)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("buurten:aanvragen")).content.decode()
    assert all(m.user.display_name in html for m in mine)
    assert theirs.user.display_name not in html


def test_coordinator_decides_in_area_only(login, coordinator, buurt, other_buurt):
    mine = factories.LidmaatschapFactory(buurt=buurt, status="aangevraagd", via="")
    theirs = factories.LidmaatschapFactory(buurt=other_buurt, status="aangevraagd", via="")
    client = login(coordinator)

    response = client.post(
        reverse("buurten:besluit", kwargs={"pk": mine.pk}), {"besluit": "goedkeuren"}, follow=True
    )
    assert "is nu lid van" in response.content.decode()
    other = client.post(
        reverse("buurten:besluit", kwargs={"pk": theirs.pk}), {"besluit": "goedkeuren"}
    )
    assert other.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "aangevraagd"


def test_coordinator_decision_bad_input(login, coordinator, buurt):
    pending = factories.LidmaatschapFactory(buurt=buurt, status="aangevraagd", via="")
    response = login(coordinator).post(
        reverse("buurten:besluit", kwargs={"pk": pending.pk}), {"besluit": "misschien"}, follow=True
    )
    assert "Kies goedkeuren of afwijzen" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "aangevraagd"


@pytest.mark.parametrize("role", ["resident", "police", "enforcement"])
def test_queue_and_codes_are_forbidden_for_other_roles(request, login, buurt, role):
    client = login(request.getfixturevalue(role))
    assert client.get(reverse("buurten:aanvragen")).status_code == 403
    assert client.get(reverse("buurten:codes", kwargs={"code": buurt.code})).status_code == 403


def test_coordinator_creates_prints_and_revokes_codes(login, coordinator, buurt):
    client = login(coordinator)
    url = reverse("buurten:codes", kwargs={"code": buurt.code})

    empty = client.post(url, {"label": ""})
    assert "Dit veld is verplicht" in empty.content.decode()
    assert not Uitnodigingscode.objects.exists()

    client.post(url, {"label": "Flyer Kinkerstraat"})
    code = Uitnodigingscode.objects.get()
    assert code.label == "Flyer Kinkerstraat"
    assert code.created_by == coordinator

    flyer = client.get(reverse("buurten:flyer", kwargs={"pk": code.pk})).content.decode()
    assert code.code in flyer
    assert "<svg" in flyer
    assert "<?xml" not in flyer
    assert f"?code={code.code}" in flyer

    client.post(reverse("buurten:code-intrekken", kwargs={"pk": code.pk}))
    code.refresh_from_db()
    assert code.revoked_at is not None
    assert client.get(reverse("buurten:flyer", kwargs={"pk": code.pk})).status_code == 403


def test_codes_of_another_area_are_404(login, coordinator, other_buurt):
    code = factories.UitnodigingscodeFactory(buurt=other_buurt)
    client = login(coordinator)
    assert (
        client.get(reverse("buurten:codes", kwargs={"code": other_buurt.code})).status_code == 404
    )
    assert client.get(reverse("buurten:flyer", kwargs={"pk": code.pk})).status_code == 404
    assert client.post(reverse("buurten:code-intrekken", kwargs={"pk": code.pk})).status_code == 404
    code.refresh_from_db()
    assert code.revoked_at is None


def test_a_postcode_search_explains_that_postcodes_are_not_known_yet(client, buurt):
    html = client.get(reverse("buurten:zoeken"), {"q": "1013 AB"}).content.decode()
    assert "Zoeken op postcode kan nog niet" in html


def test_administrators_may_decide_like_a_coordinator(login, other_buurt):
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    pending = factories.LidmaatschapFactory(buurt=other_buurt, status="aangevraagd", via="")
    client = login(admin)
    assert pending.user.display_name in client.get(reverse("buurten:aanvragen")).content.decode()
    client.post(reverse("buurten:besluit", kwargs={"pk": pending.pk}), {"besluit": "goedkeuren"})
    pending.refresh_from_db()
    assert pending.status == "lid"


def test_a_scanned_flyer_explains_the_code_before_sign_in(client, buurt):
    factories.UitnodigingscodeFactory(buurt=buurt, code="SAMEN234")
    html = client.get(reverse("buurten:code"), {"code": "SAMEN234"}).content.decode()
    assert f"Welkom in {buurt.naam}" in html
    assert "next=/buurten/lid-worden/%3Fcode%3DSAMEN234" in html
    assert (
        buurt.naam not in client.get(reverse("buurten:code"), {"code": "WRONG999"}).content.decode()
    )


def test_a_member_can_leave_and_a_rejected_resident_is_told(login, member, buurt, coordinator):
    client = login(member)
    lidmaatschap = Lidmaatschap.objects.get(user=member)
    assert "Lidmaatschap opzeggen" in client.get(detail(buurt)).content.decode()
    client.post(reverse("buurten:beeindigen", kwargs={"pk": lidmaatschap.pk}))
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == "beeindigd"

    from buurten import services

    again = services.aanvraag_create(user=member, buurt=buurt)
    services.aanvraag_decide(
        lidmaatschap=again, by=coordinator, approve=False, reden="Dit adres ligt in Oost."
    )
    home = client.get("/").content.decode()
    assert "niet goedgekeurd" in home
    assert "Reden: Dit adres ligt in Oost." in home


def test_search_by_wijk_code_and_too_long_queries(client, buurt):
    html = client.get(reverse("buurten:zoeken"), {"q": buurt.wijk.code}).content.decode()
    assert buurt.naam in html
    too_long = client.get(reverse("buurten:zoeken"), {"q": "x" * 101}).content.decode()
    assert "niet meer dan 100 tekens" in too_long


def test_forbidden_and_missing_pages_are_in_the_site_look(login, resident):
    forbidden = login(resident).get(reverse("buurten:aanvragen"))
    assert forbidden.status_code == 403
    assert "Deze pagina is niet voor jou" in forbidden.content.decode()
    missing = login(resident).get("/buurten/BU0363XXXX/")
    assert "Deze pagina bestaat niet" in missing.content.decode()


def test_the_buurt_list_draws_a_map_of_each_gemeentes_shapes_that_opens_the_buurt(
    client, buurt, django_assert_max_num_queries
):
    url = reverse("buurten:lijst")
    # Without shapes there is no map to promise: the list alone.
    html = client.get(url).content.decode()
    assert "data-kaart" not in html and buurt.naam in html
    buurt.geometrie = factories.square(120700.0, 487700.0, 300)
    buurt.save()
    with django_assert_max_num_queries(4):
        html = client.get(url).content.decode()
    gemeente = buurt.wijk.gemeente
    vormen = reverse("buurten:gemeente-vormen", args=[gemeente.code])
    assert f'data-vormen-url="{vormen}"' in html
    assert f'data-buurt-url="{reverse("buurten:detail", args=["__code__"])}"' in html
    assert buurt.get_absolute_url() in html  # the list stays, for keyboards and no map
    shapes = client.get(vormen).json()["features"]
    assert [f["properties"]["code"] for f in shapes] == [buurt.code]
