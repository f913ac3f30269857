"""meldingen's retention job knows Open311's data only through the plan open311 registers when
the apps load: meldingen imports nothing of open311, yet the herkomst is erased with the rest
(``test_privacy.test_retention_erases_the_outside_reporters_contact_and_media_link``)."""

from pathlib import Path

from django.apps import apps

from meldingen import retention


def test_open311_registers_its_plan_once_the_apps_are_loaded():
    plans = [plan for plan in retention.plans() if plan.model == "open311.Herkomst"]
    assert len(plans) == 1
    assert plans[0].erase == {"media_url": ""}
    assert "open311.Client" in retention.not_melding_data()


def test_registering_again_replaces_the_plan_instead_of_running_it_twice():
    before = retention.plans()
    apps.get_app_config("open311").ready()
    assert retention.plans() == before


def test_meldingen_retention_does_not_name_open311():
    assert "open311" not in Path(retention.__file__).read_text().lower()
