"""Addresses through PDOK Locatieserver v3_1 (the Dutch government's free geocoder, no key):
suggestions while typing, one object by its id, the nearest address to a point, the address a
whole address line names, and the CBS buurt codes of the addresses a street or postcode covers.

One code path, switched by a setting: ``WIJKAANPAK_LOCATIESERVER_URL`` (env
``PDOK_LOCATIESERVER_URL``, e.g. ``https://api.pdok.nl/bzk/locatieserver/search/v3_1``). Unset
(the default: dev, tests, the offline demo) every function answers empty, and so it does when the
service is down, slow (``WIJKAANPAK_LOCATIESERVER_TIMEOUT`` seconds) or answers something else
than its JSON: callers fall back to the buurt names the platform has. Good answers are cached
(``WIJKAANPAK_LOCATIESERVER_CACHE_SECONDS``) under a hash of the question, so the cache holds no
address typed by a person as a key. Failures are logged by kind only: what was typed is an
address and is never logged.
"""

import hashlib
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

POINT_RE = re.compile(r"^POINT\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)$")
BUURTCODE_RE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")
# What a resident may type into the search: street + number, postcode + number, woonplaats.
SUGGEST_TYPES = "type:(adres OR weg OR postcode OR woonplaats)"
ADRES_FIELDS = (
    "id type weergavenaam straatnaam huisnummer huisletter huisnummertoevoeging postcode "
    "woonplaatsnaam gemeentecode buurtcode buurtnaam wijkcode centroide_ll"
)
MAX_QUERY = 100
MAX_BODY = 1_000_000  # bytes; a larger answer is not the Locatieserver's


@dataclass(frozen=True)
class Suggestie:
    id: str
    label: str
    type: str


@dataclass(frozen=True)
class Adres:
    id: str
    type: str
    label: str
    straat: str
    huisnummer: str  # with letter and addition, "263-1", "12A"; "" for a street or postcode
    postcode: str
    woonplaats: str
    buurtcode: str  # CBS code, "BU0363AF01"; "" when the object is not an address
    lat: float | None
    lon: float | None


def enabled() -> bool:
    return bool(settings.WIJKAANPAK_LOCATIESERVER_URL)


def suggest(query: str, *, rows: int = 7) -> list[Suggestie]:
    query = _clean(query)
    if not query:
        return []
    answer = _get("suggest", {"q": query, "fq": SUGGEST_TYPES, "rows": rows})
    found = []
    for doc in _docs(answer):
        if isinstance(doc.get("id"), str) and isinstance(doc.get("weergavenaam"), str):
            found.append(Suggestie(doc["id"], doc["weergavenaam"], str(doc.get("type", ""))))
    return found


def lookup(object_id: str) -> Adres | None:
    object_id = _clean(object_id)
    if not object_id:
        return None
    docs = _docs(_get("lookup", {"id": object_id, "fl": ADRES_FIELDS}))
    return _adres(docs[0]) if docs else None


def reverse(lat: float, lon: float) -> Adres | None:
    """The nearest address to the point (WGS84)."""
    params = {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "type": "adres", "rows": 1}
    docs = _docs(_get("reverse", {**params, "fl": ADRES_FIELDS}))
    return _adres(docs[0]) if docs else None


def geocode(text: str) -> Adres | None:
    """The best matching address for a whole address line ("Prinsengracht 263, Amsterdam"),
    through the classic geocoder (``free``); None for no address."""
    text = _clean(text)
    if not text:
        return None
    docs = _docs(_get("free", {"q": text, "fq": "type:adres", "fl": ADRES_FIELDS, "rows": 1}))
    return _adres(docs[0]) if docs else None


def buurtcodes(query: str, *, rows: int = 100) -> list[str]:
    """The CBS buurt codes of the addresses a street name or postcode (``1013``, ``1013 LC``)
    finds, most frequent first. A long street or a whole four-digit postcode has more
    addresses than one answer holds: the buurten of the first ``rows`` of them."""
    query = _clean(query)
    if not query:
        return []
    postcode = re.fullmatch(r"(\d{4})\s*([A-Za-z]{0,2})", query)
    if postcode:
        fq = ["type:adres", f"postcode:{postcode.group(1)}{postcode.group(2).upper()}*"]
        params = {"q": "*:*", "fq": fq, "fl": "buurtcode", "rows": rows}
    else:
        params = {"q": query, "fq": "type:adres", "fl": "buurtcode", "rows": rows}
    counts: dict[str, int] = {}
    for doc in _docs(_get("free", params)):
        code = doc.get("buurtcode")
        if isinstance(code, str) and BUURTCODE_RE.match(code):
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda code: -counts[code])


def _clean(text: str) -> str:
    return " ".join(str(text).split())[:MAX_QUERY]


def _get(endpoint: str, params: dict) -> dict | None:
    base = settings.WIJKAANPAK_LOCATIESERVER_URL.rstrip("/")
    if not base:
        return None
    query = urllib.parse.urlencode(params, doseq=True)
    key = "pdok:" + hashlib.sha256(f"{endpoint}?{query}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    request = urllib.request.Request(  # noqa: S310 (the scheme is the configured URL's)
        f"{base}/{endpoint}?{query}", headers={"Accept": "application/json"}
    )
    try:
        timeout = settings.WIJKAANPAK_LOCATIESERVER_TIMEOUT
        deadline = time.monotonic() + timeout
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer = json.loads(_read(response, deadline))
    except urllib.error.HTTPError as exc:
        logger.warning("Locatieserver %s answered HTTP %s", endpoint, exc.code)
        return None
    except TimeoutError:
        logger.warning("Locatieserver %s gave no answer in time", endpoint)
        return None
    except (OSError, ValueError) as exc:  # refused, unreachable, not JSON, not UTF-8
        logger.warning("Locatieserver %s failed: %s", endpoint, type(exc).__name__)
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("response"), dict):
        logger.warning("Locatieserver %s answered without a response object", endpoint)
        return None
    cache.set(key, answer, settings.WIJKAANPAK_LOCATIESERVER_CACHE_SECONDS)
    return answer


def _read(response, deadline: float) -> bytes:
    """The body, given up on at the deadline: the socket's timeout bounds each read, not a
    server that trickles its answer a byte at a time."""
    body = bytearray()
    while chunk := response.read1(65536):
        body += chunk
        if time.monotonic() > deadline:
            raise TimeoutError
        if len(body) > MAX_BODY:
            raise ValueError("answer too large")
    return bytes(body)


def _docs(answer: dict | None) -> list[dict]:
    docs = (answer or {}).get("response", {}).get("docs")
    if not isinstance(docs, list):
        return []
    return [doc for doc in docs if isinstance(doc, dict)]


def _point(value) -> tuple[float | None, float | None]:
    match = POINT_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None, None
    lon, lat = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _text(doc: dict, name: str) -> str:
    value = doc.get(name)
    return str(value).strip() if isinstance(value, str | int) else ""


def _adres(doc: dict) -> Adres | None:
    if not _text(doc, "id") or not _text(doc, "weergavenaam"):
        return None
    lat, lon = _point(doc.get("centroide_ll"))
    nummer = _text(doc, "huisnummer") + _text(doc, "huisletter")
    if toevoeging := _text(doc, "huisnummertoevoeging"):
        nummer = f"{nummer}-{toevoeging}"
    code = _text(doc, "buurtcode").upper()
    return Adres(
        id=_text(doc, "id"),
        type=_text(doc, "type"),
        label=_text(doc, "weergavenaam"),
        straat=_text(doc, "straatnaam"),
        huisnummer=nummer,
        postcode=_text(doc, "postcode"),
        woonplaats=_text(doc, "woonplaatsnaam"),
        buurtcode=code if BUURTCODE_RE.match(code) else "",
        lat=lat,
        lon=lon,
    )
