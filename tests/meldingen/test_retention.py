"""Retention, field by field: after the term nothing identifies a reporter or a described
person, in any row of the meldingen and Open311 tables or on disk; what indicators need stays.

Every field of every model that holds a melding's data has a decision in
``meldingen.retention.plans()`` (erased or kept): a field or model added without one fails here.
"""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from indicatoren.compute.records import feedback_medians, melding_sums
from meldingen import retention, services, triage
from meldingen.models import (
    Categorie,
    Doel,
    Foto,
    Inzage,
    Melder,
    Melding,
    Outbox,
    RoutingRegel,
    StatusWijziging,
)
from meldingen.selectors import mijn_meldingen
from meldingen.workflow import Actie, Status
from notificaties.models import Notificatie
from open311.models import Herkomst
from open311.services import client_issue
from tests import factories
from tests.open311.conftest import LAT, LONG, square

from .retention_support import assert_applied, dump, snapshot
from .test_services import photo

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# 03:30 in Amsterdam on the night the clocks go forward; the term ends on a Sunday in autumn.
FILED = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
CLOSED = FILED + timedelta(hours=2)
TERM = timedelta(days=180)
CANARY = "kanarievogel"  # in every identifying text, in upper, lower and mixed case
PHONE = "0612398765"
LAT_C, LONG_C = LAT + 0.0001234, LONG - 0.0004321  # device coordinates (in the Dam buurt)
README = Path(settings.BASE_DIR) / "README.md"


def canary(what: str) -> str:
    return f"{what} KanarieVogel-{what}"


@pytest.fixture
def dam(wijk):
    return factories.BuurtFactory(
        wijk=wijk, naam="Burgwallen-Dam", latitude=LAT, longitude=LONG, geometrie=square(LAT, LONG)
    )


@pytest.fixture
def categorieen(db):
    gewoon = factories.CategorieFactory(naam="Verdachte situatie (retentie)", trefwoorden="auto")
    bedreigd = factories.CategorieFactory(naam="Ik word bedreigd (retentie)", is_intimidatie=True)
    for categorie in (gewoon, bedreigd):
        RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return gewoon, bedreigd


def _beschrijving():
    return services.Beschrijving(
        persoon_geslacht="man",
        persoon_lengte=canary("lengte"),
        persoon_kleding=canary("kleding"),
        persoon_kenmerken=canary("kenmerken"),
        voertuig_kleur=canary("kleur"),
        voertuig_merk=canary("merk"),
        voertuig_type=canary("type"),
        voertuig_kenteken="KANARIE-1",
    )


def _file_everything(client, dam, categorieen, police, coordinator) -> dict:
    """Every kind of data a melding gathers: two reporters (one with a phone number and a verdict
    "niet opgelost"), photos, descriptions, device coordinates, feedback, a reveal with its
    reason, an intimidation case with the coordinator's follow-up, an outbox error, e-mails to
    the reporters, and a melding from an outside app through the Open311 endpoint."""
    gewoon, bedreigd = categorieen
    reporter = factories.LidmaatschapFactory(buurt=dam, user__email="kanarie@example.org").user
    joiner = factories.LidmaatschapFactory(buurt=dam).user
    with TestCase.captureOnCommitCallbacks(execute=True):
        melding = services.melding_create(
            user=reporter,
            buurt=dam,
            categorie=gewoon,
            wat=canary("wat"),
            waar=canary("waar"),
            wanneer=FILED - timedelta(hours=1),
            beschrijving=_beschrijving(),
            bescherming=Melder.Bescherming.CONTACT,
            telefoon=PHONE,
            fotos=[photo(), photo()],
            latitude=LAT_C,
            longitude=LONG_C,
        )
        services.melding_join(user=joiner, melding=melding, bescherming="coordinator")
        threatened = services.melding_create(
            user=joiner,
            buurt=dam,
            categorie=bedreigd,
            wat=canary("bedreiging"),
            waar=canary("portiek"),
            wanneer=FILED - timedelta(hours=2),
            beschrijving=_beschrijving(),
        )
    melding.refresh_from_db()
    assert "kleding" in melding.samenvatting  # the summary holds the description until retention
    first = melding.melders.get(is_eerste=True)
    services.melder_reveal(
        melder=first, by=police, grond="afhandeling", reden=f"2026-123456 {canary('reden')}"
    )
    services.nazorg_record(melding=threatened, by=coordinator, notitie=canary("nazorg"))
    Outbox.objects.update(last_error=canary("fout"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.melding_transition(
            melding=melding,
            actie=Actie.AFSLUITEN,
            by=police,
            terugkoppeling=canary("bericht"),
            bericht_eerste_melder=canary("persoonlijk"),
        )
        services.melder_oordeel(melder=first, user=reporter, opgelost=False, reactie=canary("nee"))
    assert StatusWijziging.objects.filter(door_rol="melder").exists()  # the verdict, by role
    # The feedback e-mail is queued in the outbox by ids only; it holds no text to erase.
    assert Notificatie.objects.filter(soort=Notificatie.Soort.TERUGKOPPELING).exists()

    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    # An administrator opened and saved the melding: the admin's log names it by its summary.
    LogEntry.objects.log_actions(admin.pk, Melding.objects.filter(pk=melding.pk), CHANGE)
    LogEntry.objects.log_actions(admin.pk, Categorie.objects.filter(pk=gewoon.pk), CHANGE)
    _app, key = client_issue(naam="BuitenBeter", gemeente=dam.wijk.gemeente, by=admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": key,
                "service_code": str(gewoon.pk),
                "lat": str(LAT_C),
                "long": str(LONG_C),
                "address_string": canary("adres"),
                "description": canary("omschrijving"),
                "first_name": "Kanarie",
                "last_name": canary("achternaam"),
                "email": "kanarie.app@example.org",
                "phone": "0687654321",
                "media_url": "https://example.org/kanarie/1.jpg",
                "attribute[persoon_kleding]": canary("trainingspak"),
                "attribute[wanneer]": (FILED - timedelta(hours=3)).isoformat(),
            },
        )
    assert response.status_code == 200, response.content
    extern = Melding.objects.get(pk=response.json()[0]["service_request_id"])
    return {"reporter": reporter, "meldingen": [melding, threatened, extern], "key": key}


def _identifying_left(text: str) -> list[str]:
    found = re.findall(rf".{{0,60}}{CANARY}.{{0,20}}", text, flags=re.IGNORECASE)
    for literal in (PHONE, "0687654321", f"{LAT_C}", f"{LONG_C}", "KANARIE-1"):
        found += [line[:120] for line in text.splitlines() if literal.lower() in line.lower()]
    return found


@pytest.fixture
def filed(client, dam, categorieen, police, coordinator):
    with time_machine.travel(FILED, tick=False):
        made = _file_everything(client, dam, categorieen, police, coordinator)
    # All closed at one fixed moment (the first one again, after the reporter reopened it).
    with time_machine.travel(CLOSED, tick=False):
        for melding, text in zip(made["meldingen"], ("opnieuw", "steun", "app"), strict=True):
            services.melding_transition(
                melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling=canary(text)
            )
    return made


def test_every_field_of_melding_data_has_a_decision():
    for plan in retention.plans():
        # Generated columns follow the fields they are made of (``retention.Plan``).
        fields = plan.model_class._meta.concrete_fields
        names = {f.name for f in fields if not f.generated}
        if plan.delete:
            assert not plan.erase and not plan.keep, plan.model
            continue
        assert not set(plan.erase) & set(plan.keep), plan.model
        assert names - set(plan.erase) - set(plan.keep) == set(), (
            f"{plan.model}: decide for each new field whether retention erases or keeps it"
        )
        assert set(plan.erase) | set(plan.keep) <= names, plan.model  # no stale names
        assert set(plan.only) <= set(plan.erase), plan.model


def test_every_model_that_holds_melding_data_has_a_plan():
    planned = {plan.model_class for plan in retention.plans()}
    others = {apps.get_model(label) for label in retention.not_melding_data()}
    for label in ("meldingen", "open311"):
        for model in apps.get_app_config(label).get_models():
            assert model in planned | others, f"{model._meta.label}: add it to retention.plans()"
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in planned:
                assert model in planned, f"{model._meta.label}.{field.name} points at melding data"


def test_the_readme_lists_every_decision():
    section = README.read_text().split("\n## Retention", 1)[1].split("\n## ", 1)[0]
    for plan in retention.plans():
        assert f"`{plan.model}`" in section, plan.model
        for name in [*plan.erase, *plan.keep]:
            assert f"`{name}`" in section, f"{plan.model}.{name}"


def test_after_the_term_nothing_identifies_a_reporter_or_a_described_person(filed, client, police):
    reporter = filed["reporter"]
    files = [foto.bestand.name for foto in Foto.objects.all()]
    assert len(files) == 2 and all(default_storage.exists(name) for name in files)
    assert len(_identifying_left(dump())) > 20  # the canaries are there to be found
    before = snapshot()

    with time_machine.travel(CLOSED + TERM - timedelta(seconds=1), tick=False):
        assert services.meldingen_anonymise(dry_run=False).meldingen == 0  # not yet
    assert snapshot() == before
    with time_machine.travel(CLOSED + TERM + timedelta(seconds=1), tick=False):
        dry = services.meldingen_anonymise(dry_run=True)
        assert snapshot() == before  # a dry run changes nothing
        report = services.meldingen_anonymise(dry_run=False)

    assert (dry.meldingen, dry.melders, dry.fotos) == (3, 4, 2)
    assert (report.meldingen, report.melders, report.fotos, report.failed) == (3, 4, 2, ())
    assert _identifying_left(dump()) == []
    assert not any(default_storage.exists(name) for name in files)
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    assert_applied(before, {m.pk for m in filed["meldingen"]})
    assert not Melder.objects.filter(user=reporter).exists()
    assert not StatusWijziging.objects.filter(door=reporter).exists()
    # What the indicators count stays.
    for melding in filed["meldingen"]:
        kept = Melding.objects.get(pk=melding.pk)
        assert (kept.buurt_id, kept.categorie_id, kept.status, kept.doel) == (
            melding.buurt_id,
            melding.categorie_id,
            Status.AFGESLOTEN,
            Doel.POLITIE,
        )
        assert kept.samenvatting == triage.summary(kept) and "man" not in kept.samenvatting
        assert kept.historie.exclude(terugkoppeling="").exists()  # feedback was given
    assert Melding.objects.get(pk=filed["meldingen"][0].pk).gewicht == 2
    assert Inzage.objects.get().door.role == "politie"  # the audit of the reveal stays
    assert Herkomst.objects.get().media_url == ""
    # Through Open311 the app finds its request, and nothing of the reporter.
    (seen,) = client.get(
        f"/open311/v2/requests/{filed['meldingen'][2].pk}.json", {"api_key": filed["key"]}
    ).json()
    assert _identifying_left(str(seen)) == []

    # Nor on any page: the handler's, the admin's melding and its history (the admin log).
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    for melding in filed["meldingen"]:
        pages = [
            (police, reverse("meldingen:detail", kwargs={"pk": melding.pk})),
            (admin, reverse("admin:meldingen_melding_change", args=[melding.pk])),
            (admin, reverse("admin:meldingen_melding_history", args=[melding.pk])),
        ]
        for user, url in pages:
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200, url
            assert _identifying_left(response.content.decode()) == [], url
    assert filed["meldingen"][0] not in mijn_meldingen(reporter)

    erased = snapshot()
    with time_machine.travel(CLOSED + TERM + timedelta(days=1), tick=False):
        again = services.meldingen_anonymise(dry_run=False)
    assert (again.meldingen, again.failed) == (0, ())
    assert snapshot() == erased  # running it again changes nothing


def test_a_melding_anonymised_by_an_older_plan_is_erased_fully(filed):
    melding = filed["meldingen"][0]
    with time_machine.travel(CLOSED + TERM + timedelta(days=1), tick=False):
        Melding.objects.filter(pk=melding.pk).update(anonymised_at=CLOSED + TERM)
        report = services.meldingen_anonymise(dry_run=False)
    assert report.meldingen == 3
    assert _identifying_left(dump()) == []


def test_one_bad_melding_does_not_stop_the_others(filed, caplog):
    bad, *good = filed["meldingen"]
    # A row the database refuses to change (a corrupt row, a constraint added later, a lock).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION refuse_bad_melding() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'refused'; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_bad_melding BEFORE UPDATE ON meldingen_melding
            FOR EACH ROW WHEN (OLD.id = %s) EXECUTE FUNCTION refuse_bad_melding();
            """,
            [bad.pk],
        )
    with time_machine.travel(CLOSED + TERM + timedelta(days=1), tick=False):
        report = services.meldingen_anonymise(dry_run=False, batch_size=10)
    assert (report.meldingen, report.failed) == (2, (bad.pk,))
    for melding in good:
        assert Melding.objects.get(pk=melding.pk).anonymised_at is not None
        assert CANARY not in dump_of(melding).lower()
    # The bad one is untouched (its transaction rolled back), its photos included, and it is
    # tried again next time; the log names its id, never its content.
    assert Melding.objects.get(pk=bad.pk).anonymised_at is None
    assert Foto.objects.filter(melding=bad).count() == 2
    assert all(default_storage.exists(f.bestand.name) for f in Foto.objects.all())
    assert CANARY not in caplog.text.lower()
    assert str(bad.pk) in " ".join(str(getattr(r, "melding", "")) for r in caplog.records)
    # The daily command says so with a failing exit, so that cron or an operator notices.
    with (
        time_machine.travel(CLOSED + TERM + timedelta(days=2), tick=False),
        pytest.raises(CommandError, match=rf"meldingen {bad.pk};"),
    ):
        call_command("anonimiseer_meldingen")


def dump_of(melding) -> str:
    """The rows of one melding: its own, and those with its id as ``melding_id``."""
    own = re.compile(rf'^meldingen_melding: {{"id":{melding.pk},')
    linked = re.compile(rf'"melding_id":{melding.pk}\b')
    return "\n".join(
        line for line in dump().splitlines() if own.search(line) or linked.search(line)
    )


def test_the_command_erases_with_the_clock_and_says_what_it_did(filed, capsys):
    with time_machine.travel(CLOSED + TERM + timedelta(days=1), tick=False):
        call_command("anonimiseer_meldingen", "--dry-run")
        assert "Would anonymise 3 meldingen" in capsys.readouterr().out
        assert _identifying_left(dump())
        call_command("anonimiseer_meldingen")
        assert "Anonymised 3 meldingen" in capsys.readouterr().out
    assert _identifying_left(dump()) == []


def test_the_indicators_read_the_same_before_and_after_retention(filed, dam):
    gemeente, start, eind = dam.wijk.gemeente, date(2026, 1, 1), date(2026, 12, 31)

    def read():
        return (
            melding_sums(gemeente, start, eind),
            feedback_medians(gemeente, start, eind),
        )

    before = read()
    # Three meldingen, one of them an intimidation case: in no figure (meldingen_known_openly).
    assert before[0][dam.pk]["m_totaal"] == 2 and before[0][dam.pk]["m_feedback"] == 2
    with time_machine.travel(CLOSED + TERM + timedelta(days=1), tick=False):
        assert services.meldingen_anonymise(dry_run=False).meldingen == 3
    assert read() == before


AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    "closed",
    [
        datetime(2026, 3, 29, 3, 30, tzinfo=AMS),  # the night the clocks go forward
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=AMS),  # the hour that happens twice
        datetime(2026, 12, 31, 23, 50, tzinfo=AMS),  # New Year's Eve
        datetime(2028, 2, 29, 12, 0, tzinfo=AMS),  # a leap day
    ],
)
def test_the_term_is_exact_at_any_clock(closed, buurt, police, categorieen):
    """The term is 180 days of 24 hours, whatever the clocks did meanwhile (in UTC: arithmetic on a
    local time would add wall-clock days, an hour off across a DST switch)."""
    closed = closed.astimezone(UTC)
    with time_machine.travel(closed - timedelta(hours=1), tick=False):
        melding = factories.melding(buurt=buurt, categorie=categorieen[0], wat=canary("wat"))
    with time_machine.travel(closed, tick=False):
        services.melding_transition(
            melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Klaar."
        )
    with time_machine.travel(closed + TERM - timedelta(seconds=1), tick=False):
        assert services.meldingen_anonymise(dry_run=False).meldingen == 0
    assert CANARY in dump().lower()
    with time_machine.travel(closed + TERM + timedelta(seconds=1), tick=False):
        assert services.meldingen_anonymise(dry_run=False).meldingen == 1
    assert CANARY not in dump().lower()
