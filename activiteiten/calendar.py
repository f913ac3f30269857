"""iCalendar (.ics) files: one activity, and a buurt's public activities as a feed."""

from django.conf import settings
from icalendar import Calendar, Event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Wijkaanpak//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(activiteit) -> Event:
    event = Event()
    event.add("uid", f"activiteit-{activiteit.pk}@wijkaanpak")
    event.add("summary", activiteit.titel)
    event.add("dtstart", activiteit.start)
    event.add("dtend", activiteit.einde)
    event.add("dtstamp", activiteit.created_at)
    event.add("location", activiteit.plek)
    event.add("description", activiteit.beschrijving)
    event.add("url", settings.WIJKAANPAK_SITE_URL.rstrip("/") + activiteit.get_absolute_url())
    return event


def ics(name: str, activiteiten) -> bytes:
    calendar = _calendar(name)
    for activiteit in activiteiten:
        calendar.add_component(_event(activiteit))
    return calendar.to_ical()
