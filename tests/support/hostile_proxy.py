"""A loopback HTTP proxy between the kiosk and its node that forges, replays, swaps and floods answers.

The kiosk's adapter is pointed at `proxy.url` (plain HTTP on 127.0.0.1); the
proxy passes each request on to the real node (a real LNbits, or the LND/CLN
doubles over their pinned TLS) and hands the node's answer back, unless a rule
says otherwise. A rule matches a method and a path prefix, sees the request
and the node's real answer (`Exchange`), and returns what the kiosk gets
instead: a forged `Reply`, a `Flood` of bytes or a `Trickle`. WebSocket
upgrades are tunnelled to the node untouched. Every exchange is kept in
`proxy.log`, so a test can replay an earlier answer.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import requests

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


@dataclass(frozen=True)
class Exchange:
    """One request the kiosk made and the node's real answer to it."""

    method: str
    path: str
    request: bytes
    status: int
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """A whole answer the proxy sends instead of the node's."""

    status: int
    body: bytes
    content_type: str = "application/json"

    @classmethod
    def of(cls, status: int, value: object) -> Reply:
        return cls(status, json.dumps(value).encode())


@dataclass(frozen=True)
class Flood:
    """`total_bytes` of JSON-looking junk, with a Content-Length or chunked (no length to go by)."""

    total_bytes: int
    declare_length: bool = True


@dataclass(frozen=True)
class Trickle:
    """A 200 answer whose body never ends: `data` one byte every `every_s` (slowloris)."""

    every_s: float = 0.1
    data: bytes = b'{"payment_request": "' + b"x" * 10_000


Answer = Reply | Flood | Trickle
Forge = Callable[[Exchange], Answer]


@dataclass
class Rule:
    method: str
    path: str
    forge: Forge
    times: int | None  # None: every matching request
    forward: bool  # False: the node is not asked (its answer would never end, e.g. a push stream)
    used: int = 0


@dataclass
class HostileProxy:
    upstream: str | None  # None: no node behind it, every answer comes from a rule
    ca_file: Path | None = None
    log: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.verify = str(self.ca_file) if self.ca_file else True
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self.stopping = threading.Event()
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def on(
        self, method: str, path: str, forge: Forge, times: int | None = None, forward: bool = True
    ) -> Rule:
        """From now on, answer `method` requests whose path starts with `path` with `forge(exchange)`."""
        rule = Rule(method, path, forge, times, forward)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def exchanges(self, method: str, path: str) -> list[Exchange]:
        with self._lock:
            return [e for e in self.log if e.method == method and e.path.startswith(path)]

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._session.close()

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes, rule: Rule | None
    ) -> Exchange:
        if self.upstream is None or (rule is not None and not rule.forward):
            return Exchange(method, path, body, 502, b"")
        try:
            answer = self._session.request(
                method, self.upstream + path, headers=headers, data=body, timeout=30, allow_redirects=False
            )
            exchange = Exchange(method, path, body, answer.status_code, answer.content)
        except requests.RequestException as exc:
            exchange = Exchange(method, path, body, 502, json.dumps({"detail": str(exc)}).encode())
        with self._lock:
            self.log.append(exchange)
        return exchange

    def _rule_for(self, method: str, path: str) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.method == method and path.startswith(rule.path):
                    if rule.times is not None and rule.used >= rule.times:
                        continue
                    rule.used += 1
                    return rule
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, proxy: HostileProxy) -> None:
        self.proxy = proxy
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the kiosk hanging up on a flood or a trickle is the point


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms wait between
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _relay(self) -> None:
        proxy = self.server.proxy
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS | {"host"}}
        rule = proxy._rule_for(self.command, self.path)
        exchange = proxy._forward(self.command, self.path, headers, body, rule)
        answer = rule.forge(exchange) if rule else Reply(exchange.status, exchange.body)
        if isinstance(answer, Reply):
            self._send(answer)
        elif isinstance(answer, Flood):
            self._flood(answer)
        else:
            self._trickle(answer)

    do_POST = do_PUT = do_DELETE = _relay

    def do_GET(self) -> None:
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self._tunnel()
        else:
            self._relay()

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _flood(self, flood: Flood) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if flood.declare_length:
            self.send_header("Content-Length", str(flood.total_bytes))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        piece = b'{"x": "' + b"A" * (64 * 1024 - 7)
        sent = 0
        with contextlib.suppress(OSError):
            while sent < flood.total_bytes:
                data = piece[: flood.total_bytes - sent]
                framed = data if flood.declare_length else f"{len(data):x}\r\n".encode() + data + b"\r\n"
                self.wfile.write(framed)
                sent += len(data)
            if not flood.declare_length:
                self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True

    def _trickle(self, trickle: Trickle) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(trickle.data) + 2))
        self.end_headers()
        with contextlib.suppress(OSError):
            for byte in trickle.data:
                if self.server.proxy.stopping.wait(trickle.every_s):
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        self.close_connection = True

    def _tunnel(self) -> None:
        """Pass a WebSocket through byte for byte (LNbits' push channel)."""
        target = urlsplit(self.server.proxy.upstream or "")
        upstream = socket.create_connection((target.hostname, target.port or 80), timeout=5)
        upstream.settimeout(None)
        head = f"{self.requestline}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
        upstream.sendall(head.encode() + b"\r\n")
        pump = threading.Thread(target=_pump, args=(upstream, self.connection), daemon=True)
        pump.start()
        _pump(self.connection, upstream)
        pump.join(5)
        self.close_connection = True


def _pump(src: socket.socket, dst: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := src.recv(65536):
            dst.sendall(data)
    with contextlib.suppress(OSError):
        dst.shutdown(socket.SHUT_WR)


def swap_json(change: Callable[[dict], dict]) -> Forge:
    """The node's own JSON answer with some fields changed (same status)."""

    def forge(exchange: Exchange) -> Answer:
        body = exchange.json()
        assert isinstance(body, dict), body
        return Reply.of(exchange.status, change(body))

    return forge


def replay(earlier: Exchange) -> Forge:
    """An earlier answer of the node, sent again word for word."""
    return lambda _exchange: Reply(earlier.status, earlier.body)


def wait_for_exchange(proxy: HostileProxy, method: str, path: str, timeout_s: float = 10) -> Exchange:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := proxy.exchanges(method, path):
            return found[-1]
        time.sleep(0.01)
    raise AssertionError(f"no {method} {path} through the proxy within {timeout_s} s")
