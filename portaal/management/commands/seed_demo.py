"""Demo accounts and data for a local try-out; safe to run again (nothing is duplicated)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email, ensure_user
from accounts.models import Role, Team
from activiteiten.demo import seed as seed_activiteiten
from buurten.models import Buurt, Gemeente, Lidmaatschap, Uitnodigingscode, Wijk
from indicatoren.demo import seed as seed_indicatoren
from meldingen.demo import seed as seed_meldingen
from verzoeken.demo import seed as seed_verzoeken

DEMO_CODE = "SAMEN234"
# (local part, display name, buurt code); the first is the documented demo resident.
RESIDENTS = [
    ("bewoner", "Sanne", "BU0363AA02"),
    ("anna", "Anna", "BU0363AA02"),
    ("bram", "Bram", "BU0363AA02"),
    ("chantal", "Chantal", "BU0363AA05"),
    ("dirk", "Dirk", "BU0363AA05"),
    ("esra", "Esra", "BU0363AB07"),
    ("fatima", "Fatima", "BU0363AB07"),
]
PENDING = [("gijs", "Gijs", "BU0363AA02", "Ik woon sinds kort op het Realeneiland")]
WITHOUT_BUURT = [("nieuw", "Noor")]
# Demo members were approved this long ago: long enough to vouch (buurten.borgstelling).
MEMBER_SINCE = timedelta(days=365)


class Command(BaseCommand):
    help = "Create demo accounts (one per role) and demo memberships. Refuses without DEBUG."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (never in production)"
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password: it only runs with "
                "DJANGO_DEBUG=true (or --force on a throw-away database)."
            )
        gemeente = Gemeente.objects.filter(code="GM0363").first()
        if gemeente is None:
            raise CommandError("Import the Amsterdam buurten first (make run does this).")
        with transaction.atomic():
            self._seed(gemeente, settings.WIJKAANPAK_DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS("Demo accounts ready:"))
        for local in ("bewoner", "nieuw", "coordinator", "politie", "handhaving", "beheerder"):
            self.stdout.write(f"  {demo_email(local)}")
        self.stdout.write(f"Invite code for Westelijke eilanden: {DEMO_CODE}")

    def _seed(self, gemeente, password):
        wijken = {
            w.code: w for w in Wijk.objects.filter(code__in=["WK0363AA", "WK0363AB", "WK0363AF"])
        }
        teams = {}
        for organisatie, naam, codes in [
            (
                Team.Organisatie.GEMEENTE,
                "Gemeente Amsterdam · Centrum-West",
                ["WK0363AA", "WK0363AB"],
            ),
            (Team.Organisatie.POLITIE, "Basisteam Centrum-Jordaan", ["WK0363AA", "WK0363AB"]),
            (
                Team.Organisatie.HANDHAVING,
                "Handhaving Centrum",
                ["WK0363AA", "WK0363AB", "WK0363AF"],
            ),
        ]:
            team, _created = Team.objects.get_or_create(
                gemeente=gemeente, organisatie=organisatie, naam=naam
            )
            team.wijken.set([wijken[code] for code in codes])
            teams[organisatie] = team

        users = {}
        coordinator = users["coordinator"] = ensure_user(
            local="coordinator",
            naam="Coördinator Karin",
            role=Role.COORDINATOR,
            password=password,
            team=teams[Team.Organisatie.GEMEENTE],
        )
        users["politie"] = ensure_user(
            local="politie",
            naam="Wijkagent Mo",
            role=Role.POLITIE,
            password=password,
            team=teams[Team.Organisatie.POLITIE],
        )
        users["handhaving"] = ensure_user(
            local="handhaving",
            naam="BOA Lisa",
            role=Role.HANDHAVING,
            password=password,
            team=teams[Team.Organisatie.HANDHAVING],
        )
        ensure_user(
            local="beheerder",
            naam="Beheerder",
            role=Role.BEHEERDER,
            password=password,
            is_staff=True,
            is_superuser=True,
        )

        buurten = {b.code: b for b in Buurt.objects.filter(code__in={r[2] for r in RESIDENTS})}
        now = timezone.now()
        # Seeded memberships are demo fixtures, not decisions: they are written directly, with
        # the welcome e-mail marked as sent so that a re-run sends nothing.
        for local, naam, code in RESIDENTS:
            user = users[local] = ensure_user(
                local=local, naam=naam, role=Role.BEWONER, password=password
            )
            Lidmaatschap.objects.filter(user=user, status__in=Lidmaatschap.ACTIVE).exclude(
                buurt=buurten[code]
            ).update(status=Lidmaatschap.Status.BEEINDIGD)
            Lidmaatschap.objects.update_or_create(
                user=user,
                buurt=buurten[code],
                status=Lidmaatschap.Status.LID,
                defaults={
                    "via": Lidmaatschap.Via.COORDINATOR,
                    "decided_by": coordinator,
                    "decided_at": now - MEMBER_SINCE,
                    "welcome_sent_at": now,
                },
            )
        for local, naam, code, toelichting in PENDING:
            user = ensure_user(local=local, naam=naam, role=Role.BEWONER, password=password)
            if not Lidmaatschap.objects.filter(user=user, status__in=Lidmaatschap.ACTIVE).exists():
                Lidmaatschap.objects.create(
                    user=user,
                    buurt=buurten[code],
                    toelichting=toelichting,
                    coordinators_notified_at=now,
                )
        for local, naam in WITHOUT_BUURT:
            ensure_user(local=local, naam=naam, role=Role.BEWONER, password=password)

        made = seed_meldingen(users=users, buurten=buurten)
        if made:
            self.stdout.write(f"Demo meldingen: {made}")
        made = seed_activiteiten(users=users, buurten=buurten)
        if made:
            self.stdout.write(f"Demo activiteiten: {made}")
        made = seed_verzoeken(users=users, buurten=buurten, coordinator=coordinator)
        if made:
            self.stdout.write(f"Demo verzoeken: {made}")
        made = seed_indicatoren(coordinator=coordinator)
        if made:
            self.stdout.write(f"Demo indicatoren: {made} buren met twee jaar geschiedenis")
        Uitnodigingscode.objects.get_or_create(
            code=DEMO_CODE,
            defaults={
                "buurt": buurten["BU0363AA02"],
                "label": "Demo-flyer Westelijke eilanden",
                "created_by": coordinator,
            },
        )
