"""The admin's form fields have names a screen reader reads out (the browser crawl in
tests/browser/test_accessibility.py checks every admin page with axe-core; these pin the two
fixes in the HTML): the inputs of editable lists, and the date and time of a moment."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from activiteiten.models import Soort
from meldingen.models import Doel, RoutingRegel
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login):
    return login(factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True))


def test_every_input_of_an_editable_list_is_named_after_its_column_and_row(admin_client):
    overlast = factories.CategorieFactory(naam="Overlast")
    RoutingRegel.objects.create(volgorde=1, categorie=overlast, doel=Doel.POLITIE)
    Soort.objects.get_or_create(naam="Opschoonactie")
    for model, model_admin in admin.site._registry.items():
        if not model_admin.list_editable:
            continue
        meta = model._meta
        page = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        inputs = re.findall(r"<input[^>]*name=\"form-\d+-[a-z_]+\"[^>]*>", page.content.decode())
        visible = [tag for tag in inputs if 'type="hidden"' not in tag]
        assert visible, meta.label
        for tag in visible:
            assert "aria-label=" in tag, (meta.label, tag)
    page = admin_client.get(reverse("admin:meldingen_routingregel_changelist")).content.decode()
    assert 'aria-label="Volgorde: Overlast' in page
    assert 'aria-label="Actief: Overlast' in page


def test_the_date_and_the_time_of_a_moment_have_labels(admin_client):
    page = admin_client.get(reverse("admin:activiteiten_activiteit_add")).content.decode()
    assert '<label for="id_start_0">Datum:</label>' in page
    assert '<label for="id_start_1">Tijd:</label>' in page
