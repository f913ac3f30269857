from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuurtenConfig(AppConfig):
    name = "buurten"
    verbose_name = _("Buurten")

    def ready(self):
        from . import notices  # noqa: F401 (registers the renderers of its notifications)
