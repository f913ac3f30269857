from django.apps import AppConfig


class PortaalConfig(AppConfig):
    """The start page, the administrator's tools and the demo: what ties the apps together for
    a person. It sits on top: it may import every app, and no app imports it."""

    name = "portaal"

    def ready(self):
        from . import notices  # noqa: F401 (registers the renderers of the digests)
