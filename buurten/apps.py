from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuurtenConfig(AppConfig):
    name = "buurten"
    verbose_name = _("Buurten")
