"""The Dutch admin speaks Dutch: no label made up by Django from an English field name
("Created at", "Anonymised at") on any list or form of our apps."""

import re
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from activiteiten.services import aanmelden
from indicatoren.models import Berekening, IndicatorInstelling, Peiling, Publicatie, Snapshot
from meldingen.models import Inzage
from open311.models import Herkomst
from open311.services import client_issue
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = pytest.mark.django_db

APPS = ["meldingen", "activiteiten", "indicatoren", "open311", "accounts"]
LABEL = re.compile(r"<(label|th)\b[^>]*>(.*?)</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def _has_own_verbose_name(field) -> bool:
    return "verbose_name" in field.deconstruct()[3]


def _auto_label(field) -> str:
    """What Django shows for a field without a verbose_name: its name turned into words."""
    return capfirst(field.name.replace("_", " "))


def _fields(model):
    return [f for f in model._meta.get_fields() if f.concrete and not f.auto_created]


def _labels(html: str) -> set[str]:
    texts = (TAG.sub("", inner) for _tag, inner in LABEL.findall(html))
    return {text.strip().rstrip(":").strip() for text in texts} - {""}


def _auto_labels_shown(html: str, models) -> list[str]:
    """Labels on the page that are a field's name in words, for a field that has no name of
    its own: that is Django's English fallback, not a label anyone wrote."""
    shown = _labels(html)
    return [
        f"{model.__name__}.{field.name} shown as {_auto_label(field)!r}"
        for model in models
        for field in _fields(model)
        if _auto_label(field) in shown and not _has_own_verbose_name(field)
    ]


def test_every_field_of_our_models_has_a_dutch_name_of_its_own():
    missing = [
        f"{model.__name__}.{field.name}"
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        for field in _fields(model)
        if not _has_own_verbose_name(field)
    ]
    assert missing == []


@pytest.fixture
def one_of_everything(buurt, police, coordinator):
    """At least one object per admin, so that every change form has something to open."""
    melding = factories.melding(buurt=buurt)
    Inzage.objects.create(melder=melding.melders.get(), door=coordinator, reden="Terugbellen")
    feed_token_issue(team=police.team, naam="Meldkamer", by=police)
    client, _key = client_issue(naam="BuitenBeter", gemeente=buurt.wijk.gemeente, by=police)
    Herkomst.objects.create(melding=melding, client=client)
    activiteit = factories.activiteit(buurt=buurt, rollen=[("Koffie", 2)])
    aanmelden(user=factories.LidmaatschapFactory(buurt=buurt).user, activiteit=activiteit)
    gemeente = buurt.wijk.gemeente
    IndicatorInstelling.objects.create(gemeente=gemeente)
    Peiling.objects.create(
        wijk=buurt.wijk, titel="Voorjaar", opened_by=coordinator, geopend_at=timezone.now()
    )
    start, eind = date(2026, 1, 1), date(2026, 3, 31)
    Berekening.objects.create(gemeente=gemeente, periode_start=start, periode_eind=eind)
    Snapshot.objects.create(
        niveau="gemeente",
        gemeente=gemeente,
        periode_start=start,
        periode_eind=eind,
        berekend_at=timezone.now() - timedelta(days=1),
    )
    Publicatie.objects.create(
        gemeente=gemeente,
        periode_start=start,
        periode_eind=eind,
        versie=1,
        gepubliceerd_at=timezone.now() - timedelta(days=1),
    )


def test_no_admin_page_of_our_apps_shows_an_english_field_label(login, one_of_everything):
    user = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    client = login(user)
    request = type("R", (), {"user": user})()
    shown, pages = [], 0
    for model, model_admin in admin.site._registry.items():
        module = type(model_admin).__module__.split(".")[0]
        if module not in APPS:
            continue
        meta = model._meta
        models = [model] + [inline.model for inline in model_admin.inlines]
        urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
        obj = model.objects.first()
        assert obj is not None, f"no {meta.model_name} to open"
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            shown += [f"{url}: {label}" for label in _auto_labels_shown(response.text, models)]
            pages += 1
    assert pages >= 40  # the walk really happened
    assert shown == []


def test_a_meldings_admin_page_names_its_dates_in_dutch(login, buurt):
    user = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    melding = factories.melding(buurt=buurt)
    page = login(user).get(reverse("admin:meldingen_melding_change", args=[melding.pk])).text
    assert "Geanonimiseerd op" in page
    assert "Breedtegraad" in page
    assert "Anonymised at" not in page
    assert "Created at" not in page  # the history inline's column too
    assert "Gewijzigd op" in page
