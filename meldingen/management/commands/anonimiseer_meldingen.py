from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meldingen.services import meldingen_anonymise


class Command(BaseCommand):
    help = (
        "Erase everything that identifies a reporter or a described person from meldingen "
        "closed longer than WIJKAANPAK_RETENTION_DAYS ago (README: Retention, field by field). "
        "Beat runs this daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would change")

    def handle(self, *args, dry_run, **options):
        report = meldingen_anonymise(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} {report.meldingen} meldingen closed over "
            f"{settings.WIJKAANPAK_RETENTION_DAYS} days ago: {report.melders} reporters, "
            f"{report.fotos} photos."
        )
        if report.failed:
            ids = ", ".join(str(pk) for pk in report.failed)
            raise CommandError(f"Could not anonymise meldingen {ids}; tried again next run.")
