"""The Web Push protocol, and nothing of the domain: VAPID keys from settings (RFC 8292), the
payload encrypted for one browser (RFC 8291, aes128gcm of RFC 8188, by ``http_ece``), one POST
to its push service (RFC 8030) with the standard library and a short timeout.

Without a key pair in settings push is off (``enabled``): no control shows, nothing is queued.
"""

import base64
import http.client
import re
from email.utils import parseaddr
from urllib.parse import urlsplit

import http_ece
from django.conf import settings
from py_vapid import Vapid02

# A VAPID token may live 24 hours (RFC 8292 §2); a new one is signed for every push.
TOKEN_SECONDS = 12 * 3600
# What a push service answers for an endpoint that no longer exists (RFC 8030 §6.2, §7.3).
GONE = frozenset({404, 410})
# The Topic header's alphabet and length (RFC 8030 §5.4).
TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


class PushRefused(Exception):
    """The push service answered with a status other than success or gone."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def b64encode(data: bytes) -> str:
    """Base64url without padding, as browsers give and take keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def enabled() -> bool:
    return bool(settings.WIJKAANPAK_VAPID_PRIVATE_KEY and settings.WIJKAANPAK_VAPID_PUBLIC_KEY)


def public_key() -> str:
    """The public key, base64url: the ``applicationServerKey`` a browser subscribes with."""
    return settings.WIJKAANPAK_VAPID_PUBLIC_KEY.strip().rstrip("=")


def _new_key():
    """A fresh P-256 private key (py-vapid makes it; the keys are plain ``cryptography``
    objects, which http-ece takes as they are)."""
    vapid = Vapid02()
    vapid.generate_keys()
    return vapid.private_key


def generate_keys() -> tuple[str, str]:
    """A new VAPID key pair: the private key (32 bytes) and the public key (the uncompressed
    P-256 point, 65 bytes, which browsers take as ``applicationServerKey``), base64url."""
    private = _new_key()
    raw = private.private_numbers().private_value.to_bytes(32, "big")
    return b64encode(raw), _public_raw(private.public_key())


def _public_raw(public) -> str:
    """The uncompressed point: 0x04, then x and y of 32 bytes each."""
    numbers = public.public_numbers()
    return b64encode(b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big"))


def _vapid() -> Vapid02:
    raw = settings.WIJKAANPAK_VAPID_PRIVATE_KEY.strip().rstrip("=")
    if len(b64decode(raw)) != 32:
        raise ValueError("the VAPID private key is not 32 bytes")
    return Vapid02.from_raw(raw.encode())


def subject() -> str:
    """Whom a push service may contact about our pushes: the setting, else the site's https
    address, else the sender address of e-mail."""
    if settings.WIJKAANPAK_VAPID_SUBJECT:
        return settings.WIJKAANPAK_VAPID_SUBJECT
    if settings.WIJKAANPAK_SITE_URL.startswith("https://"):
        return settings.WIJKAANPAK_SITE_URL.rstrip("/")
    return "mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def key_problem() -> str | None:
    """What is wrong with the configured keys, or None (also when push is off)."""
    private, public = settings.WIJKAANPAK_VAPID_PRIVATE_KEY, settings.WIJKAANPAK_VAPID_PUBLIC_KEY
    if not private and not public:
        return None
    if not (private and public):
        return "only one of WIJKAANPAK_VAPID_PRIVATE_KEY and WIJKAANPAK_VAPID_PUBLIC_KEY is set"
    try:
        derived = _public_raw(_vapid().public_key)
    except (ValueError, TypeError):
        return "WIJKAANPAK_VAPID_PRIVATE_KEY is not a base64url P-256 private key"
    if derived != public.rstrip("="):
        return "WIJKAANPAK_VAPID_PUBLIC_KEY does not belong to WIJKAANPAK_VAPID_PRIVATE_KEY"
    if not re.match(r"^(mailto:[^@\s]+@[^@\s]+\.[^@\s]+|https://[^/\s]+)", subject()):
        return "WIJKAANPAK_VAPID_SUBJECT must be a mailto: address or an https:// address"
    return None


def service_allowed(endpoint: str) -> bool:
    """Whether ``endpoint`` is at one of the push services in ``WIJKAANPAK_PUSH_SERVICES``
    (scheme, host or ``*.`` host suffix, and port must match). Browsers hand us the endpoint:
    without this list anyone signed in could make the worker POST to any address."""
    parts = urlsplit(endpoint)
    try:
        port = parts.port
    except ValueError:
        return False
    if not parts.hostname or parts.username or parts.password:
        return False
    for service in settings.WIJKAANPAK_PUSH_SERVICES:
        allowed = urlsplit(service)
        host = allowed.hostname or ""
        host_ok = (
            parts.hostname.endswith(host[1:]) if host.startswith("*.") else parts.hostname == host
        )
        if parts.scheme == allowed.scheme and host_ok and port == allowed.port:
            return True
    return False


def valid_keys(p256dh: str, auth: str) -> bool:
    """The browser's keys: a P-256 public point (65 bytes, uncompressed) and a 16-byte auth
    secret."""
    try:
        if len(b64decode(p256dh)) != 65 or len(b64decode(auth)) != 16:
            return False
        Vapid02.from_raw_public(p256dh.encode())  # refuses a point not on the curve
    except (ValueError, TypeError):
        return False
    return True


def send(
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    payload: bytes,
    now: int,
    ttl: int,
    topic: str,
    urgency: str = "normal",
) -> int:
    """POST ``payload``, encrypted for this browser, to its push service; returns the status.

    ``now`` (Unix seconds) dates the VAPID token. ``topic`` lets the push service replace an
    undelivered message of the same topic instead of queueing a second one. Raises
    ``OSError`` (or ``http.client.HTTPException``) when the service cannot be reached.
    """
    if not TOPIC.fullmatch(topic):
        raise ValueError("a topic is 1-32 base64url characters")
    body = http_ece.encrypt(
        payload,
        private_key=_new_key(),  # one key per message (RFC 8291 §3.1)
        dh=b64decode(p256dh),
        auth_secret=b64decode(auth),
        version="aes128gcm",
    )
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": now + TOKEN_SECONDS,
        "sub": subject(),
    }
    headers = _vapid().sign(claims)
    headers.update(
        {
            "TTL": str(ttl),
            "Topic": topic,
            "Urgency": urgency,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "Content-Length": str(len(body)),
        }
    )
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(
        parts.hostname, parts.port, timeout=settings.WIJKAANPAK_PUSH_TIMEOUT
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)  # the service's explanation, if any: not ours to keep
        return response.status
    finally:
        connection.close()
