"""The admin speaks Dutch about buurten: every field has a Dutch label, not Django's
English default made from the field name ("Created at")."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise

from buurten.models import Borgstelling, Lidmaatschap
from tests import factories

pytestmark = pytest.mark.django_db


def _fields_without_a_translated_label():
    return [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("buurten").get_models()
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]


def test_every_buurten_field_has_a_translatable_label():
    assert _fields_without_a_translated_label() == []


def test_membership_admin_page_shows_dutch_labels(login, buurt, coordinator):
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    lidmaatschap = factories.LidmaatschapFactory(buurt=buurt, decided_by=coordinator)
    Borgstelling.objects.create(lidmaatschap=lidmaatschap, borg=factories.UserFactory())
    client = login(admin)

    change = client.get(
        reverse("admin:buurten_lidmaatschap_change", args=[lidmaatschap.pk])
    ).content.decode()
    for dutch in ("Bewoner", "Besloten door", "Uitnodigingscode", "Ingestaan op", "Borg"):
        assert dutch in change
    for english in ("Created at", "Decided by", "User:", "Borg:"):
        assert english not in change

    listing = client.get(reverse("admin:buurten_lidmaatschap_changelist")).content.decode()
    assert "Aangevraagd op" in listing
    assert "Created at" not in listing
    assert Lidmaatschap.objects.count() == 1
