from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerzoekenConfig(AppConfig):
    name = "verzoeken"
    verbose_name = _("Faciliteringsverzoeken")

    def ready(self):
        from . import notices  # noqa: F401 (registers the renderers of its notifications)
