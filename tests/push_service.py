"""A push service on 127.0.0.1 for the tests, never the internet: it takes the POST a real one
(FCM, Mozilla's autopush) would take, checks the VAPID Authorization header (the JWT's ES256
signature against the public key in settings, its audience and expiry) and keeps the body;
``Device`` plays the browser: its own ECDH key pair and auth secret, with which the test
decrypts what arrived (RFC 8291)."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from py_vapid import Vapid02, jwt


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key():
    """A P-256 private key, as a browser makes one for its subscription."""
    vapid = Vapid02()
    vapid.generate_keys()
    return vapid.private_key


@dataclass
class Device:
    """A browser's side of a subscription: what ``PushManager.subscribe`` makes."""

    private_key: object = field(default_factory=lambda: new_key())
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @classmethod
    def from_private(cls, d: str, auth: str) -> "Device":
        """The keys a page made with WebCrypto: its private scalar (JWK ``d``) and auth."""
        return cls(
            private_key=Vapid02.from_raw(d.encode()).private_key, auth_secret=b64decode(auth)
        )

    @property
    def p256dh(self) -> str:
        numbers = self.private_key.public_key().public_numbers()
        return b64encode(b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big"))

    @property
    def auth(self) -> str:
        return b64encode(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    claims: dict


def verify_vapid(authorization: str, public_key: str, audience: str) -> dict:
    """The JWT of ``vapid t=…,k=…`` checked as a push service does; returns its claims."""
    scheme, _space, params = authorization.partition(" ")
    assert scheme == "vapid", authorization
    values = dict(part.split("=", 1) for part in params.split(","))
    assert values["k"] == public_key.rstrip("="), "the token names another key"
    header = values["t"].split(".")[0]
    assert json.loads(b64decode(header)) == {"typ": "JWT", "alg": "ES256"}
    # The ES256 signature over header and claims, checked with the public key alone.
    claims = jwt.decode(values["t"], public_key)  # raises InvalidSignature
    assert claims["aud"] == audience
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert claims["sub"].startswith(("mailto:", "https://"))
    return claims


class LocalPushService:
    """Answers each POST with the next status of ``answers`` (then 201 Created), 410 for a
    path in ``gone``; a request
    with a bad VAPID token gets 403, as a real service answers, and is not kept."""

    def __init__(self, public_key: str):
        self.public_key = public_key
        self.answers: list[int] = []
        self.gone: set[str] = set()  # endpoints (paths) the browser dropped: 410 Gone
        # A path whose first POST is taken and never answered (until ``release``), as when the
        # sender dies between the service's acceptance and its answer arriving.
        self.hang: str | None = None
        self.hanging = threading.Event()
        self.release = threading.Event()
        self.received: list[Received] = []
        self.refused: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    claims = verify_vapid(
                        self.headers["Authorization"], service.public_key, service.url
                    )
                except Exception as exc:  # any fault in the token: refused, as a service does
                    service.refused.append(repr(exc))
                    self.send_response(403)
                    self.end_headers()
                    return
                service.received.append(Received(self.path, dict(self.headers), body, claims))
                if self.path == service.hang and not service.hanging.is_set():
                    service.hanging.set()
                    service.release.wait(timeout=120)
                    return
                if self.path in service.gone:
                    status = 410
                else:
                    status = service.answers.pop(0) if service.answers else 201
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_OPTIONS(self):  # a page's fetch from another origin asks first
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def endpoint(self, name: str) -> str:
        return f"{self.url}/push/{name}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
