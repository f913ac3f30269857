from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "open311"
    verbose_name = _("Open311 (meldingen uit andere apps)")

    def ready(self):
        # The herkomst holds a melding's data: the retention job must erase it too.
        from .retention import register_plan

        register_plan()
        # A handler's case page shows the media link an outside app sent (never fetched).
        from meldingen import detail_parts

        detail_parts.register(
            "open311", related="open311", template="open311/melding_herkomst.html"
        )
