"""One bad row does not stop a batch: the reminders and digests for everyone else
still go out, an unreachable address waits in the notification outbox for its next attempt,
and the log names the row or the kind of error, never the person. Bad rows are written with SQL, as
a direct POST before the forms cleaned titles, the admin or another app could have left them."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from activiteiten import services, tasks
from notificaties.models import Keuze, Notificatie
from notificaties.tasks import relay_notificaties, send_daily_overzichten
from tests import factories

pytestmark = pytest.mark.django_db
BROKEN_TITLE = "Avondronde\r\nBcc: iedereen@example.org"


def store_directly(table: str, pk: int, **values) -> None:
    columns = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 (names are ours)
            [*values.values(), pk],
        )


def break_address(user) -> str:
    """An address no mail can be sent to (a line break in a header is refused)."""
    address = f"kapot.{user.pk}@example.org\nBcc: x@example.org"
    store_directly("accounts_user", user.pk, email=address)
    return address


def soon(buurt, hours=20, **kwargs):
    return factories.activiteit(
        buurt=buurt, start=timezone.now() + timedelta(hours=hours), **kwargs
    )


def people(buurt, count):
    return [factories.LidmaatschapFactory(buurt=buurt).user for _ in range(count)]


def assert_no_personal_data_logged(caplog, *secrets):
    logged = " ".join(str(record.__dict__) for record in caplog.records)
    for secret in secrets:
        assert secret not in logged


def test_a_title_with_a_line_break_in_the_database_still_gets_its_reminders_out(buurt):
    broken, fine = soon(buurt), soon(buurt, hours=21)
    store_directly("activiteiten_activiteit", broken.pk, titel=BROKEN_TITLE)
    residents = people(buurt, 2)
    for person in residents:
        services.aanmelden(user=person, activiteit=broken)
        services.aanmelden(user=person, activiteit=fine)

    assert tasks.send_reminders() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(2 * [p.email for p in residents])
    subjects = {m.subject for m in mail.outbox}
    assert "Morgen: Avondronde Bcc: iedereen@example.org" in subjects
    assert all("\n" not in m.subject and m.bcc == [] for m in mail.outbox)


def the_unreachable_one_waits(user, caplog, *secrets, soort=None):
    """The message to an address that cannot be mailed is not lost and stops nobody else: it
    waits in the outbox for its next attempt, and the log names its kind of error only. With
    ``soort``, the message of that kind (the person had others before)."""
    rows = Notificatie.objects.filter(ontvanger=user)
    row = rows.get(soort=soort) if soort else rows.get()
    assert row.status == Notificatie.Status.WACHTEND
    assert row.attempts == 1 and row.next_attempt_at is not None
    assert row.last_error and "@" not in row.last_error
    assert_no_personal_data_logged(caplog, *secrets)


def test_one_reminder_that_cannot_be_sent_does_not_stop_the_others(buurt, caplog):
    activiteit = soon(buurt)
    first, unreachable, last = people(buurt, 3)
    for person in (first, unreachable, last):
        services.aanmelden(user=person, activiteit=activiteit)
    address = break_address(unreachable)

    assert tasks.send_reminders() == 3  # queued, each in its own transaction
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, last.email])
    the_unreachable_one_waits(unreachable, caplog, address, "kapot", activiteit.titel)
    # Beat again: nothing is queued twice, and nobody gets a second reminder.
    assert tasks.send_reminders() == 0
    relay_notificaties()
    assert len(mail.outbox) == 2


def test_one_digest_that_cannot_be_sent_does_not_stop_the_others(buurt, caplog):
    evening = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
    with time_machine.travel(evening, tick=False):
        activiteit = soon(buurt)
        reachable, unreachable = people(buurt, 2)
        for person in (reachable, unreachable):
            factories.kiest(person, {Notificatie.Soort.HERINNERING: Keuze.DAG})
            services.aanmelden(user=person, activiteit=activiteit)
        assert tasks.send_reminders() == 2  # waiting for their digests
    address = break_address(unreachable)

    with time_machine.travel(evening + timedelta(hours=12), tick=False):  # 07:00, beat
        # Theirs, and the organiser's sign-ups (once a day by default).
        assert send_daily_overzichten() == 3
    digests = Notificatie.objects.filter(soort=Notificatie.Soort.OVERZICHT_DAG)
    sent_to = {m.to[0] for m in mail.outbox}
    assert reachable.email in sent_to and unreachable.email not in sent_to
    the_unreachable_one_waits(
        unreachable, caplog, address, "kapot", soort=Notificatie.Soort.OVERZICHT_DAG
    )
    assert digests.count() == 3
