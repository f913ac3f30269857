"""A local stand-in for PDOK Locatieserver v3_1: an HTTP server on a thread that serves the
recorded answers in ``tests/locatieserver/``, or misbehaves on request (slow, HTTP 500, not
JSON). Tests never call the internet."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ANSWERS = Path(__file__).parent / "locatieserver"
PREFIX = "/bzk/locatieserver/search/v3_1"
EMPTY = {"response": {"numFound": 0, "start": 0, "maxScore": 0.0, "docs": []}}


class Stub:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.behaviour: dict[str, tuple] = {}  # endpoint → ("slow", s) | ("status", n) | ...
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                stub._answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def endpoint_calls(self, endpoint: str) -> list[dict]:
        return [params for name, params in self.calls if name == endpoint]

    def _answer(self, handler):
        parts = urlsplit(handler.path)
        endpoint = parts.path.removeprefix(PREFIX + "/")
        params = parse_qs(parts.query)
        self.calls.append((endpoint, params))
        kind, *args = self.behaviour.get(endpoint, ("recorded",))
        if kind == "slow":
            time.sleep(args[0])
        if kind == "status":
            return self._send(handler, args[0], b'{"message": "error"}')
        if kind == "trickle":  # the headers at once, then the answer a byte at a time
            return self._trickle(handler, args[0])
        if kind == "garbage":
            return self._send(handler, 200, args[0] if args else b"<html>Onderhoud</html>")
        self._send(handler, 200, json.dumps(self._recorded(endpoint, params)).encode())

    @staticmethod
    def _recorded(endpoint: str, params: dict):
        name = endpoint
        if endpoint == "lookup":
            name = f"lookup_{params.get('id', [''])[0]}"
        if endpoint == "free" and params.get("fl") != ["buurtcode"]:
            name = "free_adres"  # the classic geocoder: one whole address line
        path = ANSWERS / f"{name}.json"
        if "/" in name or not path.exists():
            return EMPTY
        return json.loads(path.read_text())

    @staticmethod
    def _trickle(handler, pause: float):
        body = json.dumps(EMPTY).encode()
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json;charset=UTF-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            for byte in body:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def _send(handler, status: int, body: bytes):
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json;charset=UTF-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
