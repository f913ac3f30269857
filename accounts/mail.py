"""E-mail to people on the platform, from ``<name>_subject.txt`` and ``<name>.txt`` templates."""

from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_templated_mail(template: str, context: dict, recipients: list[str]) -> None:
    send_mail(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        message=render_to_string(f"{template}.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
