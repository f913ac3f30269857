"""iCalendar (.ics) files: one activity, and a buurt's public activities as a feed.

Every text goes out escaped as TEXT (RFC 5545 3.3.11: "," ";" "\\" and line breaks), the
calendar's name too: X-WR-CALNAME is not a property the icalendar library knows, so it is
given as TEXT explicitly (with VALUE=TEXT, so parsers read it back unescaped). Single-line
texts are put on one line first and control characters, which no content line may hold, are
left out. UIDs are globally unique: `activiteit-<id>@<the site's host>`.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, vText

from wijkaanpak.singleline import single_line

CONTENT_TYPE = "text/calendar; charset=utf-8"

# Control characters other than tab and line break (escaped as "\\n" by the library).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Wijkaanpak//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", vText(single_line(name)), parameters={"VALUE": "TEXT"})
    return calendar


def _host() -> str:
    return urlsplit(settings.WIJKAANPAK_SITE_URL).hostname or "localhost"


def _event(activiteit) -> Event:
    event = Event()
    event.add("uid", f"activiteit-{activiteit.pk}@{_host()}")
    event.add("summary", single_line(activiteit.titel))
    event.add("dtstart", activiteit.start)
    event.add("dtend", activiteit.einde)
    event.add("dtstamp", activiteit.created_at)
    event.add("location", single_line(activiteit.plek))
    text = activiteit.beschrijving.replace("\r\n", "\n").replace("\r", "\n")
    event.add("description", _CONTROLS.sub("", text))
    event.add("url", settings.WIJKAANPAK_SITE_URL.rstrip("/") + activiteit.get_absolute_url())
    return event


def ics(name: str, activiteiten) -> bytes:
    calendar = _calendar(name)
    for activiteit in activiteiten:
        calendar.add_component(_event(activiteit))
    return calendar.to_ical()
