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
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's side of a subscription: what ``PushManager.subscribe`` makes."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64encode(point)

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
    header, claims, signature = values["t"].split(".")
    assert json.loads(b64decode(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = b64decode(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(public_key))
    key.verify(  # raises InvalidSignature
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims = json.loads(b64decode(claims))
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
                except (AssertionError, InvalidSignature, KeyError, ValueError) as exc:
                    service.refused.append(repr(exc))
                    self.send_response(403)
                    self.end_headers()
                    return
                service.received.append(Received(self.path, dict(self.headers), body, claims))
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
        self.server.shutdown()
        self.server.server_close()
