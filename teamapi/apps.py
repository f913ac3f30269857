from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamapiConfig(AppConfig):
    """The JSON API's own machinery for team systems: keys, authentication, limits, errors.
    Every ``/api/v1/`` view builds on it; it knows nothing of what those views serve."""

    name = "teamapi"
    verbose_name = _("Team-API")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
