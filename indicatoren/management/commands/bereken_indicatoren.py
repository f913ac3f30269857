"""Compute the indicator snapshots now, in this process (for operators; the dashboard and the
nightly beat entry use the Celery task)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from buurten.models import Gemeente
from indicatoren.compute import compute_snapshots
from indicatoren.services import default_periode


class Command(BaseCommand):
    help = "Compute all indicators for a gemeente (default: every gemeente) for 12 months."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", help="CBS code, e.g. GM0363 (default: all)")
        parser.add_argument(
            "--eind", type=date.fromisoformat, help="last day of the period (default: today)"
        )

    def handle(self, *args, gemeente=None, eind=None, **options):
        gemeenten = Gemeente.objects.filter(wijken__buurten__isnull=False).distinct()
        if gemeente:
            gemeenten = gemeenten.filter(code=gemeente.upper())
            if not gemeenten:
                raise CommandError(f"No gemeente with buurten has the code {gemeente}.")
        start, eind = default_periode(eind)
        for item in gemeenten:
            written = compute_snapshots(gemeente=item, periode_start=start, periode_eind=eind)
            self.stdout.write(f"{item.code} {start} – {eind}: {written} snapshots")
