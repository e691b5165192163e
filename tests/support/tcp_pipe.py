"""A loopback TCP pipe in front of a server: counts the client's connections, cuts them, injects bytes.

The Nostr Wallet Connect tests put it between the kiosk and the relay: the
relay stays up while the pipe cuts the kiosk's connection (a dropped push
channel), and `inject()` sends the kiosk WebSocket text frames the relay
never sent (a hostile relay). Server-to-client WebSocket frames are not
masked, so a frame is written as the relay would write it.
"""

from __future__ import annotations

import contextlib
import socket
import threading


def text_frame(text: str) -> bytes:
    """One unmasked, final WebSocket text frame."""
    data = text.encode()
    if len(data) < 126:
        return bytes([0x81, len(data)]) + data
    if len(data) < 1 << 16:
        return bytes([0x81, 126]) + len(data).to_bytes(2, "big") + data
    return bytes([0x81, 127]) + len(data).to_bytes(8, "big") + data


class TcpPipe:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._send_lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def cut(self) -> None:
        """Hang up on every client (the server side is closed too)."""
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            self._close(pair)

    def inject(self, frame: bytes) -> None:
        """Send `frame` to every client; call it while the server is quiet, so it lands between frames."""
        with self._lock:
            clients = [client for client, _server in self._pairs]
        with self._send_lock:
            for client in clients:
                with contextlib.suppress(OSError):
                    client.sendall(frame)

    def close(self) -> None:
        self._listener.close()
        self.cut()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            except OSError:
                client.close()  # nothing behind the pipe: as a refused connection, seen a step later
                continue
            server.settimeout(None)
            for sock in (client, server):  # as the relay and the kiosk set it: no Nagle delay added
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pair = (client, server)
            with self._lock:
                self._pairs.append(pair)
            threading.Thread(target=self._copy, args=(client, server, pair, False), daemon=True).start()
            threading.Thread(target=self._copy, args=(server, client, pair, True), daemon=True).start()

    def _copy(self, source: socket.socket, sink: socket.socket, pair: tuple, to_client: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._close(pair)
                return
            try:
                if to_client:
                    with self._send_lock:
                        sink.sendall(data)
                else:
                    sink.sendall(data)
            except OSError:
                self._close(pair)
                return

    def _close(self, pair: tuple[socket.socket, socket.socket]) -> None:
        with self._lock:
            if pair not in self._pairs:
                return
            self._pairs.remove(pair)
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
