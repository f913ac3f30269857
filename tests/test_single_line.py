"""Single-line text stays on one line: the forms clean what is posted, the models whatever path
a value takes, a data migration the rows already stored; every single-line field uses the one
rule (wijkaanpak.singleline)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from activiteiten.models import Activiteit, Soort
from meldingen.models import Categorie, Doel, Melding, RoutingRegel
from tests import factories
from wijkaanpak.singleline import SingleLineCharField, single_line

pytestmark = pytest.mark.django_db


def store_directly(model, pk: int, **values) -> None:
    columns = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {columns} WHERE id = %s",  # noqa: S608
            [*values.values(), pk],
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Avond\r\nronde", "Avond ronde"),
        ("  Kerk\tplein \n", "Kerk plein"),
        ("a\u2028b\u2029c\x85d\x0be\x0cf", "a b c d e f"),
        ("bel\x07 \x1bme", "bel me"),
        ("Jan  Jansen", "Jan Jansen"),
        ("Café Ñandú, 1e etage; hoek \\ zij", "Café Ñandú, 1e etage; hoek \\ zij"),
    ],
)
def test_the_rule(raw, expected):
    assert single_line(raw) == expected


def test_the_activity_form_puts_title_and_place_on_one_line(login, member):
    start = timezone.localtime() + timedelta(days=2)
    data = {
        "soort": Soort.objects.get(naam="Opschoonactie").pk,
        "titel": "Opschoon\r\nochtend",
        "plek": "Speel\nplein\r",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "einde": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capaciteit": "12",
        "zichtbaarheid": "leden",
        "rol_1_naam": "Koffie\r\nzetten",
        "rol_1_plaatsen": "1",
    }
    assert login(member).post(reverse("activiteiten:nieuw"), data).status_code == 302
    activiteit = Activiteit.objects.get()
    assert (activiteit.titel, activiteit.plek) == ("Opschoon ochtend", "Speel plein")
    assert activiteit.rollen.get().naam == "Koffie zetten"


def test_the_melding_form_puts_place_and_descriptions_on_one_line(login, member):
    categorie = factories.CategorieFactory(naam="Overlast (regels)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    data = {
        "wat": "Twee mannen\r\nbij de fietsen.",  # a text area: its lines stay
        "waar": "Hoek\r\nKinkerstraat",
        "wanneer": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "bescherming": "coordinator",
        "persoon_kleding": "donkere jas\twitte sneakers",
    }
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    assert login(member).post(url, data).status_code == 302
    melding = Melding.objects.get()
    assert melding.waar == "Hoek Kinkerstraat"
    assert melding.persoon_kleding == "donkere jas witte sneakers"
    assert melding.wat.splitlines() == ["Twee mannen", "bij de fietsen."]
    assert "\n" not in melding.samenvatting


def test_the_model_cleans_whatever_path_the_value_takes(buurt):
    activiteit = factories.activiteit(buurt=buurt, titel="Avond\r\nronde")  # the service
    activiteit.refresh_from_db()
    assert activiteit.titel == "Avond ronde"
    activiteit.plek = "Kerk\nplein"
    activiteit.save()
    assert activiteit.plek == "Kerk plein"  # the instance too
    Activiteit.objects.filter(pk=activiteit.pk).update(titel="Nacht\r\nronde")
    activiteit.refresh_from_db()
    assert activiteit.titel == "Nacht ronde"


class AsIn0014:
    """The models as that migration names them: team tokens were meldingen's then (they moved
    to teamapi with their rows, ``meldingen.0015_feedtoken_to_teamapi``)."""

    def get_model(self, app_label, model_name):
        if (app_label, model_name) == ("meldingen", "FeedToken"):
            return apps.get_model("teamapi", "FeedToken")
        return apps.get_model(app_label, model_name)


def test_the_data_migration_cleans_stored_rows_and_keeps_unique_names_apart(buurt, member):
    migration = importlib.import_module("meldingen.migrations.0014_single_line_text")
    activiteit = factories.activiteit(buurt=buurt)
    store_directly(Activiteit, activiteit.pk, titel="Avond\r\nronde", plek="Kerk\x0bplein")
    store_directly(type(member), member.pk, weergavenaam="Zara\nBcc: x")
    kept = Categorie.objects.create(naam="Overlast jongeren", toelichting="Eén regel.")
    twin = Categorie.objects.create(naam="Overlast ouderen", toelichting="Eén regel.")
    store_directly(Categorie, twin.pk, naam="Overlast\njongeren", toelichting="Eén\r\nregel.")

    migration.clean(AsIn0014(), None)

    activiteit.refresh_from_db()
    member.refresh_from_db()
    twin.refresh_from_db()
    kept.refresh_from_db()
    assert (activiteit.titel, activiteit.plek) == ("Avond ronde", "Kerk plein")
    assert member.weergavenaam == "Zara Bcc: x"
    assert kept.naam == "Overlast jongeren"
    assert twin.naam == f"Overlast jongeren ({twin.pk})"
    assert twin.toelichting == "Eén regel."


# Text fields that may hold more than one line, or are not written by people, or hold codes
# with a format of their own (checked where they are entered).
NOT_SINGLE_LINE = {
    "meldingen.Melder.reactie": "a text area: the reporter's explanation",
    "meldingen.Nazorg.notitie": "a text area: the coordinator's note",
    "meldingen.Outbox.last_error": "written by the system",
    "indicatoren.Berekening.fout": "written by the system",
    "indicatoren.ResponsMarker.marker": "a keyed hash",
    "accounts.User.password": "a hash",
    "accounts.SecurityCacheEntry.cache_key": "written by the system: a cache key",
    "notificaties.Notificatie.last_error": "written by the system",
    "notificaties.PushBericht.last_error": "written by the system",
    "notificaties.Notificatie.bundel": "written by the system: which digest",
    "notificaties.PushAbonnement.p256dh": "a browser's public key",
    "notificaties.PushAbonnement.auth": "a browser's secret",
    "notificaties.PushAbonnement.apparaat": "written by the system from the browser's name",
    "indicatoren.DeelnamePeriode.niveau": "written by the computation: a level's letter",
    "indicatoren.DeelnamePeriode.leeftijdsgroep": "written by the computation: a copied band",
    "indicatoren.DeelnameKubus.niveau": "written by the computation: a level's letter",
    "indicatoren.DeelnameKubus.leeftijdsgroep": "written by the computation: a copied band",
}
CODES = ("code",)


def test_every_single_line_text_field_follows_the_rule():
    ours = {
        "accounts",
        "activiteiten",
        "buurten",
        "indicatoren",
        "meldingen",
        "notificaties",
        "open311",
        "teamapi",
    }
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours
        for field in model._meta.get_fields()
        if type(field) is models.CharField
        and field.editable
        and not field.choices
        and field.name not in CODES
        and f"{model._meta.label}.{field.name}" not in NOT_SINGLE_LINE
    ]
    assert missing == []
    assert isinstance(Activiteit._meta.get_field("titel"), SingleLineCharField)
