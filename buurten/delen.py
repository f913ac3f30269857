"""The share box (templates/delen.html, static/js/delen.js): a short text with an absolute link
to the public site, a WhatsApp link and a QR code, for an activity's invitation and a buurt's
invitation codes."""

from urllib.parse import quote

from .flyers import qr_svg


def share_box(*, intro: str, link: str) -> dict:
    """What the share box shows: ``intro`` ("Doe je mee? …:") followed by ``link``, which must
    come from ``notificaties.soorten.site_url`` (never from the request's host)."""
    text = f"{intro} {link}"
    return {
        "intro": intro,
        "link": link,
        "text": text,
        "whatsapp": "https://wa.me/?text=" + quote(text, safe=""),
        "qr_svg": qr_svg(link),
    }
