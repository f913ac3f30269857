"""Print a new VAPID key pair for web push, as lines for .env (docs/adr/0015-web-push.md)."""

from django.core.management.base import BaseCommand

from notificaties import webpush


class Command(BaseCommand):
    help = "Maak een nieuw VAPID-sleutelpaar voor pushmeldingen (regels voor .env)."

    def handle(self, *args, **options):
        private, public = webpush.generate_keys()
        self.stdout.write(f"WIJKAANPAK_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"WIJKAANPAK_VAPID_PUBLIC_KEY={public}")
        self.stderr.write(
            "Keep the private key secret. A new pair ends every device's subscription: "
            "people turn notifications on again."
        )
