"""Every e-mail to a person through real Redis, Postgres and `celery worker` processes: queued
with the change that causes it, delivered exactly once whatever fails (the broker, one mailbox,
a worker killed mid-send). See docs/adr/0010-notification-outbox.md."""

import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activiteiten import services as activiteiten
from indicatoren.models import Peiling, StarterAanmelding
from meldingen import services as meldingen
from meldingen.models import Melding, Nazorg, Prioriteit, RoutingRegel
from meldingen.workflow import Actie
from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties
from tests import factories
from tests.celery_worker import BASE_DIR, Worker, wait_for
from tests.test_worker import _mails
from verzoeken import services as verzoeken

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Soort, Status = Notificatie.Soort, Notificatie.Status
MISBEHAVING = {"DJANGO_SETTINGS_MODULE": "tests.settings_misbehaving_mail"}


def _none_waiting() -> bool:
    return not Notificatie.objects.filter(status=Status.WACHTEND).exists()


def _relay_runs(worker) -> int:
    return sum(
        "relay_notificaties" in line and "succeeded" in line
        for line in worker.log.read_text().splitlines()
    )


def _relay_and_wait(worker) -> None:
    """Beat's run of the relay, with the broker up; waits for the worker to finish it."""
    before = _relay_runs(worker)
    relay_notificaties.delay()
    wait_for(lambda: _relay_runs(worker) > before, what="the relay", log=worker.log)


def test_every_kind_of_message_queued_while_the_broker_is_down_is_delivered_once_later(
    worker,
):
    buurt = factories.BuurtFactory()
    coordinator = factories.professional("coordinator", buurt.wijk)
    police = factories.professional("politie", buurt.wijk)
    member = factories.LidmaatschapFactory(buurt=buurt).user
    asks, joins, vouched = (factories.UserFactory() for _ in range(3))
    borgen = [factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2)]  # of standing
    # A full activity with one on the waiting list; one tomorrow with someone to remind.
    full = factories.activiteit(buurt=buurt, capaciteit=1)
    leaves, waits = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    leaving = activiteiten.aanmelden(user=leaves, activiteit=full)
    activiteiten.aanmelden(user=waits, activiteit=full)
    tomorrow = factories.activiteit(buurt=buurt, start=timezone.now() + timedelta(hours=20))
    direct = factories.LidmaatschapFactory(buurt=buurt).user
    activiteiten.aanmelden(user=direct, activiteit=tomorrow)
    # Three facilitation requests: one to decide, one overdue, one on its last day.
    requests = [
        verzoeken.verzoek_create(
            aanvrager=member,
            buurt=buurt,
            soort="materialen",
            nodig_op=timezone.localdate() + timedelta(days=24),
            toelichting="Hesjes",
            indienen=True,
        )
        for _ in range(3)
    ]
    type(requests[1]).objects.filter(pk=requests[1].pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    type(requests[2]).objects.filter(pk=requests[2].pk).update(deadline=timezone.localdate())
    # A melding the police handle; an intimidation category routed to the police too.
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    categorie = factories.CategorieFactory()
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel="politie")
    melding = factories.melding(user=reporter, categorie=categorie)
    meldingen.melding_transition(melding=melding, actie=Actie.OPPAKKEN, by=police)
    threatened = factories.LidmaatschapFactory(buurt=buurt).user
    intimidatie = factories.CategorieFactory(naam="Intimidatie (worker)", is_intimidatie=True)
    RoutingRegel.objects.create(volgorde=2, categorie=intimidatie, doel="politie")
    # A resident who asked, at the end of a survey round, to be invited for a first activity.
    starter = factories.LidmaatschapFactory(buurt=buurt).user
    StarterAanmelding.objects.create(
        user=starter,
        peiling=Peiling.objects.create(
            wijk=buurt.wijk,
            titel="Buurtpeiling",
            opened_by=coordinator,
            geopend_at=timezone.now() - timedelta(days=20),
            gesloten_at=timezone.now() - timedelta(days=10),
        ),
        aangemeld_op=timezone.localdate() - timedelta(days=15),
    )
    # A high-priority melding past its deadline with no reaction: its team is told.
    urgent = factories.melding(buurt=buurt, categorie=categorie)
    Melding.objects.filter(pk=urgent.pk).update(
        prioriteit=Prioriteit.HOOG, deadline_at=timezone.now() - timedelta(hours=1)
    )
    # An intimidation case whose planned follow-up day has passed: its coordinator is reminded.
    # (Made as an ordinary melding and turned into one, so the setup queues no nazorg notice.)
    followed = factories.melding(buurt=buurt, categorie=categorie)
    Melding.objects.filter(pk=followed.pk).update(categorie=intimidatie)
    Nazorg.objects.create(
        melding=followed,
        door=coordinator,
        notitie="Gebeld; volgende week weer.",
        volgende_contact=timezone.localdate() - timedelta(days=1),
    )
    # The setup's meldingen were routed here: their receipts are all that was queued so far.
    # Once the worker has sent them, they are cleared away, rows and mails.
    # (Sign-ups and new activities wait for their digests, tested in-process in
    # tests/notificaties/test_overzichten.py.)
    waiting = Notificatie.objects.filter(status=Status.WACHTEND)
    # (A repeated category in one buurt rises to high priority: its officers are told.)
    assert set(waiting.values_list("soort", flat=True)) <= {
        Soort.ONTVANGSTBEVESTIGING,
        Soort.HOGE_PRIORITEIT,
    }
    wait_for(_none_waiting, what="the setup's receipts", log=worker.log)
    Notificatie.objects.all().delete()
    if worker.mail_dir.exists():
        for path in worker.mail_dir.iterdir():
            path.unlink()

    # Every event, in a process whose broker is down: each request must still succeed.
    script = textwrap.dedent(f"""
        from datetime import timedelta
        from django.utils import timezone
        from accounts.models import User
        from activiteiten import services as a, tasks as at
        from activiteiten.models import Aanmelding, Activiteit
        from verzoeken import services as v, tasks as vt
        from verzoeken.models import Verzoek
        from buurten import services as b
        from buurten.models import Buurt
        from meldingen import services as m
        from meldingen.models import Categorie, Melding
        user = User.objects.get
        buurt = Buurt.objects.get(pk={buurt.pk})
        b.aanvraag_create(user=user(pk={asks.pk}), buurt=buurt)
        request = b.aanvraag_create(user=user(pk={joins.pk}), buurt=buurt)
        b.aanvraag_decide(lidmaatschap=request, by=user(pk={coordinator.pk}), approve=True)
        vouching = b.aanvraag_create(user=user(pk={vouched.pk}), buurt=buurt)
        for borg in {[borg.pk for borg in borgen]}:
            b.lidmaatschap_vouch(lidmaatschap=vouching, borg=user(pk=borg))
        a.afmelden(aanmelding=Aanmelding.objects.get(pk={leaving.pk}), user=user(pk={leaves.pk}))
        a.bericht_versturen(activiteit=Activiteit.objects.get(pk={full.pk}),
                            by=user(pk={full.organisator_id}), tekst="Neem een zaklamp mee")
        v.verzoek_besluiten(verzoek=Verzoek.objects.get(pk={requests[0].pk}),
                            by=user(pk={coordinator.pk}), actie="toekennen")
        v.verzoek_create(aanvrager=user(pk={member.pk}), buurt=buurt, soort="materialen",
                         nodig_op=timezone.localdate() + timedelta(days=24),
                         toelichting="Pionnen", indienen=True)
        m.melding_transition(melding=Melding.objects.get(pk={melding.pk}), actie="afsluiten",
                             by=user(pk={police.pk}), terugkoppeling="Gecontroleerd.")
        threat = m.melding_create(user=user(pk={threatened.pk}), buurt=buurt,
                                  categorie=Categorie.objects.get(pk={intimidatie.pk}),
                                  wat="x", waar="y", wanneer=timezone.now())
        m.melding_route(melding_id=threat.pk)  # what the worker does once it gets the task
        m.meldingen_alert_overdue()  # what beat runs every few minutes
        m.nazorg_remind()  # and this
        from indicatoren import services as i
        i.starters_uitnodigen(activiteit=Activiteit.objects.get(pk={tomorrow.pk}),
                              by=user(pk={coordinator.pk}))
        at.send_reminders()
        vt.silent_consent_and_escalation()
        vt.warn_on_the_last_day()
        from django.test import Client
        reset = Client(HTTP_HOST="localhost", secure=True).post(
            "/accounts/password/reset/", {{"email": user(pk={asks.pk}).email}})
        assert reset.status_code == 302, reset.status_code
    """)
    outage = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env={**worker.env, "REDIS_URL": "redis://127.0.0.1:1/0"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outage.returncode == 0, outage.stderr[-3000:]
    assert "left for the sweep" in outage.stderr
    # Every kind sent at once by default. The digests, what they gather (sign-ups, new
    # activities) and the officers' morning summary are tested in-process
    # (tests/notificaties/test_overzichten.py, tests/meldingen/test_gebiedsoverzicht.py).
    not_here = {
        Soort.GEBIEDSOVERZICHT,
        Soort.OVERZICHT_DAG,
        Soort.OVERZICHT_WEEK,
        Soort.AANMELDING,
        Soort.NIEUWE_ACTIVITEIT,
        Soort.DAGOVERZICHT,  # no longer written (notificaties 0011): the digests above
    }
    assert set(Notificatie.objects.values_list("soort", flat=True)) == (
        set(Soort.values) - not_here
    )
    # The cancellation waits for the organiser's daily digest; everything else is due.
    assert set(
        Notificatie.objects.exclude(status=Status.WACHTEND).values_list("soort", "status")
    ) == {(Soort.AFMELDING, Status.GEBUNDELD)}
    assert _mails(worker.mail_dir) == []

    # The broker is back: beat's run of the relay delivers everything, a second run nothing.
    _relay_and_wait(worker)
    wait_for(_none_waiting, what="delivery", log=worker.log)
    _relay_and_wait(worker)

    expected = {
        Soort.LIDMAATSCHAP_AANVRAAG: {coordinator.email},  # those decided meanwhile lapse
        Soort.WELKOM: {joins.email, vouched.email},
        Soort.BORGSTELLING: {coordinator.email},
        Soort.WACHTLIJST: {waits.email},
        Soort.BERICHT: {waits.email},
        Soort.VERZOEK_BESLUIT: {member.email},
        Soort.TERUGKOPPELING: {reporter.email},
        Soort.INTIMIDATIE: {coordinator.email},
        Soort.HERINNERING: {direct.email},
        Soort.VERZOEK_ESCALATIE: {coordinator.email},
        Soort.VERZOEK_NIEUW: {coordinator.email},
        Soort.VERZOEK_TERMIJN: {coordinator.email},  # the request submitted during the outage
        Soort.STARTER_UITNODIGING: {starter.email},
        Soort.ONTVANGSTBEVESTIGING: {threatened.email},
        Soort.TERMIJN_VERSTREKEN: {police.email},
        Soort.HOGE_PRIORITEIT: {police.email},  # the intimidation melding, routed to them
        Soort.NAZORG_HERINNERING: {coordinator.email},
    }
    sent = Notificatie.objects.filter(status=Status.VERZONDEN).select_related("ontvanger")
    assert {
        soort: {row.ontvanger.email for row in sent if row.soort == soort} for soort in expected
    } == expected
    # allauth's password reset, rendered in the request with its link; the row keeps neither.
    account = Notificatie.objects.get(soort=Soort.ACCOUNT)
    assert account.status == Status.VERZONDEN
    assert (account.adres, account.tekst, account.html) == ("", "", "")
    assert set(Notificatie.objects.filter(status=Status.VERVALLEN).values_list("object_id")) == {
        (joins.lidmaatschappen.get().pk,),
        (vouched.lidmaatschappen.get().pk,),
    }
    mails = Counter((m["To"], m["Subject"]) for m in _mails(worker.mail_dir))
    assert sum(mails.values()) == sum(len(to) for to in expected.values()) + 1
    assert set(mails.values()) == {1}  # each exactly once
    (reset,) = [m for m in _mails(worker.mail_dir) if m["To"] == asks.email]
    assert "/accounts/password/reset/key/" in reset.get_payload(decode=True).decode()
    log = worker.log.read_text()
    assert not any(person.email in log for person in (reporter, threatened, member, asks))


def test_a_refused_mailbox_mid_batch_is_retried_then_failed_while_the_others_get_theirs_once(
    tmp_path, queue, transactional_db, login
):
    worker = Worker(
        tmp_path,
        queue,
        env={**MISBEHAVING, "TEST_REFUSED_ADDRESSES": "weigert@example.org"},
    )
    try:
        buurt = factories.BuurtFactory()
        activiteit = factories.activiteit(buurt=buurt)
        emails = ["een@example.org", "twee@example.org", "weigert@example.org"]
        emails += ["vier@example.org", "vijf@example.org"]
        for email in emails:
            person = factories.LidmaatschapFactory(buurt=buurt, user__email=email).user
            activiteiten.aanmelden(user=person, activiteit=activiteit)
        activiteiten.bericht_versturen(
            activiteit=activiteit, by=activiteit.organisator, tekst="Morgen om acht"
        )
        refused = Notificatie.objects.filter(ontvanger__email="weigert@example.org")
        wait_for(
            lambda: (
                Notificatie.objects.filter(status=Status.VERZONDEN).count() == 4
                and refused.filter(attempts=1, next_attempt_at__isnull=False).exists()
            ),
            what="the first run",
            log=worker.log,
        )
        # Beat's later runs, each after the backoff has passed (the worker's clock is real time,
        # so the wait is shortened here; its length is tested with a frozen clock elsewhere).
        while refused.filter(status=Status.WACHTEND).exists():
            assert refused.get().last_error == "SMTPRecipientsRefused 550"
            refused.update(next_attempt_at=timezone.now())
            _relay_and_wait(worker)
        row = refused.get()
        assert row.status == Status.MISLUKT and row.attempts == 8
        mails = [m["To"] for m in _mails(worker.mail_dir)]
        assert sorted(mails) == sorted(e for e in emails if e != "weigert@example.org")
        assert "weigert@example.org" not in worker.log.read_text()

        admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
        page = login(admin).get(
            reverse("admin:notificaties_notificatie_changelist"), {"status__exact": "mislukt"}
        )
        assert "SMTPRecipientsRefused 550" in page.content.decode()
    finally:
        worker.stop()


def test_a_worker_killed_mid_send_leaves_every_message_delivered_exactly_once(
    tmp_path, queue, transactional_db
):
    lease = 20  # seconds: long enough to start a second worker and run the relay within it
    env = {
        **MISBEHAVING,
        "TEST_SLOW_ADDRESS": "traag@example.org",
        "TEST_SLOW_MARKER": str(tmp_path / "sending"),
        "WIJKAANPAK_NOTIFICATIE_LEASE": str(lease),
    }
    first = Worker(tmp_path, queue, name="first", env=env)
    buurt = factories.BuurtFactory()
    activiteit = factories.activiteit(buurt=buurt)
    emails = [f"deelnemer{n}@example.org" for n in range(6)] + ["traag@example.org"]
    emails += [f"laat{n}@example.org" for n in range(6)]
    for email in emails:
        person = factories.LidmaatschapFactory(buurt=buurt, user__email=email).user
        activiteiten.aanmelden(user=person, activiteit=activiteit)
    activiteiten.bericht_versturen(activiteit=activiteit, by=activiteit.organisator, tekst="Hoi")

    # The worker hangs in the middle of sending to one address; a second one stands by.
    wait_for((tmp_path / "sending").exists, what="the slow send", log=first.log)
    second = Worker(tmp_path, queue, name="second", env=env)
    try:
        first.process.send_signal(signal.SIGKILL)  # killed mid-send
        first.process.wait(timeout=20)
        delivered = [m["To"] for m in _mails(first.mail_dir)]
        assert delivered and "traag@example.org" not in delivered
        sent = Notificatie.objects.filter(status=Status.VERZONDEN)
        assert sorted(sent.values_list("ontvanger__email", flat=True)) == sorted(delivered)
        claimed = Notificatie.objects.filter(status=Status.WACHTEND, claim__isnull=False)
        lease_ends = min(claimed.values_list("claimed_until", flat=True))

        # Within the lease the dead worker's claim holds: beat's run sends none of its rows.
        _relay_and_wait(second)
        assert timezone.now() < lease_ends, "the machine was too slow for this check"
        assert sorted(m["To"] for m in _mails(first.mail_dir)) == sorted(delivered)
        # After the lease they are offered again, and delivered once.
        time.sleep(max(0.0, (lease_ends - timezone.now()).total_seconds() + 0.5))
        _relay_and_wait(second)
        wait_for(_none_waiting, what="delivery after the lease", log=second.log)
        _relay_and_wait(second)  # and beat's next run finds nothing to send
    finally:
        second.stop()
    mails = Counter(m["To"] for m in _mails(first.mail_dir))
    assert sorted(mails) == sorted(emails)
    assert set(mails.values()) == {1}
    assert Notificatie.objects.filter(status=Status.VERZONDEN).count() == len(emails)
