"""Open311 GeoReport v2 at ``/open311/v2/``: services, service definitions, filing a request,
tokens and requests, in XML and JSON. Errors in the standard's body; bad input is a 400, an
unknown code or id a 404, a missing or revoked key a 403, too many requests a 429."""

import functools
import re
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts import ratelimit
from buurten import adressen
from buurten.models import GEMEENTE_CODE_RE, Gemeente
from wijkaanpak.ids import as_id
from wijkaanpak.proxies import rate_limit_key

from . import locatie, params, render, selectors, services
from .definitions import ATTRIBUTEN
from .models import Client, Herkomst
from .params import Open311Error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
TOUCH_EVERY = timedelta(minutes=1)
BAD_KEYS_PER_IP = "30/m"
# Set when the service list, definitions or this API last changed in a way clients notice.
CHANGESET = "2026-11-28T12:00:00+01:00"


def open311_view(*methods: str):
    """The standard's envelope: allowed methods, errors as <errors>, no caching, no CSRF (the
    API key is the credential; no cookie is ever read)."""

    def decorate(view):
        @csrf_exempt
        @never_cache
        @functools.wraps(view)
        def wrapper(request, fmt: str = "xml", **kwargs):
            if request.method not in methods:
                response = render.errors(fmt, 405, _("Deze methode kan hier niet."))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                response = render.errors(fmt, error.status, error.description)
                if error.retry_after:
                    response["Retry-After"] = str(error.retry_after)
                return response

        return wrapper

    return decorate


def _limit(key: str, rate: str) -> None:
    if ratelimit.exceeded(key, rate):
        _too_many(rate)


def _too_many(rate: str):
    period = ratelimit.parse(rate)[1]
    wait = int(period - time.time() % period) + 1  # until this fixed window ends
    raise Open311Error(
        429,
        _("Te veel verzoeken; probeer het over %(s)s seconden opnieuw.") % {"s": wait},
        retry_after=wait,
    )


def _client(request, *, write: bool = False) -> Client:
    """The client of the api_key (POST body or query string), rate-limited per key."""
    source = request.POST if request.method == "POST" else request.GET
    key = source.get("api_key", "")
    wrong_keys = f"open311:badkey:{rate_limit_key(request)}"
    if key and ratelimit.is_over(wrong_keys, BAD_KEYS_PER_IP):
        _too_many(BAD_KEYS_PER_IP)  # stopped before this guess costs a lookup too
    client = selectors.client_for_key(key) if key else None
    if client is None:
        # Guessing keys is pointless (256 random bits), but each guess costs a lookup: limited.
        _limit(wrong_keys, BAD_KEYS_PER_IP)
        raise Open311Error(
            403,
            _("api_key ontbreekt, is onbekend of ingetrokken.")
            if key
            else _("api_key ontbreekt: vraag de beheerder om een sleutel."),
        )
    if write:
        _limit(f"open311:write:{client.pk}", settings.WIJKAANPAK_OPEN311_WRITE_RATE)
    _limit(f"open311:read:{client.pk}", settings.WIJKAANPAK_OPEN311_READ_RATE)
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > TOUCH_EVERY:
        Client.objects.filter(pk=client.pk).update(last_used_at=now)
    jurisdiction = source.get("jurisdiction_id", "").strip()
    if jurisdiction and jurisdiction.upper() != client.gemeente.code.upper():
        raise Open311Error(
            404,
            _("jurisdiction_id %(id)s is niet de gemeente van deze sleutel.")
            % {"id": jurisdiction[:20]},
        )
    return client


def _public(request) -> Gemeente | None:
    """Key-less reads (services, definitions, discovery, and the public view of requests):
    limited per IP address; the gemeente the jurisdiction_id names, if one is sent."""
    _limit(f"open311:ip:{rate_limit_key(request)}", settings.WIJKAANPAK_OPEN311_PUBLIC_RATE)
    jurisdiction = request.GET.get("jurisdiction_id", "").strip()
    if not jurisdiction:
        return None
    gemeente = None
    if re.fullmatch(GEMEENTE_CODE_RE, jurisdiction.upper()):
        gemeente = Gemeente.objects.filter(code__iexact=jurisdiction).first()
    if gemeente is None:
        raise Open311Error(
            404, _("jurisdiction_id %(id)s is onbekend.") % {"id": jurisdiction[:20]}
        )
    return gemeente


@dataclass(frozen=True)
class Reader:
    gemeente_id: int
    client: Client | None  # None: the public view, without a key


def _reader(request) -> Reader:
    """Who reads requests and tokens. With an api_key: that client (a wrong key is a 403, so a
    client learns its key stopped working). Without one: the public view the standard
    describes, of the jurisdiction_id's gemeente, or of the only one when there is one."""
    if request.GET.get("api_key", "").strip():
        client = _client(request)
        return Reader(client.gemeente_id, client)
    gemeente = _public(request)
    if gemeente is None:
        only = list(Gemeente.objects.order_by("pk").values_list("pk", flat=True)[:2])
        if len(only) != 1:
            raise Open311Error(
                400,
                _("jurisdiction_id ontbreekt: noem de CBS-code van de gemeente, bijv. GM0363."),
            )
        return Reader(only[0], None)
    return Reader(gemeente.pk, None)


@open311_view("GET")
def discovery(request, fmt):
    _public(request)
    endpoint = request.build_absolute_uri(reverse("open311:root"))
    return render.respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _("Vragen over deze koppeling: de beheerder van het platform."),
            "key_service": _("Een sleutel per app vraag je aan bij de beheerder van het platform."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": endpoint.rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@open311_view("GET")
def service_list(request, fmt):
    _public(request)
    groups = selectors.groups()
    body = [
        {
            "service_code": str(categorie.pk),
            "service_name": categorie.vertaald.naam,
            "description": categorie.vertaald.toelichting,
            "metadata": True,
            "type": "realtime",
            "keywords": categorie.trefwoorden,
            "group": groups.get(categorie.pk, ""),
        }
        for categorie in selectors.services()
    ]
    return render.respond(fmt, "services", body)


@open311_view("GET")
def service_definition(request, fmt, code):
    _public(request)
    categorie = selectors.service(code)
    if categorie is None:
        raise Open311Error(404, _("service_code %(code)s bestaat niet.") % {"code": code[:20]})
    attributes = [
        {
            "variable": True,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": str(a.datatype_description) or None,
            "order": a.order,
            "description": str(a.description),
            "values": [{"key": key, "name": str(name)} for key, name in a.values],
        }
        for a in ATTRIBUTEN
    ]
    return render.respond(
        fmt, "service_definition", {"service_code": str(categorie.pk), "attributes": attributes}
    )


@open311_view("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    reader = _reader(request)
    vraag = params.zoekvraag(request.GET)
    for code in vraag.service_codes:
        if selectors.service(code) is None:
            raise Open311Error(400, _("service_code %(code)s bestaat niet.") % {"code": code[:20]})
    found = selectors.search(
        reader.gemeente_id,
        ids=vraag.ids,
        codes=vraag.service_codes,
        start=vraag.start,
        end=vraag.end,
        statuses=vraag.statuses,
    )
    body = [selectors.as_request(melding, reader.client) for melding in found]
    return render.respond(fmt, "service_requests", body)


def _create(request, fmt):
    client = _client(request, write=True)
    gegevens = params.service_request(request.POST)
    categorie = selectors.service(gegevens.service_code)
    if categorie is None:
        raise Open311Error(
            404, _("service_code %(code)s bestaat niet.") % {"code": gegevens.service_code}
        )
    if gegevens.lat is not None:
        plaats = locatie.buurt_at(client.gemeente, gegevens.lat, gegevens.long)
        if plaats is None:
            raise Open311Error(
                400,
                _("Deze plek ligt niet in een buurt van %(gemeente)s.")
                % {"gemeente": client.gemeente.naam},
            )
    else:
        plaats = locatie.buurt_of_address(client.gemeente, gegevens.address_string)
        if plaats is None:
            raise Open311Error(
                400,
                _(
                    "Het adres in address_string ligt niet in een buurt van %(gemeente)s, of "
                    "is niet gevonden: stuur lat en long."
                )
                % {"gemeente": client.gemeente.naam}
                if adressen.enabled()
                else _(
                    "Uit address_string alleen is de buurt niet te bepalen: noem de buurt "
                    "(bijv. 'Prinsengracht 263, Leliegracht e.o., Amsterdam') of stuur lat en "
                    "long."
                ),
            )
    try:
        herkomst = services.melding_create_open311(
            client=client, categorie=categorie, plaats=plaats, gegevens=gegevens
        )
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from None
    except PermissionDenied:
        raise Open311Error(400, _("Deze melding kan niet via een andere app.")) from None
    body = [
        {
            "service_request_id": herkomst.melding_id,
            "service_notice": _(
                "Ontvangen. De melding gaat naar wie erover gaat; de status volg je via deze "
                "app. Bij gevaar of een misdrijf dat nu gebeurt: bel 112."
            ),
            "account_id": None,
        }
    ]
    return render.respond(fmt, "service_requests", body)


@open311_view("GET")
def request_detail(request, fmt, pk):
    reader = _reader(request)
    found = None
    if (melding_id := as_id(pk)) is not None:
        found = selectors.requests_for(reader.gemeente_id).filter(pk=melding_id).first()
    if found is None:
        raise Open311Error(
            404,
            _("service_request_id %(id)s bestaat niet of hoort niet bij deze gemeente.")
            % {"id": pk[:20]},
        )
    return render.respond(fmt, "service_requests", [selectors.as_request(found, reader.client)])


@open311_view("GET")
def token_detail(request, fmt, token):
    """The request id of a token: for the client that filed it, or without a key for anyone
    who holds the token (a random UUID) within the gemeente."""
    reader = _reader(request)
    try:
        value = uuid.UUID(token)
    except ValueError:
        value = None
    scope = (
        {"client": reader.client} if reader.client else {"client__gemeente_id": reader.gemeente_id}
    )
    herkomst = Herkomst.objects.filter(token=value, **scope).first() if value else None
    if herkomst is None:
        raise Open311Error(404, _("token %(token)s is onbekend.") % {"token": token[:40]})
    body = [{"service_request_id": herkomst.melding_id, "token": str(herkomst.token)}]
    return render.respond(fmt, "service_requests", body)


@open311_view("GET", "POST")
def not_found(request, fmt="xml"):
    raise Open311Error(404, _("Dit adres bestaat niet in deze Open311-koppeling."))
