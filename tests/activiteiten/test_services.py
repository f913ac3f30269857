"""Activities: creating (also as a series), signing up, the waiting list, attendance, reminders."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DataError
from django.utils import timezone

from activiteiten import services, tasks
from activiteiten.models import Aanmelding, Activiteit, Soort
from notificaties.models import Keuze, Notificatie
from notificaties.tasks import relay_notificaties, send_daily_overzichten
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_weekly_walk_is_created_as_a_series(member, buurt):
    start = timezone.now() + timedelta(days=2)
    made = services.activiteit_create(
        organisator=member,
        buurt=buurt,
        soort=Soort.objects.get(naam="Buurtpreventie-ronde"),
        titel="Avondronde",
        plek="Kerkplein",
        start=start,
        einde=start + timedelta(hours=1),
        capaciteit=6,
        rollen=[services.RolSpec("Loper met hesje", 2)],
        herhaling="wekelijks",
        aantal=4,
    )
    assert [a.start - start for a in made] == [timedelta(weeks=n) for n in range(4)]
    assert len({a.reeks for a in made}) == 1
    assert all(a.rollen.get().plaatsen == 2 for a in made)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"einde_offset": timedelta(hours=-1)}, "einde moet na het begin"),
        ({"capaciteit": 0}, "minstens één deelnemer"),
        ({"start_offset": timedelta(days=-2)}, "in het verleden"),
        ({"rollen": [services.RolSpec("Loper", 0)]}, "minstens één plaats"),
        ({"herhaling": "wekelijks", "aantal": 60}, "1 tot 26"),
        ({"start_offset": timedelta(days=400)}, "meer dan een jaar vooruit"),
        ({"einde_offset": timedelta(days=400)}, "meer dan een jaar vooruit"),
    ],
)
def test_bad_activities_are_refused_and_nothing_is_saved(member, buurt, changes, message):
    start = timezone.now() + timedelta(days=1) + changes.pop("start_offset", timedelta())
    einde = start + changes.pop("einde_offset", timedelta(hours=2))
    values = {"capaciteit": 5, "rollen": [], **changes}
    with pytest.raises(ValidationError, match=message):
        services.activiteit_create(
            organisator=member,
            buurt=buurt,
            soort=Soort.objects.first(),
            titel="x",
            plek="y",
            start=start,
            einde=einde,
            **values,
        )
    assert not Activiteit.objects.exists()


def test_only_members_organise_in_their_buurt(member, other_buurt, resident, buurt):
    start = timezone.now() + timedelta(days=1)
    for user, where in [(member, other_buurt), (resident, buurt)]:
        with pytest.raises(PermissionDenied):
            services.activiteit_create(
                organisator=user,
                buurt=where,
                soort=Soort.objects.first(),
                titel="x",
                plek="y",
                start=start,
                einde=start + timedelta(hours=1),
                capaciteit=3,
            )


def test_a_full_activity_puts_people_on_the_waiting_list_and_promotes_on_cancel(
    buurt, django_capture_on_commit_callbacks
):
    activiteit = factories.activiteit(buurt=buurt, capaciteit=2)
    first, second, third, fourth = (
        factories.LidmaatschapFactory(buurt=buurt).user for _ in range(4)
    )
    signups = [
        services.aanmelden(user=u, activiteit=activiteit) for u in (first, second, third, fourth)
    ]
    assert [s.status for s in signups] == ["aangemeld", "aangemeld", "wachtlijst", "wachtlijst"]

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.afmelden(aanmelding=signups[0], user=first)
    assert promoted.user == third  # first come, first served
    relay_notificaties()  # the relay again (beat's run): nothing more is sent
    assert [m.to for m in mail.outbox] == [[third.email]]
    statuses = dict(Aanmelding.objects.values_list("user_id", "status"))
    assert statuses[third.pk] == "aangemeld" and statuses[fourth.pk] == "wachtlijst"


def test_roles_have_their_own_places(buurt):
    activiteit = factories.activiteit(buurt=buurt, capaciteit=1, rollen=[("Contact wijkagent", 1)])
    rol = activiteit.rollen.get()
    a, b = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    assert services.aanmelden(user=a, activiteit=activiteit, rol=rol).status == "aangemeld"
    assert services.aanmelden(user=b, activiteit=activiteit).status == "aangemeld"
    with pytest.raises(ValidationError, match="al aangemeld"):
        services.aanmelden(user=a, activiteit=activiteit)


def test_members_only_activities_are_closed_to_outsiders(buurt, other_buurt):
    activiteit = factories.activiteit(buurt=buurt)
    outsider = factories.LidmaatschapFactory(buurt=other_buurt).user
    with pytest.raises(PermissionDenied):
        services.aanmelden(user=outsider, activiteit=activiteit)
    public = factories.activiteit(buurt=buurt, zichtbaarheid="openbaar")
    assert services.aanmelden(user=outsider, activiteit=public).status == "aangemeld"


def test_attendance_and_hours_after_the_activity(buurt):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser, rollen=[("Loper", 2)])
    walker, guest = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    as_walker = services.aanmelden(user=walker, activiteit=activiteit, rol=activiteit.rollen.get())
    as_guest = services.aanmelden(user=guest, activiteit=activiteit)
    entries = [
        services.Aanwezigheid(as_walker.pk, True, Decimal("1.5")),
        services.Aanwezigheid(as_guest.pk, False, Decimal("3")),
    ]

    with pytest.raises(ValidationError, match="begonnen"):
        services.aanwezigheid_registreren(
            activiteit=activiteit, by=organiser, aanwezigheid=entries, extra_bezoekers=4
        )
    Activiteit.objects.filter(pk=activiteit.pk).update(
        start=timezone.now() - timedelta(hours=3), einde=timezone.now() - timedelta(hours=1)
    )
    activiteit.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.aanwezigheid_registreren(
            activiteit=activiteit, by=walker, aanwezigheid=entries, extra_bezoekers=4
        )
    services.aanwezigheid_registreren(
        activiteit=activiteit, by=organiser, aanwezigheid=entries, extra_bezoekers=4
    )
    as_walker.refresh_from_db()
    as_guest.refresh_from_db()
    activiteit.refresh_from_db()
    assert (as_walker.aanwezig, as_walker.uren) == (True, Decimal("1.5"))
    assert (as_guest.aanwezig, as_guest.uren) == (False, None)  # hours only for volunteers
    assert activiteit.extra_bezoekers == 4


def test_a_report_photo_is_not_kept_when_the_database_refuses_its_row(buurt, settings):
    """Saving the row writes the photo first: a row the database refuses (here more visitors
    than its small integer holds; the form bounds it) must not leave a file behind."""
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser)
    Activiteit.objects.filter(pk=activiteit.pk).update(start=timezone.now() - timedelta(hours=2))
    with pytest.raises(DataError):
        services.aanwezigheid_registreren(
            activiteit=activiteit,
            by=organiser,
            aanwezigheid=[],
            extra_bezoekers=2**15,
            foto=ContentFile(b"jpeg", name="verslag.jpg"),
        )
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
    activiteit.refresh_from_db()
    assert not activiteit.verslag_foto


def test_reminders_go_out_once_a_day_ahead(buurt):
    soon = factories.activiteit(buurt=buurt, start=timezone.now() + timedelta(hours=20))
    later = factories.activiteit(buurt=buurt, start=timezone.now() + timedelta(days=3))
    person = factories.LidmaatschapFactory(buurt=buurt).user
    services.aanmelden(user=person, activiteit=soon)
    services.aanmelden(user=person, activiteit=later)

    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0  # beat again, or after a worker restart
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert soon.titel in mail.outbox[0].subject


def test_reminders_follow_each_persons_choice_on_meldingen_en_berichten(buurt):
    """At once (the default), in the daily digest, or only on the site: the choice per kind
    (``notificaties.voorkeuren``), the one place for it."""
    evening = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
    with time_machine.travel(evening, tick=False):
        soon = factories.activiteit(buurt=buurt, start=timezone.now() + timedelta(hours=20))
        also_soon = factories.activiteit(buurt=buurt, start=timezone.now() + timedelta(hours=22))
        direct, digest, none = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(3))
        for user, keuze in ((digest, Keuze.DAG), (none, Keuze.UIT)):
            factories.kiest(user, {Notificatie.Soort.HERINNERING: keuze})
        for user in (direct, digest, none):
            services.aanmelden(user=user, activiteit=soon)
        services.aanmelden(user=digest, activiteit=also_soon)

        assert tasks.send_reminders() == 4  # one notice each, whatever it becomes
        assert tasks.send_reminders() == 0
        relay_notificaties()
        assert [m.to for m in mail.outbox] == [[direct.email]]
    with time_machine.travel(evening + timedelta(hours=12), tick=False):  # 07:00, beat
        # Hers, and each organiser's of the sign-ups (their default: once a day).
        assert send_daily_overzichten() == 3
        assert send_daily_overzichten() == 0
        relay_notificaties()
    ours = {direct.email, digest.email, none.email}
    assert sorted(m.to[0] for m in mail.outbox if m.to[0] in ours) == sorted(
        [direct.email, digest.email]
    )
    digest_mail = next(m for m in mail.outbox if m.to == [digest.email])
    assert soon.titel in digest_mail.body and also_soon.titel in digest_mail.body
    assert none.email not in {m.to[0] for m in mail.outbox}
    # Not sent is not gone: her reminder is in her inbox on the site.
    assert Notificatie.objects.get(ontvanger=none, soort=Notificatie.Soort.HERINNERING).status == (
        Notificatie.Status.UIT
    )


def test_the_organiser_writes_to_participants_through_the_platform(
    buurt, django_capture_on_commit_callbacks
):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser, capaciteit=1)
    going, waiting = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    services.aanmelden(user=going, activiteit=activiteit)
    services.aanmelden(user=waiting, activiteit=activiteit)
    with pytest.raises(PermissionDenied):
        services.bericht_versturen(activiteit=activiteit, by=going, tekst="Hoi")
    with django_capture_on_commit_callbacks(execute=True):
        services.bericht_versturen(
            activiteit=activiteit, by=organiser, tekst="Neem handschoenen mee!"
        )
    assert relay_notificaties() == {}  # delivered once: the relay again sends nothing
    assert sorted(m.to[0] for m in mail.outbox) == sorted([going.email, waiting.email])
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees another address
    assert "Neem handschoenen mee!" in mail.outbox[0].body
