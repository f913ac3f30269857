from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificatiesConfig(AppConfig):
    name = "notificaties"
    verbose_name = _("Notificaties")

    def ready(self):
        from . import checks  # noqa: F401  (registers the VAPID check)
