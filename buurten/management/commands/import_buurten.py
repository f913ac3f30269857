from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from buurten.importer import UnusableFileError, import_kerncijfers


class Command(BaseCommand):
    help = (
        "Import gemeente, wijken and buurten from a CBS Kerncijfers wijken en buurten CSV "
        "(semicolon-separated) and, optionally, Amsterdam's gebieden CSV (stadsdeel, centre, "
        "shape). Safe to run again: existing areas are updated, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="kerncijfers CSV")
        parser.add_argument("--gebieden", type=Path, help="gebieden CSV with stadsdeel and shape")
        parser.add_argument("--peiljaar", type=int, help="year of the figures (default: from name)")

    def handle(self, *args, path, gebieden, peiljaar, **options):
        def progress(done, total):
            if options["verbosity"] >= 1:
                self.stdout.write(f"  {done}/{total} rows", ending="\n")

        try:
            report = import_kerncijfers(
                Path(path),
                gebieden=Path(gebieden) if gebieden else None,
                peiljaar=peiljaar,
                progress=progress,
            )
        except UnusableFileError as exc:
            raise CommandError(str(exc)) from exc

        created = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
        updated = ", ".join(f"{n} {kind}" for kind, n in report.updated.items())
        self.stdout.write(self.style.SUCCESS(f"Created: {created}"))
        self.stdout.write(f"Updated: {updated}; unchanged: {report.unchanged}")
        if gebieden:
            self.stdout.write(f"Gebieden matched: {report.gebieden_matched} buurten")
        if report.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {len(report.skipped)} rows:"))
            for line, code, reason in report.skipped:
                self.stdout.write(f"  line {line} {code or '(no code)'}: {reason}")
