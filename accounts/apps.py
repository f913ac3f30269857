from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_delete, post_save

        from .middleware import forget_totp, start_session_clock
        from .push_views import forget_device_on_logout
        from .services import sync_taal_on_login

        user_logged_in.connect(start_session_clock, dispatch_uid="accounts.session_clock")
        user_logged_in.connect(sync_taal_on_login, dispatch_uid="accounts.taal")
        user_logged_out.connect(forget_device_on_logout, dispatch_uid="accounts.push")
        post_save.connect(forget_totp, sender=Authenticator, dispatch_uid="accounts.totp_saved")
        post_delete.connect(forget_totp, sender=Authenticator, dispatch_uid="accounts.totp_gone")
