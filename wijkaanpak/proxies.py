"""Who is asking: the client's address, also behind the TLS proxy that production needs.

Behind a proxy every request comes from the proxy's address (``REMOTE_ADDR``); the client's
address is in ``X-Forwarded-For``, which the client can also write. So that header is read only
when the request came from an address in ``WIJKAANPAK_TRUSTED_PROXIES`` (a list of addresses or
networks), and only as far as trusted proxies wrote it: walking from the right (the entry the
nearest proxy appended), the first address that is not a trusted proxy is the client. What a
client put in front of that is ignored. Without the setting (the default) the header is never
read: a site reached directly cannot be fooled by it.

Every per-address limit (sign-in and TOTP through allauth, meldingen, invite codes, Open311,
the API, open-data exports) keys on ``client_ip``; IPv6 clients are counted per /64 network,
which one household or phone usually holds as a whole (``rate_limit_key``).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in configured)
    except ValueError as exc:
        raise ImproperlyConfigured(f"WIJKAANPAK_TRUSTED_PROXIES: {exc}") from None


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> Address | None:
    """The client's address as an ``ipaddress`` object; None if the request has none."""
    networks = _networks(tuple(settings.WIJKAANPAK_TRUSTED_PROXIES))
    address = _address(request.META.get("REMOTE_ADDR", ""))
    if address is None or not networks or not _trusted(address, networks):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop = _address(entry)
        if hop is None:
            # Not written by a proxy of ours: the last hop we trust is as far as we can see.
            return address
        address = hop
        if not _trusted(address, networks):
            return address
    return address


def client_ip(request) -> str:
    """The client's address as text ("unknown" when there is none)."""
    address = client_address(request)
    return str(address) if address is not None else UNKNOWN


def rate_limit_key(request) -> str:
    """The address to count a client's requests under: IPv6 per /64 network."""
    address = client_address(request)
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)
