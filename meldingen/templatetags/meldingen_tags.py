from functools import cache
from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.dateformat import format as date_format
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..workflow import Status

register = template.Library()
STATUS_LABELS = dict(Status.choices)
_PK = 918273645546372819  # stands for the melding's id in the cached address


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
    about a quarter of the page's time. Escaped with the standard library's ``html.escape``
    (what Django's ``escape`` does too, without its lazy-string wrapper around every call):
    a gemeente form's 134 options in 0.34 ms instead of 1.02 (bench machine, issue 15)."""
    chosen = str(field.value() if field.value() is not None else "")
    return mark_safe(  # noqa: S308 (every value and label escaped just above)
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{escape(str(label))}</option>"
            for value, label in field.field.choices
        )
    )


@register.simple_tag
def feed_rij(melding, vandaag) -> str:
    """One line of the officers' feed: the summary linked to the melding, the nazorg badge
    (only where the page annotated it, ``selectors.nazorg_annotations``), then reference,
    status, when it was reported and the deadline, read at this moment
    (``Melding.is_overdue_now``).

    Written here rather than in ``feed.html``, with its words translated once per language
    (``_labels``): the template language took 5.5 ms for a page of 25 lines, this tag with
    Django's per-line lookups 6.8 ms, now 1.8 ms (bench machine, issue 15), and an officer's
    page is built anew after every change to a melding."""
    labels = _labels(get_language())
    status = labels["status"].get(melding.status, melding.status)
    # Every value is escaped here once (``html.escape``, as Django's ``escape``, without its
    # lazy-string wrapper: a quarter of the lines' time); the badges come escaped.
    details = [referentie(melding.referentie)] if melding.referentie else []
    if status:
        details.append(escape(status))
    created = localtime(melding.created_at)
    details.append(escape(labels["gemeld"] % {"when": _when(created, labels)}))
    if melding.deadline_at and melding.awaits_response:
        deadline = localtime(melding.deadline_at)
        deadline = f"{labels['day'][deadline.weekday()]} {_when(deadline, labels, year=False)}"
        if melding.is_overdue_now:
            details.append(
                f'<span class="badge text-bg-danger">{escape(labels["te laat"])}</span> '
                '<span class="text-danger fw-semibold">'
                f"{escape(labels['verstreken'] % {'deadline': deadline})}</span>"
            )
        else:
            details.append(escape(labels["reageren"] % {"deadline": deadline}))
    before, after = _detail_url(get_script_prefix())
    return mark_safe(  # noqa: S308 (escaped above, or a tag's escaped output)
        f'<a class="d-block text-decoration-none" href="{before}{melding.pk}{after}">'
        f'<span class="feed-summary">{escape(melding.vertaald.samenvatting)}</span></a>'
        f"{_nazorg_badge(melding, vandaag)}"
        f'<span class="small text-body-secondary">{" · ".join(details)}</span>'
    )


@cache
def _labels(language: str | None) -> dict:
    """The feed line's words in ``language`` (the active one), translated once per process
    and language, not once per line: the status's label alone was eight look-ups a line."""
    return {
        "status": {value: str(label) for value, label in STATUS_LABELS.items()},
        "month": {number: str(name) for number, name in MONTHS_3.items()},
        "day": {number: str(name) for number, name in WEEKDAYS_ABBR.items()},
        "gemeld": _("gemeld %(when)s"),
        "te laat": _("te laat"),
        "verstreken": _("termijn verstreken %(deadline)s"),
        "reageren": _("reageren voor %(deadline)s"),
    }


def _when(moment, labels: dict, *, year: bool = True) -> str:
    """``moment`` as Django's ``date_format`` writes "j b Y H:i" (``year``) or "j b H:i"."""
    day = f"{moment.day} {labels['month'][moment.month]}"
    if year:
        day = f"{day} {moment.year:04d}"
    return f"{day} {moment.hour:02d}:{moment.minute:02d}"


@cache
def _detail_url(script_prefix: str) -> tuple[str, str]:
    """The melding page's address around its id, reversed and escaped once per script prefix."""
    before, _pk, after = reverse("meldingen:detail", args=[_PK]).partition(str(_PK))
    return escape(before), escape(after)


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
