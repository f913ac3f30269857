"""Build or bring up to date the month aggregates of the participations (``DeelnameMaand``,
ADR 0006 "Computation") and the kept counts of the live period (``DeelnameKubus``) now, in
this process: the nightly beat entry does the same at 03:00.
Run it once after deploying issue 15 (the first run reads every participation so far), and
with ``--opnieuw`` after changing sign-ups, activities or memberships in the database by hand
(SQL or ``QuerySet.update``, which the marks do not see)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from indicatoren.deelname import deelname_maanden_bijwerken
from indicatoren.models import DeelnameMaandStand, DeelnamePeriodeStand


class Command(BaseCommand):
    help = "Build the month aggregates of the participations (the first time: every month)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--opnieuw", action="store_true", help="throw them away and build every month again"
        )

    def handle(self, *args, opnieuw=False, **options):
        with transaction.atomic():
            if opnieuw:
                DeelnameMaandStand.objects.all().delete()
                DeelnamePeriodeStand.objects.all().delete()
            result = deelname_maanden_bijwerken()
        self.stdout.write(
            f"{result['nieuw']} rows for new months, {result['herbouwd']} rebuilt for "
            f"{result['gemarkeerd']} residents marked as changed; the live period read again "
            f"for {result['periode']} residents"
        )
