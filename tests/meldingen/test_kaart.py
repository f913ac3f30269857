"""The melding form's pin (point-in-polygon on the server), the officer's map and the feed's
points, with buurt shapes stored here and no outside service."""

import pytest
from django.urls import reverse

from buurten import geo
from meldingen.models import Doel, Melder, Melding, Outbox, RoutingRegel
from tests import factories

from .test_views import form_data

pytestmark = pytest.mark.django_db

# The member's buurt is a 600 m square around this RD New point; its neighbour lies east of it.
CENTRE = (120700.0, 487700.0)


def point(dx: float, dy: float = 0.0) -> dict:
    lat, lon = geo.rd_to_wgs84(CENTRE[0] + dx, CENTRE[1] + dy)
    return {"latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}"}


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (kaart)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


@pytest.fixture
def shaped(buurt):
    """The member's buurt and a neighbour in the same wijk, both with a shape."""
    buurt.geometrie = factories.square(*CENTRE, 300)
    buurt.latitude, buurt.longitude = geo.rd_to_wgs84(*CENTRE)
    buurt.save()
    neighbour = factories.BuurtFactory(
        wijk=buurt.wijk,
        naam="Buurbuurt",
        geometrie=factories.square(CENTRE[0] + 600, CENTRE[1], 300),
    )
    return buurt, neighbour


def url(categorie):
    return reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})


def nothing_saved():
    return (
        not Melding.objects.exists() and not Melder.objects.exists() and not Outbox.objects.exists()
    )


def test_the_form_shows_the_map_and_the_buurt_to_choose(login, member, shaped, categorie):
    buurt, neighbour = shaped
    html = login(member).get(url(categorie)).content.decode()
    vormen = reverse("buurten:gemeente-vormen", args=[buurt.wijk.gemeente.code])
    assert f'data-vormen-url="{vormen}"' in html and f'data-focus="{buurt.code}"' in html
    assert f'<option value="{buurt.code}" selected>' in html
    assert f'<option value="{neighbour.code}">' in html
    assert "leaflet.js" in html and "kaart.js" in html


def test_a_pin_alone_is_enough_and_the_buurt_under_it_counts(login, member, shaped, categorie):
    buurt, neighbour = shaped
    response = login(member).post(url(categorie), form_data(waar="", **point(500)))
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert melding.buurt == neighbour and melding.waar == ""
    assert melding.latitude == pytest.approx(float(point(500)["latitude"]))
    # Pin and a chosen buurt that disagree: the pin counts.
    login(member).post(url(categorie), form_data(buurt=neighbour.code, **point(-100)))
    assert Melding.objects.latest("pk").buurt == buurt


def test_text_alone_goes_to_the_chosen_buurt(login, member, shaped, categorie):
    buurt, neighbour = shaped
    client = login(member)
    client.post(url(categorie), form_data())
    assert Melding.objects.get().buurt == buurt  # the own buurt, as offered
    client.post(url(categorie), form_data(buurt=neighbour.code))
    assert Melding.objects.latest("pk").buurt == neighbour


def test_neither_pin_nor_text_gets_a_clear_message(login, member, shaped, categorie):
    response = login(member).post(url(categorie), form_data(waar=""))
    assert response.status_code == 200
    assert "Zet een speld op de kaart of beschrijf waar het gebeurde." in response.content.decode()
    assert nothing_saved()


def test_a_pin_outside_the_gemeente_is_refused_clearly(login, member, shaped, categorie):
    buurt, _neighbour = shaped
    client = login(member)
    far = client.post(url(categorie), form_data(**point(5000)))
    html = far.content.decode()
    assert far.status_code == 200
    assert f"De speld staat buiten {buurt.wijk.gemeente.naam}." in html
    eindhoven = client.post(url(categorie), form_data(latitude="51.44", longitude="5.47"))
    assert "De speld staat buiten" in eindhoven.content.decode()
    half = client.post(url(categorie), form_data(latitude=point(0)["latitude"]))
    assert "De plek van de speld kwam niet goed door." in half.content.decode()
    assert nothing_saved()


def test_a_buurt_of_another_gemeente_cannot_be_chosen(login, member, shaped, categorie):
    elders = factories.BuurtFactory(
        wijk=factories.WijkFactory(gemeente=factories.GemeenteFactory(code="GM0599", naam="R"))
    )
    response = login(member).post(url(categorie), form_data(buurt=elders.code))
    assert response.status_code == 200 and "Buurt" in response.content.decode()
    assert response.context["form"].errors["buurt"]
    assert nothing_saved()


def test_without_shapes_a_pin_keeps_the_chosen_buurt(login, member, buurt, categorie):
    login(member).post(url(categorie), form_data(waar="", latitude="52.3791", longitude="4.8880"))
    assert Melding.objects.get().buurt == buurt


# --- officers ------------------------------------------------------------------------------


def test_the_officer_sees_the_point_with_the_buurt_shape(login, member, police, shaped, categorie):
    buurt, _neighbour = shaped
    melding = factories.melding(
        user=member,
        categorie=categorie,
        **{name: float(value) for name, value in point(10).items()},
    )
    html = login(police).get(reverse("meldingen:detail", kwargs={"pk": melding.pk})).content
    html = html.decode()
    lat, lon = point(10)["latitude"], point(10)["longitude"]
    assert f'data-punt="{lat},{lon}"' in html
    assert reverse("buurten:buurt-vorm", args=[buurt.code]) in html
    assert "openstreetmap" not in html


def test_the_feed_points_are_filtered_like_the_list(
    login,
    member,
    police,
    enforcement,
    shaped,
    other_buurt,
    categorie,
    django_assert_max_num_queries,
):
    _buurt, neighbour = shaped
    overlast = factories.CategorieFactory(naam="Overlast (kaart)")
    RoutingRegel.objects.create(volgorde=2, categorie=overlast, doel=Doel.POLITIE)
    here = factories.melding(user=member, categorie=categorie, latitude=52.38, longitude=4.88)
    there = factories.melding(buurt=neighbour, categorie=overlast, latitude=52.381, longitude=4.89)
    factories.melding(user=member, categorie=categorie)  # no point: on the list only
    factories.melding(buurt=other_buurt, categorie=categorie, latitude=52.0, longitude=5.0)
    client = login(police)
    punten_url = reverse("meldingen:feed-punten")
    with django_assert_max_num_queries(12):
        punten = client.get(punten_url).json()["punten"]
    urls = {p["url"] for p in punten}
    assert urls == {reverse("meldingen:detail", kwargs={"pk": m.pk}) for m in (here, there)}
    assert {(p["lat"], p["lon"]) for p in punten} == {(52.38, 4.88), (52.381, 4.89)}  # exact
    only = client.get(punten_url, {"categorie": overlast.pk, "na": "rommel"}).json()["punten"]
    assert [p["url"] for p in only] == [reverse("meldingen:detail", kwargs={"pk": there.pk})]
    bad = client.get(punten_url, {"status": "verzonnen"})
    assert bad.status_code == 400 and "status" in bad.json()["fouten"]
    # Police routes only: enforcement sees none of these; residents may not ask at all.
    assert login(enforcement).get(punten_url).json()["punten"] == []
    assert login(member).get(punten_url).status_code == 403
    feed = login(police).get(reverse("meldingen:feed"), {"categorie": overlast.pk}).content.decode()
    assert f'data-punten-url="{punten_url}?categorie={overlast.pk}"' in feed
    # A filter the list shows with its error and leaves out, the map leaves out too (it asks
    # for nothing that answers 400).
    params = {"categorie": overlast.pk, "zoek": "vx"}
    feed = login(police).get(reverse("meldingen:feed"), params).content.decode()
    assert f'data-punten-url="{punten_url}?categorie={overlast.pk}"' in feed


def test_where_some_buurten_have_no_shape_a_pin_in_none_goes_to_the_chosen_one(
    login, shaped, categorie
):
    """Weesp (Amsterdam since 2022) has no shapes in the carried data: its residents' pins lie
    in no shape, but near the gemeente, and go to the buurt they choose (their own at first)."""
    buurt, _neighbour = shaped
    weesp = factories.BuurtFactory(wijk=buurt.wijk, naam="Aetsveld-Noord")  # no shape
    resident = factories.LidmaatschapFactory(buurt=weesp).user
    client = login(resident)
    form = client.get(url(categorie)).content.decode()
    assert "data-vormen-onvolledig" in form
    client.post(url(categorie), form_data(waar="", **point(3000)))
    assert Melding.objects.get().buurt == weesp
    # Chosen a buurt the map has a shape for, while the pin lies in none: ask which buurt.
    response = client.post(url(categorie), form_data(buurt=buurt.code, **point(3000)))
    assert "Op de plek van de speld kent de kaart geen buurt." in response.content.decode()
    # Far from the gemeente: outside, whatever was chosen.
    far = client.post(url(categorie), form_data(latitude="51.44", longitude="5.47"))
    assert "De speld staat buiten" in far.content.decode()
    assert Melding.objects.count() == 1


# --- the feed's area shapes, and the way to the point --------------------------------------


def test_the_feed_map_draws_the_officers_area_not_the_city(
    login, member, police, coordinator, enforcement, shaped, other_buurt, categorie
):
    buurt, neighbour = shaped
    other_buurt.geometrie = factories.square(CENTRE[0] + 5000, CENTRE[1], 300)
    other_buurt.save()
    vormen_url = reverse("meldingen:feed-vormen")
    for professional in (police, coordinator, enforcement):
        response = login(professional).get(vormen_url)
        assert response.status_code == 200
        codes = {f["properties"]["code"] for f in response.json()["features"]}
        assert codes == {buurt.code, neighbour.code}  # the area's, not the other wijk's
        assert "private" in response["Cache-Control"]
    # Residents and visitors get no feed and no shapes of it.
    assert login(member).get(vormen_url).status_code == 403
    feed = login(police).get(reverse("meldingen:feed")).content.decode()
    assert f'data-vormen-url="{vormen_url}"' in feed


def test_the_officer_gets_a_geo_link_to_navigate_to_the_point(
    login, member, police, shaped, other_buurt, categorie
):
    here = point(10)
    melding = factories.melding(
        user=member, categorie=categorie, **{k: float(v) for k, v in here.items()}
    )
    html = login(police).get(reverse("meldingen:detail", kwargs={"pk": melding.pk})).content
    html = html.decode()
    assert f'href="geo:{here["latitude"]},{here["longitude"]}"' in html
    assert "Navigeer naar dit punt (opent je kaarten-app)" in html
    # Without a point, no link to nowhere.
    without = factories.melding(user=member, categorie=categorie)
    html = login(police).get(reverse("meldingen:detail", kwargs={"pk": without.pk})).content
    assert b"geo:" not in html
    # A melding in another area stays 404, link and all; residents get no officer's page.
    elsewhere = factories.melding(
        buurt=other_buurt, categorie=categorie, latitude=52.0, longitude=5.0
    )
    assert login(police).get(reverse("meldingen:detail", args=[elsewhere.pk])).status_code == 404
    assert login(member).get(reverse("meldingen:detail", args=[melding.pk])).status_code == 403
