"""Relays and beat runs at the same moment on real Postgres: each message once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from activiteiten import services as activiteiten
from activiteiten import tasks as activiteiten_tasks
from notificaties.models import Notificatie
from notificaties.services import notificaties_relay, notify
from tests import factories
from tests.buurten.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_three_relays_at_once_send_each_message_once():
    lidmaatschap = factories.LidmaatschapFactory()  # what the messages are about
    people = factories.UserFactory.create_batch(60)
    with transaction.atomic():
        notify(
            soort=Notificatie.Soort.WELKOM,
            object_id=lidmaatschap.pk,
            ontvangers=people,
            relay=False,
        )

    outcomes = run_at_once(notificaties_relay, notificaties_relay, notificaties_relay)

    assert sum(o["verzonden"] for o in outcomes) == 60
    sent = Counter(m.to[0] for m in mail.outbox)
    assert sorted(sent) == sorted(p.email for p in people) and set(sent.values()) == {1}


def test_beat_firing_twice_queues_and_sends_one_reminder_each():
    buurt = factories.BuurtFactory()
    activiteit = factories.activiteit(buurt=buurt, start=timezone.now() + timedelta(hours=20))
    people = [factories.LidmaatschapFactory(buurt=buurt).user for _ in range(10)]
    for person in people:
        activiteiten.aanmelden(user=person, activiteit=activiteit)

    run_at_once(activiteiten_tasks.send_reminders, activiteiten_tasks.send_reminders)

    assert Notificatie.objects.filter(status=Notificatie.Status.VERZONDEN).count() == 10
    sent = Counter(m.to[0] for m in mail.outbox)
    assert sorted(sent) == sorted(p.email for p in people) and set(sent.values()) == {1}
