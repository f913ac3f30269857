"""One escalation that cannot be sent does not stop the others (see
tests/activiteiten/test_bad_rows.py for reminders and digests): the unreachable address waits in
the notification outbox for its next attempt, and the log never names the person."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties
from tests import factories
from tests.activiteiten.test_bad_rows import break_address, the_unreachable_one_waits
from verzoeken import services, tasks
from verzoeken.models import StilzwijgendRegel

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def test_one_escalation_that_cannot_be_sent_does_not_stop_the_others(buurt, caplog):
    other = factories.BuurtFactory(wijk=factories.WijkFactory(gemeente=buurt.wijk.gemeente))
    requests = []
    coordinators = []
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        for place in (buurt, other):
            StilzwijgendRegel.objects.get_or_create(
                gemeente=place.wijk.gemeente,
                soort="materialen",
                defaults={"max_bedrag": Decimal("250"), "werkdagen": 3},
            )
            coordinators.append(factories.professional("coordinator", place.wijk))
            requests.append(
                services.verzoek_create(
                    aanvrager=factories.LidmaatschapFactory(buurt=place).user,
                    buurt=place,
                    soort="budget",
                    bedrag=Decimal("900"),
                    nodig_op=timezone.localdate() + timedelta(days=24),
                    toelichting="Koffie en thee",
                    indienen=True,
                )
            )
        relay_notificaties()  # the coordinators heard of both requests when they came in
    address = break_address(coordinators[0])
    mail.outbox.clear()

    with time_machine.travel(datetime(2026, 12, 11, 9, 0, tzinfo=AMS), tick=False):
        assert tasks.silent_consent_and_escalation() == {"approved": 0, "escalated": 2}
        assert [m.to for m in mail.outbox] == [[coordinators[1].email]]
        the_unreachable_one_waits(
            coordinators[0], caplog, address, "kapot", soort=Notificatie.Soort.VERZOEK_ESCALATIE
        )
    for verzoek in requests:
        verzoek.refresh_from_db()
        assert verzoek.escalated_at is not None  # queued once: beat will not queue it again
