"""Reads for Open311: the services, a client by its key, and requests as outside apps and the
public see them: the place coarsened to the buurt (its centre and name), no reporter data ever,
and the description and feedback text only for the client that filed the request. Readers
without a key get the same public view as another app of the gemeente."""

from datetime import datetime

from django.db.models import Case, F, OuterRef, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import apikeys
from meldingen.models import Categorie, Doel, Melding, RoutingRegel, StatusWijziging
from meldingen.selectors import categorieen_known_openly, meldingen_for_gemeente_apps
from meldingen.workflow import CLOSED
from wijkaanpak.ids import as_id

from .models import Client

MAX_REQUESTS = 1000


def services() -> QuerySet[Categorie]:
    """Categories that may be filed from outside: active ones, never intimidation (that needs
    a resident's account for the coordinator's follow-up)."""
    return categorieen_known_openly().filter(actief=True)


def service(code: str) -> Categorie | None:
    pk = as_id(code)
    return None if pk is None else services().filter(pk=pk).first()


def groups() -> dict[int, str]:
    """Per category, who handles it by default (the first rule without an area): the group."""
    rules = RoutingRegel.objects.filter(actief=True, wijk=None, buurt=None, vanaf=None, tot=None)
    found = {}
    for categorie_id, doel in rules.order_by("volgorde", "pk").values_list("categorie_id", "doel"):
        found.setdefault(categorie_id, str(Doel(doel).label))
    return found


def client_for_key(key: str) -> Client | None:
    from .services import KIND

    prefix = apikeys.prefix_of(key.strip(), KIND)
    if prefix is None:
        return None
    client = (
        Client.objects.select_related("gemeente")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if client is None or not apikeys.matches(key.strip(), client.key_hash):
        return None
    return client


def requests_for(gemeente_id: int) -> QuerySet[Melding]:
    history = StatusWijziging.objects.filter(melding=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        meldingen_for_gemeente_apps(gemeente_id)
        .select_related("categorie", "buurt__wijk__gemeente", "open311")
        .defer("buurt__geometrie")
        .annotate(
            updated_at=Subquery(history.values("created_at")[:1]),
            status_notes=Subquery(_notes(history).values("notes")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def _notes(history):
    """The latest messages to the reporter, as ``notes``: the filing app's user made the report,
    so they read the first reporter's message as well as the one to all reporters (only the
    filing client is shown them, ``as_request``)."""
    return history.exclude(terugkoppeling="", bericht_eerste_melder="").annotate(
        notes=Case(
            When(bericht_eerste_melder="", then=F("terugkoppeling")),
            When(terugkoppeling="", then=F("bericht_eerste_melder")),
            default=Concat(
                F("bericht_eerste_melder"),
                Value("\n\n"),
                F("terugkoppeling"),
                output_field=TextField(),
            ),
            output_field=TextField(),
        )
    )


def search(
    gemeente_id: int,
    *,
    ids: list[int] | None,
    codes: list[str],
    start: datetime,
    end: datetime,
    statuses: list[str],
) -> list[Melding]:
    """GET requests: ids override the rest; at most 1,000 records, newest first."""
    qs = requests_for(gemeente_id)
    if ids is not None:
        return list(qs.filter(pk__in=ids)[:MAX_REQUESTS])
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    if codes:
        qs = qs.filter(categorie_id__in=[int(code) for code in codes])
    if set(statuses) == {"closed"}:
        qs = qs.filter(status__in=CLOSED)
    elif set(statuses) == {"open"}:
        qs = qs.exclude(status__in=CLOSED)
    return list(qs[:MAX_REQUESTS])


def notice(doel: str) -> str:
    return {
        Doel.POLITIE: _("De politie beoordeelt de melding. Bij gevaar: bel 112."),
        Doel.HANDHAVING: _("Handhaving beoordeelt de melding."),
        Doel.GEMEENTE: _("De gemeente (openbare ruimte) pakt de melding op."),
        Doel.BUURT: _("Dit pakt de buurt samen op; de wijkcoördinator helpt daarbij."),
        Doel.COORDINATOR: _("De wijkcoördinator bekijkt de melding."),
    }.get(doel, _("Ontvangen; de melding gaat naar wie erover gaat."))


def w3(moment: datetime | None) -> str | None:
    """The w3 date-time the standard names: local time, whole seconds, the offset."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def as_request(melding: Melding, client: Client | None) -> dict:
    """One request in the standard's field order. Own requests show their description and the
    feedback; others, and readers without a key, only what anyone in the gemeente may know. A
    date-time that is not set (no deadline yet) is left out rather than sent empty."""
    own = client is not None and (
        getattr(getattr(melding, "open311", None), "client_id", None) == client.pk
    )
    buurt = melding.buurt
    fields = {
        "service_request_id": melding.pk,
        "status": "closed" if melding.status in CLOSED else "open",
        "status_notes": melding.status_notes if own else None,
        "service_name": melding.categorie.vertaald.naam,
        "service_code": str(melding.categorie_id),
        "description": melding.wat if own else None,
        "agency_responsible": str(Doel(melding.doel).label) if melding.doel else None,
        "service_notice": notice(melding.doel),
        "requested_datetime": w3(melding.created_at),
        "updated_datetime": w3(melding.updated_at or melding.created_at),
        "expected_datetime": w3(melding.deadline_at),
        "address": f"{buurt.naam}, {buurt.wijk.naam}, {buurt.wijk.gemeente.naam}",
        "lat": round(buurt.latitude, 6) if buurt.latitude is not None else None,
        "long": round(buurt.longitude, 6) if buurt.longitude is not None else None,
    }
    if fields["expected_datetime"] is None:
        del fields["expected_datetime"]
    return fields
