from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicatoren"
    verbose_name = _("Indicatoren")

    def ready(self):
        from . import deelname, notices  # noqa: F401 (register their signals and renderers)
