"""The admin shows cases, never who reported: a reporter's name, e-mail address or phone number
is read only through the audited reveal, by administrators too."""

import pytest
from django.contrib import admin
from django.urls import reverse

from meldingen import services
from meldingen.models import Doel, Inzage, Melder, RoutingRegel, StatusWijziging
from meldingen.workflow import Actie, Status
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Zara Kanariepiet"
EMAIL = "zara.kanariepiet@example.org"
PHONE = "06 1122 3344"
EXTERN = {"naam": "Extern Kanarievogel", "email": "extern.kanarie@example.org"}
CANARIES = (NAME, EMAIL, PHONE, "0611223344", EXTERN["naam"], EXTERN["email"])


@pytest.fixture
def superuser(db):
    return factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def reported(buurt, login, police):
    """Zara reported (police may contact her), the police closed it, she answered "niet
    opgelost"; a coordinator revealed her for a reason; an outside app filed another."""
    categorie = factories.CategorieFactory(naam="Verdachte situatie (admin)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    zara = factories.UserFactory(weergavenaam=NAME, email=EMAIL)
    factories.LidmaatschapFactory(user=zara, buurt=buurt)
    melding = factories.melding(
        user=zara, categorie=categorie, bescherming="contact", telefoon=PHONE
    )
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    services.melding_join(user=neighbour, melding=melding, bescherming="coordinator")
    services.melding_transition(
        melding=melding,
        actie=Actie.AFSLUITEN,
        by=police,
        terugkoppeling="Gecontroleerd.",
        bericht_eerste_melder=f"Beste {NAME}, dank voor uw telefoontje ({PHONE}).",
    )
    response = login(zara).post(
        reverse("meldingen:oordeel", kwargs={"pk": melding.pk}),
        {"oordeel": "niet_opgelost", "reactie": "Hij staat er weer."},
    )
    assert response.status_code == 302
    coordinator = factories.professional("coordinator", buurt.wijk)
    Inzage.objects.create(
        melder=melding.melders.get(user=zara), door=coordinator, reden="Zaak 2026-123456"
    )
    extern = services.melding_create_extern(
        buurt=buurt,
        categorie=categorie,
        wat="Via de app gemeld.",
        waar="Plein",
        wanneer=melding.wanneer,
        contact=services.Contact(**EXTERN, telefoon="0611223344"),
    )
    return melding, extern, zara


def test_the_history_names_the_reporter_as_a_role_not_a_user(reported):
    melding, _extern, zara = reported
    reopened = StatusWijziging.objects.get(melding=melding, naar=Status.HEROPEND)
    assert reopened.door_id is None
    assert reopened.door_rol == StatusWijziging.Rol.MELDER
    assert not StatusWijziging.objects.filter(door=zara).exists()


def _admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        if model._meta.app_label not in ("meldingen", "open311"):
            continue
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_changelist".format(*info)) + "?q=kanarie")
        for obj in model._default_manager.all()[:20]:
            for view in ("change", "history", "delete"):
                urls.append(reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk]))
    return urls


def test_no_admin_page_of_meldingen_or_open311_shows_a_reporter(client, superuser, reported):
    client.force_login(superuser)
    urls = _admin_urls()
    assert any("/meldingen/melding/" in url for url in urls)
    assert any("/meldingen/inzage/" in url for url in urls)
    assert any("/open311/herkomst/" in url for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        html = response.content.decode()
        for canary in CANARIES:
            assert canary not in html, f"{canary} on {url}"


def test_the_user_admin_cannot_be_filtered_by_who_reported(client, superuser, reported):
    """``?meldingen_gemeld=<melder>`` would list exactly the account behind a reporter."""
    melding, _extern, zara = reported
    melder = Melder.objects.get(melding=melding, user=zara)
    client.force_login(superuser)
    changelist = reverse("admin:accounts_user_changelist")
    for query in (
        {"meldingen_gemeld": melder.pk},
        {"meldingen_gemeld__exact": melder.pk},
        {"meldingen_gemeld__isnull": "False"},
        {"meldingen_gemeld__melding": melding.pk},
        {"meldingen_gemeld__melding__id": melding.pk},
    ):
        response = client.get(changelist, query)
        assert response.status_code == 400, query
        assert EMAIL not in response.content.decode()
    # The filters the list offers still work.
    for query in ({"role__exact": "bewoner"}, {"team__id__exact": "1"}, {"q": "kanarie"}):
        assert client.get(changelist, query).status_code == 200, query
    # The audited reveal is the way: and it is on record.
    assert Inzage.objects.filter(melder=melder).count() == 1


def test_the_outbox_in_the_admin_does_not_tell_who_received_feedback(client, superuser, reported):
    """A feedback notice is addressed to a reporter about one melding: the admin's outbox shows
    it without its recipient, cannot be filtered by recipient, and deleting the reporter's
    account does not list it."""
    from notificaties.models import Notificatie

    _melding, _extern, zara = reported
    rows = Notificatie.objects.filter(soort=Notificatie.Soort.TERUGKOPPELING, ontvanger=zara)
    assert rows.exists()  # she was told, as she should be
    client.force_login(superuser)
    changelist = reverse("admin:notificaties_notificatie_changelist")
    pages = [changelist] + [
        reverse("admin:notificaties_notificatie_change", args=[row.pk]) for row in rows
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "een melder (niet getoond)" in html, url
        assert f"Gebruiker #{zara.pk}<" not in html and EMAIL not in html, url
    for query in ({"ontvanger": zara.pk}, {"ontvanger__id__exact": zara.pk}):
        assert client.get(changelist, query).status_code == 400, query
    assert client.get(changelist, {"soort__exact": "terugkoppeling"}).status_code == 200

    delete = client.get(reverse("admin:accounts_user_delete", args=[zara.pk]))
    assert delete.status_code == 200
    assert "Terugkoppeling aan melder" not in delete.content.decode()
