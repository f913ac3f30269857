"""The officers' feed line is written by a tag that translates its words once per language
(``meldingen_tags.feed_rij``); it must read exactly as the plain way of writing it (Django's
``get_status_display``, ``date_format`` and ``reverse`` for every line) does, for every status,
in Dutch and English, at any moment (DST switches, New Year's Eve), late or in time."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from hypothesis import given, settings
from hypothesis import strategies as st

from buurten.models import Buurt, Wijk
from meldingen import triage
from meldingen.models import Categorie, Melding
from meldingen.templatetags.meldingen_tags import feed_rij, referentie
from meldingen.workflow import Status

NOW = datetime(2026, 12, 31, 22, 50, tzinfo=UTC)  # New Year's Eve, 23:50 in Amsterdam
# Unsaved, as a page holds them: a line reads nothing from the database.
BUURT = Buurt(
    pk=1, code="BU0363AA02", naam="Westelijke eilanden", wijk=Wijk(pk=1, naam="Haarlemmerbuurt")
)
CATEGORIES = [
    Categorie(pk=pk, naam=naam, ernst=2, reactietermijn_uren=48)
    for pk, naam in enumerate(("Verdachte situatie", "Drugshandel", "Overlast"), start=1)
]
moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


def _plain_line(melding: Melding) -> str:
    """The line written the plain way, each word looked up for each line."""
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
        "",
        format_html_join(" · ", "{}", ((part,) for part in details)),
    )


@pytest.mark.parametrize("language", ["nl", "en"])
@settings(deadline=None)  # the first example loads the translations
@given(
    status=st.sampled_from(Status.values),
    created=moments,
    hours=st.integers(-200, 200),
    pk=st.integers(1, 10**12),
)
def test_the_line_reads_as_the_plain_way_writes_it(language, status, created, hours, pk):
    melding = Melding(
        pk=pk,
        referentie="M-7K3Q-9PX2",
        buurt=BUURT,
        categorie=CATEGORIES[pk % len(CATEGORIES)],
        status=status,
        created_at=created,
        prioriteit=2,
    )
    triage.set_summaries(melding)
    melding.deadline_at = created + timedelta(hours=hours)
    with time_machine.travel(NOW, tick=False), translation.override(language):
        assert feed_rij(melding, date(2026, 12, 31)) == _plain_line(melding)


def test_a_late_line_says_so_in_words_in_both_languages():
    melding = Melding(pk=7, buurt=BUURT, categorie=CATEGORIES[0], status=Status.GEROUTEERD)
    melding.created_at = NOW - timedelta(days=3)
    melding.deadline_at = NOW - timedelta(hours=1)
    triage.set_summaries(melding)
    with time_machine.travel(NOW, tick=False):
        with translation.override("nl"):
            assert "termijn verstreken do 31 dec 22:50" in feed_rij(melding, NOW.date())
        with translation.override("en"):
            assert "deadline passed Thu 31 dec 22:50" in feed_rij(melding, NOW.date())
