"""A threaded HTTPS (or, with no TLS context, plain HTTP) server on 127.0.0.1 that a test can kill
and bring back on the same port."""

from __future__ import annotations

import contextlib
import json
import select
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _TlsServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, handler: type[BaseHTTPRequestHandler], double: HttpsDouble) -> None:
        self.double = double
        super().__init__(("127.0.0.1", port), handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        # The TLS handshake happens on the connection's own thread, at its first read.
        sock, addr = self.socket.accept()
        # Headers and body go out as separate writes: without this, Nagle holds the body back until
        # the client's delayed ACK (about 40 ms per answer), which no real node's server adds.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.double.tls is None:  # plain HTTP, like phoenixd on loopback
            return sock, addr
        return self.double.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up or fail TLS are part of the tests, not server bugs


class JsonHandler(BaseHTTPRequestHandler):
    """Base handler: HTTP/1.1, JSON replies with Content-Length, chunked streams, connection tracking."""

    protocol_version = "HTTP/1.1"
    server: _TlsServer

    def setup(self) -> None:
        super().setup()
        self.server.double.track(self.connection, add=True)

    def finish(self) -> None:
        self.server.double.track(self.connection, add=False)
        super().finish()

    def log_message(self, format: str, *args: object) -> None:
        pass

    @property
    def double(self) -> Any:
        return self.server.double

    def peer_gone(self) -> bool:
        """The client hung up (or sent more while waiting for a long call): stop serving it."""
        try:
            readable = select.select([self.connection], [], [], 0)[0]
        except (OSError, ValueError):
            return True
        return bool(readable)

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(self, status: int, body: object, request: object = None) -> None:
        if self.double.garbage:  # test hook: something that is not the node answers
            status, data, kind = 200, b"<html><body>Welcome to nginx!</body></html>", "text/html"
        else:
            data, kind = json.dumps(body).encode(), "application/json"
            self.double.record(self.command, self.path, request, status, body)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def start_chunked(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def end_chunked(self) -> None:
        self.send_chunk(b"")
        self.close_connection = True


class HttpsDouble:
    """Owns the listening server, the open connections, and a log of every exchange."""

    def __init__(self, handler: type[JsonHandler], tls: ssl.SSLContext | None) -> None:
        self._handler = handler
        self.tls = tls
        self.port = 0
        self.closing = threading.Event()  # set while killed: blocked handlers give up
        self.garbage = False  # test hook: answer with an HTML page instead of the node's JSON
        self.exchanges: list[tuple[str, str, object, int, object]] = []
        self._connections: set[socket.socket] = set()
        self._streams: set[socket.socket] = set()
        self._dropped: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._server: _TlsServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{'http' if self.tls is None else 'https'}://127.0.0.1:{self.port}"

    def start(self) -> HttpsDouble:
        self.closing.clear()
        self._server = _TlsServer(self.port, self._handler, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def kill(self) -> None:
        """The node goes down: no new connections, and every open one is cut."""
        self.closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            _cut(conn)
        self.wake()

    def restart(self) -> None:
        """The node comes back on the same port."""
        self.start()

    close = kill

    def drop_streams(self) -> None:
        """Cut the long-lived calls (streams, blocking waits) while the server stays up."""
        with self._lock:
            streams = list(self._streams)
            self._dropped.update(streams)
        for conn in streams:
            _cut(conn)
        self.wake()

    def wake(self) -> None:
        """Wake handlers waiting for an invoice change; subclasses own the condition."""

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)
                self._streams.discard(conn)
                self._dropped.discard(conn)

    def open_connections(self) -> int:
        """Client connections the server holds open now (kept alive or busy)."""
        with self._lock:
            return len(self._connections)

    def open_streams(self) -> int:
        """Long-lived calls (LND streams, CLN waitinvoice) being served now."""
        with self._lock:
            return len(self._streams - self._dropped)

    def mark_stream(self, conn: socket.socket) -> None:
        with self._lock:
            self._streams.add(conn)

    def is_cut(self, conn: socket.socket) -> bool:
        """The node died or dropped this connection: its handler must give up."""
        with self._lock:
            return self.closing.is_set() or conn in self._dropped

    def record(self, method: str, path: str, request: object, status: int, body: object) -> None:
        with self._lock:
            self.exchanges.append((method, path, request, status, body))


def _cut(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        conn.shutdown(socket.SHUT_RDWR)
