from django import template
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def referentie(value) -> str:
    """A melding's reference on one line wherever a page shows it: a browser may break
    "M-7K3Q-9PX2" at its dashes, and a code split over two lines is misread when quoted."""
    return format_html('<span class="text-nowrap">{}</span>', value) if value else ""


@register.simple_tag
def feed_opties(field) -> str:
    """The ``<option>`` elements of one of the feed's filter fields, the chosen one selected.

    Written here rather than in ``feed.html``: a gemeente officer's form has 140 options (110
    wijken), and the template language's loop, with the field's value read per option, took
    about a quarter of the page's time."""
    chosen = str(field.value() if field.value() is not None else "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in field.field.choices
        ),
    )


@register.simple_tag
def feed_rij(melding, vandaag) -> str:
    """One line of the officers' feed: the summary linked to the melding, the nazorg badge
    (only where the page annotated it, ``selectors.nazorg_annotations``), then reference,
    status, when it was reported and the deadline, read at this moment
    (``Melding.is_overdue_now``).

    Written here rather than in ``feed.html``: the template language took 5.5 ms for a page
    of 25 lines on the bench machine (fastest of 300, under load), this 3.6 ms, and an
    officer's page is built anew after every change to a melding."""
    details = [
        part for part in (referentie(melding.referentie), melding.get_status_display()) if part
    ]
    when = date_format(localtime(melding.created_at), "j b Y H:i")
    details.append(_("gemeld %(when)s") % {"when": when})
    if melding.deadline_at and melding.awaits_response:
        deadline = date_format(localtime(melding.deadline_at), "D j b H:i")
        if melding.is_overdue_now:
            details.append(
                format_html(
                    '<span class="badge text-bg-danger">{}</span> '
                    '<span class="text-danger fw-semibold">{}</span>',
                    _("te laat"),
                    _("termijn verstreken %(deadline)s") % {"deadline": deadline},
                )
            )
        else:
            details.append(_("reageren voor %(deadline)s") % {"deadline": deadline})
    return format_html(
        '<a class="d-block text-decoration-none" href="{}">'
        '<span class="feed-summary">{}</span></a>{}'
        '<span class="small text-body-secondary">{}</span>',
        reverse("meldingen:detail", args=[melding.pk]),
        melding.vertaald.samenvatting,
        _nazorg_badge(melding, vandaag),
        format_html_join(" · ", "{}", ((part,) for part in details)),
    )


def _nazorg_badge(melding, vandaag) -> str:
    """Where an intimidation case's aftercare stands; nothing on pages without it."""
    if getattr(melding, "nazorg_afgerond", False):
        return format_html(
            '<span class="badge text-bg-secondary">{}</span> ', _("nazorg: afgerond")
        )
    if not getattr(melding, "nazorg_open", False):
        return ""
    contact_op = melding.nazorg_contact_op
    if not contact_op:
        return format_html('<span class="badge text-bg-warning">{}</span> ', _("nazorg open"))
    datum = date_format(contact_op, "j b Y")
    if contact_op < vandaag:
        text, style = _("nazorg: te laat sinds %(datum)s") % {"datum": datum}, "danger"
    else:
        text, style = _("nazorg: contact op %(datum)s") % {"datum": datum}, "info"
    return format_html('<span class="badge text-bg-{}">{}</span> ', style, text)
