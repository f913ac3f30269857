"""QR codes for printable flyers (buurt invite codes, activity invitations)."""

import io

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """Inline SVG of a QR code for ``url``, made by qrcode; the XML prolog is dropped, and so is
    the path's fixed id, which several codes on one page (the invitation codes) would repeat."""
    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12).save(buffer)
    svg = buffer.getvalue().decode().replace(' id="qr-path"', "")
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 (generated markup, no user input)
