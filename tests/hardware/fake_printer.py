"""A network receipt printer on 127.0.0.1: raw ESC/POS over TCP, as on port 9100.

It answers the real-time status queries (DLE EOT 1 and 4) like an Epson-style
printer, keeps every connection's bytes, and counts a receipt as printed only
when the connection delivered it whole, up to the paper cut. It can be switched
off (connection refused), run out of paper, drop a connection mid-receipt, or
stall: stop reading and answering once `hold_at(bytes so far)` is true, keeping
only what it had read when `release()` comes (the power-cut harness's printer).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from escpos.constants import CD_KICK_2
from escpos.printer import Dummy

STATUS_ONLINE = b"\x10\x04\x01"
STATUS_PAPER = b"\x10\x04\x04"
ANSWER_OK = 0x12  # fixed bits only: online, paper present
ANSWER_PAPER_OUT = 0x72
ANSWER_OFFLINE = 0x12 | 0x08


def cut_bytes() -> bytes:
    dummy = Dummy()
    dummy.cut()
    return dummy.output


@dataclass
class Printed:
    data: bytes  # the receipt's bytes, status queries taken out
    at: float  # time.perf_counter() when its last byte arrived


class FakeNetworkPrinter:
    def __init__(self, answers_status: bool = True) -> None:
        self.answers_status = answers_status
        self.paper = ANSWER_OK
        self.online = ANSWER_OK
        self.drop_next_after: int | None = None  # bytes of receipt after which the next connection is cut
        self.hold_at: Callable[[bytes], bool] | None = None  # stall a connection once this is true
        self.held = 0  # connections stalled so far
        self._released = threading.Event()
        self.printed: list[Printed] = []
        self.partial: list[bytes] = []  # connections that ended before the paper cut
        self.dropped = 0
        self.drawer_kicks = 0
        self.connections = 0
        self._cut = cut_bytes()
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self.port = 0
        self.start()

    @property
    def receipts(self) -> list[bytes]:
        with self._lock:
            return [p.data for p in self.printed]

    def start(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(8)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True, name="printer-accept").start()

    def release(self) -> None:
        """End stalled connections: each keeps what it had read, as paper does."""
        self.hold_at = None
        self._released.set()

    def stop(self) -> None:
        """Switch the printer off: open connections are cut and new ones refused."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread; close() alone would not
            server.close()
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            _reset(client)

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._clients.append(client)
                drop, self.drop_next_after = self.drop_next_after, None
            threading.Thread(
                target=self._serve, args=(client, drop), daemon=True, name="printer-serve"
            ).start()

    def _serve(self, client: socket.socket, drop_after: int | None) -> None:
        payload = bytearray()
        finished_at = 0.0
        with client:
            while True:
                try:
                    # Small reads while a stall is armed, so it stops close to where it should.
                    chunk = client.recv(512 if self.hold_at else 65536)
                except OSError:
                    return
                if not chunk:
                    break
                payload += chunk
                query = next(
                    (q for q in (STATUS_ONLINE, STATUS_PAPER) if self.answers_status and payload.endswith(q)),
                    None,
                )
                if query is not None:
                    del payload[-len(query) :]
                if payload.endswith(self._cut):
                    finished_at = time.perf_counter()
                hold = self.hold_at
                if hold is not None and hold(bytes(payload)):
                    with self._lock:
                        self.held += 1
                    self._released.wait()
                    break
                if query is not None and not self._answer(client, query):
                    break
                if drop_after is not None and len(payload) >= drop_after:
                    with self._lock:
                        self.dropped += 1
                    _reset(client)
                    return
        with self._lock:
            self.drawer_kicks += payload.count(CD_KICK_2)
            if payload.endswith(self._cut):
                self.printed.append(Printed(bytes(payload), finished_at))
            elif payload:
                self.partial.append(bytes(payload))

    def _answer(self, client: socket.socket, query: bytes) -> bool:
        answer = self.online if query == STATUS_ONLINE else self.paper
        try:
            client.sendall(bytes([answer]))
        except OSError:  # the kiosk went away: the printer keeps what it has
            return False
        return True


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a printer losing power mid-job looks to the kiosk."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass
