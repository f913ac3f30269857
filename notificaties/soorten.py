"""What each kind of notification says: its template and the context, fetched again from the
rows that caused it when the message is sent. A renderer returns None when what caused the
message is gone or no longer true (a melding anonymised, a sign-up cancelled): the notification
lapses instead of telling something stale.

The kinds are listed here (``Notificatie.Soort``); their renderers live with the app whose rows
they read (``buurten/notices.py``, ``meldingen/notices.py``, ``activiteiten/notices.py``,
``verzoeken/notices.py``), each registered with ``@register(soort)`` when its app is ready. So
notificaties imports no app and every app may write notifications.
``tests/notificaties/test_soorten.py`` checks that every kind has its renderer.

Beside its e-mail each kind has its line in the site's inbox (*Berichten*), registered in the
same module with ``@register_regels(soort)``: a function that takes the page's rows of that
kind at once (one or two queries for all of them, so a page costs the same however many rows
it shows) and returns a ``Regel`` per row whose cause is still there. A row it leaves out does
not show.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from wijkaanpak.singleline import single_line

from .models import Notificatie

Rendered = tuple[str, dict] | None
Renderer = Callable[[Notificatie], Rendered]

# Account mail is rendered by allauth in the request and stored on the row: no renderer.
STORED = frozenset({Notificatie.Soort.ACCOUNT})

_renderers: dict[str, Renderer] = {}


@dataclass(frozen=True)
class Regel:
    """A notice as the inbox shows it: a short title, one line, and the page it is about (a
    path on this site)."""

    titel: str
    tekst: str
    url: str


Summariser = Callable[[list[Notificatie]], dict[int, Regel]]

_summarisers: dict[str, Summariser] = {}


def register(soort: Notificatie.Soort) -> Callable[[Renderer], Renderer]:
    """Decorator: ``renderer`` says what a notification of kind ``soort`` says. One renderer
    per kind: a second registration is a mistake, reported when the apps load."""

    def decorator(renderer: Renderer) -> Renderer:
        if soort in STORED:
            raise ImproperlyConfigured(f"{soort!r} is stored as rendered in the request")
        if soort in _renderers:
            raise ImproperlyConfigured(
                f"{soort!r} already has a renderer: {_renderers[soort].__module__}."
                f"{_renderers[soort].__qualname__}"
            )
        _renderers[soort] = renderer
        return renderer

    return decorator


def registered() -> dict[str, Renderer]:
    """Every kind's renderer, as the apps registered them."""
    return dict(_renderers)


def render(row: Notificatie) -> Rendered:
    return _renderers[row.soort](row)


@dataclass(frozen=True)
class Item:
    """One notice as a digest lists it: its subject line and its link."""

    titel: str
    url: str


def items(ids) -> list[Item]:
    """The notices ``ids`` as one line each, oldest first, each rendered as it would have been
    sent on its own now; those whose cause is gone or no longer true are left out."""
    found = []
    rows = Notificatie.objects.filter(pk__in=ids).select_related("ontvanger").order_by("pk")
    for row in rows:
        rendered = render(row)
        if rendered is None:
            continue
        template, context = rendered
        titel = single_line(render_to_string(f"{template}_subject.txt", context))
        found.append(Item(titel=titel, url=context.get("url", "")))
    return found


def register_regels(soort: Notificatie.Soort) -> Callable[[Summariser], Summariser]:
    """Decorator: ``summariser`` gives the inbox lines of rows of kind ``soort``, keyed by the
    row's id, for the rows whose cause is still there. One per kind, as ``register``."""

    def decorator(summariser: Summariser) -> Summariser:
        if soort in STORED:
            raise ImproperlyConfigured(f"{soort!r} is account mail: it has no inbox line")
        if soort in _summarisers:
            raise ImproperlyConfigured(f"{soort!r} already has its inbox line")
        _summarisers[soort] = summariser
        return summariser

    return decorator


Keeper = Callable[[set[int]], set[int]]

_keepers: dict[str, Keeper] = {}


def register_bewaren(soort: Notificatie.Soort) -> Callable[[Keeper], Keeper]:
    """Decorator: ``keeper`` names, of the objects that rows of kind ``soort`` are about, those
    whose rows the purge must keep past the retention period: where a row is what keeps a
    notice from being sent twice for as long as its object is current (``notificaties_purge``).
    One per kind, as ``register``."""

    def decorator(keeper: Keeper) -> Keeper:
        if soort in _keepers:
            raise ImproperlyConfigured(f"{soort!r} already says which rows it keeps")
        _keepers[soort] = keeper
        return keeper

    return decorator


def keepers() -> dict[str, Keeper]:
    return dict(_keepers)


def summarisers() -> dict[str, Summariser]:
    """Every kind's inbox line, as the apps registered them."""
    return dict(_summarisers)


def in_site() -> frozenset[str]:
    """The kinds that show in the inbox: those with a registered line."""
    return frozenset(_summarisers)


def summarise(rows: Iterable[Notificatie]) -> dict[int, Regel]:
    """The inbox lines of ``rows``, by row id: each kind's summariser once, with all its rows."""
    by_soort = defaultdict(list)
    for row in rows:
        if row.soort in _summarisers:
            by_soort[row.soort].append(row)
    lines = {}
    for soort, group in by_soort.items():
        lines.update(_summarisers[soort](group))
    return lines


def site_url(path: str) -> str:
    """An absolute link for a message: the e-mail is read outside the site. Every link in an
    e-mail is built here, from ``WIJKAANPAK_SITE_URL`` alone."""
    return settings.WIJKAANPAK_SITE_URL.rstrip("/") + path


def site_link(url: str) -> str:
    """``url``, a link a request built (on whatever host its Host header named: an internal
    name behind the proxy, say), as ``site_url`` gives it: the same path, query and fragment."""
    parts = urlsplit(url)
    return site_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


def site_domain() -> str:
    """The site's address as a message names it ("wijk.example.nl")."""
    return urlsplit(settings.WIJKAANPAK_SITE_URL).netloc
