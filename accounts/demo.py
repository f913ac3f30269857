"""Demo accounts for a local try-out. Never used outside DEBUG (seed_demo refuses)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from .models import Role, User

DEMO_DOMAIN = "demo.wijkaanpak.nl"
# Shared, published TOTP secret of the demo professionals: add it to an authenticator app or
# run `python manage.py totp_code EMAIL`. A demo secret, like the demo password.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (published demo secret)


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def ensure_user(*, local: str, naam: str, role: str, password: str, team=None, **extra) -> User:
    """Create or update a demo user with a verified e-mail address (and TOTP for professionals)."""
    email = demo_email(local)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password)
    user.weergavenaam = naam
    user.role = role
    user.team = team
    for name, value in extra.items():
        setattr(user, name, value)
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    needs_totp = role != Role.BEWONER
    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if needs_totp and not has_totp:
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def current_totp_code(user) -> str | None:
    """The code the user's authenticator app shows right now (demo and tests only)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    secret = get_adapter().decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
