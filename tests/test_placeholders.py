"""No example text in form fields: grey text in a field reads as an answer already given (after
an empty submit a field showed the example next to "Dit veld is verplicht"). An example is a hint
under the field ("Bijvoorbeeld: …"), which crispy forms links to the field (aria-describedby)."""

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from activiteiten.forms import ActiviteitForm
from buurten.forms import AanvraagForm
from indicatoren.forms import SurveyForm
from meldingen.forms import MeldingForm
from tests import factories

VOORBEELD = "Man probeert om 22:10 portieren van geparkeerde auto's."


def project_apps():
    base = Path(settings.BASE_DIR).resolve()
    return [c for c in apps.get_app_configs() if base in Path(c.path).resolve().parents]


def project_form_classes():
    """Every form class defined in a ``forms`` module of the project's own apps."""
    for config in project_apps():
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.forms":
                raise
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                yield value


def own_fields(cls) -> dict:
    """The fields a project class declares (a third-party base's, such as allauth's sign-up
    form, are seen where the site renders them)."""
    ours = tuple(f"{config.name}." for config in project_apps())
    inherited = {
        name
        for base in cls.__mro__[1:]
        if not base.__module__.startswith(ours)
        for name in getattr(base, "base_fields", {})
    }
    return {name: field for name, field in cls.base_fields.items() if name not in inherited}


def placeholders(form_or_class) -> dict[str, str]:
    fields = own_fields(form_or_class) if isinstance(form_or_class, type) else form_or_class.fields
    return {
        name: field.widget.attrs["placeholder"]
        for name, field in fields.items()
        if "placeholder" in field.widget.attrs
    }


@pytest.fixture
def categorie():
    return factories.CategorieFactory(naam="Verdachte situatie (hints)", voorbeeld=VOORBEELD)


def test_no_form_class_declares_a_placeholder():
    classes = list(project_form_classes())
    assert {MeldingForm, ActiviteitForm, AanvraagForm, SurveyForm} <= set(classes)
    assert {cls.__qualname__: placeholders(cls) for cls in classes if placeholders(cls)} == {}


def test_the_main_forms_carry_none_once_built_either(buurt, categorie):
    built = [
        MeldingForm(categorie=categorie, buurt=buurt),
        ActiviteitForm(),
        AanvraagForm(),
        SurveyForm(),
    ]
    assert {type(form).__name__: placeholders(form) for form in built if placeholders(form)} == {}


def test_examples_are_hints_under_the_field(buurt, categorie):
    form = MeldingForm(categorie=categorie, buurt=buurt)
    assert f"Bijvoorbeeld: “{VOORBEELD}”" in form.fields["wat"].help_text
    assert "gedrag, niet je vermoeden" in form.fields["wat"].help_text  # the advice stays
    for name in ("persoon_lengte", "persoon_kleding", "persoon_kenmerken", "voertuig_type"):
        assert str(form.fields[name].help_text).startswith("Bijvoorbeeld: "), name
    rollen = ActiviteitForm()
    assert rollen.fields["rol_1_naam"].help_text == "Bijvoorbeeld: loper met hesje."
    assert not rollen.fields["rol_2_naam"].help_text  # said once, under the first row


def described_hint(html: str, field_id: str) -> str:
    """The text of the hint the field points at with aria-describedby."""
    field = re.search(rf'<(?:input|textarea)[^>]*id="{field_id}"[^>]*>', html).group(0)
    assert "placeholder" not in field
    ids = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    texts = [re.search(rf'id="{i}"[^>]*>(.*?)</', html, re.S) for i in ids]
    return " ".join(match.group(1) for match in texts if match)


def test_an_empty_submit_shows_the_error_and_the_hint_not_an_example_in_the_field(
    login, member, categorie
):
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    response = login(member).post(url, {"bescherming": "coordinator"})
    html = response.content.decode()
    assert "placeholder=" not in html
    assert "Dit veld is verplicht" in html
    assert "Bijvoorbeeld: “Man probeert om 22:10" in described_hint(html, "id_wat")
    assert "Bijvoorbeeld: donkere jas" in described_hint(html, "id_persoon_kleding")


def test_the_activity_and_join_forms_show_hints_without_placeholders(
    login, member, resident, buurt
):
    html = login(member).get(reverse("activiteiten:nieuw")).content.decode()
    assert "placeholder=" not in html
    assert "Bijvoorbeeld: loper met hesje." in described_hint(html, "id_rol_1_naam")
    html = login(resident).get(buurt.get_absolute_url()).content.decode()
    assert "placeholder=" not in html
    assert "bijvoorbeeld je straat" in described_hint(html, "id_toelichting")


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_sign_in_and_sign_up_fields_have_labels_and_no_placeholders(client, db, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert "<label" in html
    assert "placeholder=" not in html
