from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerzoekenConfig(AppConfig):
    name = "verzoeken"
    verbose_name = _("Faciliteringsverzoeken")
