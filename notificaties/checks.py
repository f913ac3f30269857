"""``manage.py check``: a VAPID key pair is both keys, belonging together, or neither."""

from django.core.checks import Error, register

from . import webpush


@register()
def vapid_keys(app_configs, **kwargs):
    problem = webpush.key_problem()
    if problem is None:
        return []
    return [
        Error(
            f"Web push: {problem}.",
            hint="Generate a pair with `python manage.py vapid_sleutels`, or set neither.",
            id="notificaties.E001",
        )
    ]
