from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_DOMAIN, current_totp_code
from accounts.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (local demo only, DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG or not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError("Only for demo accounts, with DEBUG on.")
        user = User.objects.filter(email=email).first()
        code = current_totp_code(user) if user else None
        if code is None:
            raise CommandError(f"{email} has no TOTP authenticator.")
        self.stdout.write(code)
