"""E-mail to people on the platform, from ``<name>_subject.txt`` and ``<name>.txt`` templates."""

from django.core.mail import send_mail
from django.template.loader import render_to_string

from wijkaanpak.singleline import single_line


def send_templated_mail(template: str, context: dict, recipients: list[str]) -> None:
    send_mail(
        # A line break in a subject (from a title, say) would make Django refuse the e-mail.
        subject=single_line(render_to_string(f"{template}_subject.txt", context)),
        message=render_to_string(f"{template}.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
