"""Reading Open311 parameters: every bad value becomes an ``Open311Error`` with the standard's
status (400 for missing or invalid, 404 for an unknown code or jurisdiction), never a 500."""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from meldingen.models import Melder
from meldingen.services import Beschrijving, Contact
from wijkaanpak.ids import as_id
from wijkaanpak.tijdstippen import aware_from_iso

from .definitions import BY_CODE

MAX_DESCRIPTION = 1000  # what a melding holds (the standard allows up to 4,000)
MAX_ADDRESS = 200
MAX_NAME = 50
MAX_IDS = 1000
MAX_SPAN = timedelta(days=90)
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{8,20}$")
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
STATUSES = ("open", "closed")


class Open311Error(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def _bad(description: str) -> Open311Error:
    return Open311Error(400, description)


def text(params, name: str, max_length: int) -> str:
    value = params.get(name, "").strip()
    if "\x00" in value:
        raise _bad(_("%(name)s bevat ongeldige tekens.") % {"name": name})
    if len(value) > max_length:
        raise _bad(
            _("%(name)s is te lang (hoogstens %(n)s tekens).") % {"name": name, "n": max_length}
        )
    return value


def number(params, name: str, low: float, high: float) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise _bad(_("%(name)s is geen geldige coördinaat.") % {"name": name})
    return value


def w3_datetime(raw: str, name: str) -> datetime:
    """ISO 8601 as the w3 note has it, with a time zone (Z or ±HH:MM, at most ±14:00), in UTC."""
    value = aware_from_iso(raw.strip().replace("Z", "+00:00"))
    if value is None or not 1990 <= value.year <= 2200:
        raise _bad(
            _("%(name)s moet een ISO 8601-tijdstip met tijdzone zijn, bijv. %(example)s.")
            % {"name": name, "example": "2026-11-28T21:40:00+01:00"}
        )
    return value


@dataclass(frozen=True)
class ServiceRequest:
    """A POSTed Open311 service request, checked: the melding an outside app files."""

    service_code: str
    description: str
    lat: float | None
    long: float | None
    address_string: str
    contact: Contact
    media_url: str
    wanneer: datetime | None
    al_112_gebeld: bool
    beschrijving: Beschrijving
    bescherming: str


def attributes(params) -> dict[str, str]:
    values = {}
    for key in params:
        match = ATTRIBUTE_RE.match(key)
        if key.startswith("attribute") and not match:
            raise _bad(_("Onbekende parameter %(key)s.") % {"key": key})
        if not match:
            continue
        code = match.group(1)
        attribuut = BY_CODE.get(code)
        if attribuut is None:
            raise _bad(_("Onbekend attribuut %(code)s.") % {"code": code})
        given = params.getlist(key)
        if match.group(2) or len(given) > 1:  # multivaluelist form: none of ours is one
            raise _bad(_("Attribuut %(code)s heeft één waarde.") % {"code": code})
        value = given[0].strip()
        if "\x00" in value:
            raise _bad(_("%(name)s bevat ongeldige tekens.") % {"name": code})
        if attribuut.values and value and value not in dict(attribuut.values):
            raise _bad(
                _("%(code)s: kies uit %(keys)s.")
                % {"code": code, "keys": ", ".join(k for k, _label in attribuut.values)}
            )
        if attribuut.max_length and len(value) > attribuut.max_length:
            raise _bad(
                _("%(code)s is te lang (hoogstens %(n)s tekens).")
                % {"code": code, "n": attribuut.max_length}
            )
        values[code] = value
    return values


def service_request(params) -> ServiceRequest:
    """The parameters of POST requests, checked; the service_code is checked by the caller."""
    service_code = text(params, "service_code", 20)
    if not service_code:
        raise _bad(_("service_code ontbreekt."))
    lat, long = number(params, "lat", -90, 90), number(params, "long", -180, 180)
    if (lat is None) != (long is None):
        raise _bad(_("Stuur lat en long allebei, of geen van beide."))
    address_string = text(params, "address_string", MAX_ADDRESS)
    if lat is None and not address_string:
        if params.get("address_id", "").strip():
            raise _bad(_("address_id wordt niet ondersteund: stuur lat en long."))
        raise _bad(_("Een locatie ontbreekt: stuur lat en long, of address_string."))
    description = text(params, "description", MAX_DESCRIPTION)
    if not description:
        raise _bad(_("description ontbreekt: beschrijf wat er gebeurde."))
    email = text(params, "email", 254)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise _bad(_("email is geen geldig e-mailadres.")) from None
    phone = text(params, "phone", 20)
    if phone and not PHONE_RE.match(phone):
        raise _bad(_("phone is geen geldig telefoonnummer."))
    naam = " ".join(
        part
        for part in (text(params, "first_name", MAX_NAME), text(params, "last_name", MAX_NAME))
        if part
    )
    media_url = text(params, "media_url", 500)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise _bad(_("media_url moet een http(s)-adres zijn.")) from None
    values = attributes(params)
    wanneer = w3_datetime(values["wanneer"], "wanneer") if values.get("wanneer") else None
    return ServiceRequest(
        service_code=service_code,
        description=description,
        lat=lat,
        long=long,
        address_string=address_string,
        contact=Contact(naam=naam, email=email, telefoon=phone),
        media_url=media_url,
        wanneer=wanneer,
        al_112_gebeld=values.get("al_112_gebeld") == "ja",
        beschrijving=Beschrijving(
            **{name: values.get(name, "") for name in Beschrijving.__dataclass_fields__}
        ),
        bescherming=values.get("bescherming") or Melder.Bescherming.COORDINATOR,
    )


@dataclass(frozen=True)
class Zoekvraag:
    ids: list[int] | None
    service_codes: list[str]
    start: datetime
    end: datetime
    statuses: list[str]


def _list(params, name: str) -> list[str]:
    return [v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip()]


def zoekvraag(params) -> Zoekvraag:
    """GET requests: ids override everything; else codes, a period (default the last 90
    days, at most 90 days) and statuses."""
    raw_ids = _list(params, "service_request_id")
    ids = None
    if raw_ids:
        if len(raw_ids) > MAX_IDS:
            raise _bad(_("Vraag hoogstens %(n)s service_request_id's tegelijk.") % {"n": MAX_IDS})
        ids = [as_id(v) for v in raw_ids]
        if None in ids:
            raise _bad(_("service_request_id moet een getal zijn."))
    statuses = _list(params, "status")
    if any(s not in STATUSES for s in statuses):
        raise _bad(_("status is open of closed."))
    start_raw, end_raw = params.get("start_date", "").strip(), params.get("end_date", "").strip()
    end = w3_datetime(end_raw, "end_date") if end_raw else None
    start = w3_datetime(start_raw, "start_date") if start_raw else None
    if start and end and end < start:
        raise _bad(_("end_date ligt vóór start_date."))
    if start and end and end - start > MAX_SPAN:
        raise _bad(_("Een zoekvraag beslaat hoogstens 90 dagen."))
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    return Zoekvraag(
        ids=ids,
        service_codes=_list(params, "service_code"),
        start=start,
        end=end,
        statuses=statuses,
    )
