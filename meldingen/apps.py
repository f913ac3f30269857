from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldingenConfig(AppConfig):
    name = "meldingen"
    verbose_name = _("Meldingen")

    def ready(self):
        from wijkaanpak import (
            checks,  # noqa: F401 (registers the deployment checks)
            lookups,  # noqa: F401 (registers ``field__among``)
        )

        from . import (
            notices,  # noqa: F401 (registers the renderers of its notifications)
            signals,  # noqa: F401 (connects the receivers)
        )
