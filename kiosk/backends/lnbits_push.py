"""LNbits' push channel: one WebSocket per invoice whose QR code is on screen, read by one thread.

LNbits pushes a wallet's payments only to `/api/v1/ws/{invoice key}`: the key
would sit in a URL, in LNbits' and any proxy's access logs. So the kiosk
listens on `/api/v1/ws/{payment_hash}` instead, only while the invoice is on
screen (usually one), and polls the rest. Anyone who knows the hash may send
frames there, so a frame only wakes a confirming lookup.
"""

from __future__ import annotations

import json
import select
import ssl
from collections.abc import Callable, Iterator, Set

import websocket

from kiosk.backends.ws import open_websocket, socket_closed
from kiosk.services.node_port import StopSignal

# How often the reader looks at which invoices are on screen; frames are read at once.
WS_POLL_S = 0.25


class PaymentSockets:
    def __init__(self, ws_base: str, where: str, timeout_s: float, sslopt: dict[str, object]) -> None:
        self._ws_base = ws_base
        self._where = where
        self._timeout_s = timeout_s
        self._sslopt = sslopt

    def push(
        self, on_screen: Callable[[], Set[str]], stop: StopSignal, opened: Callable[[], None]
    ) -> Iterator[str]:
        """Yield a hash when its socket opens (a payment may have come first) and on each frame."""
        sockets: dict[str, websocket.WebSocket] = {}
        try:
            while not stop.is_set():
                wanted = on_screen()
                for payment_hash in [h for h in sockets if h not in wanted]:
                    sockets.pop(payment_hash).close(timeout=0)
                for payment_hash in sorted(wanted - sockets.keys()):
                    opened()
                    sockets[payment_hash] = self.connect(payment_hash)
                    yield payment_hash
                if not sockets:
                    stop.wait(WS_POLL_S)
                    continue
                yield from self._read(sockets, stop)
        finally:
            for ws in sockets.values():
                ws.close(timeout=0)

    def _read(self, sockets: dict[str, websocket.WebSocket], stop: StopSignal) -> Iterator[str]:
        by_socket = {ws.sock: h for h, ws in sockets.items()}
        buffered = [s for s in by_socket if isinstance(s, ssl.SSLSocket) and s.pending()]
        ready = buffered or select.select(list(by_socket), [], [], WS_POLL_S)[0]
        for sock in ready:
            payment_hash = by_socket[sock]
            try:
                text = sockets[payment_hash].recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketException, OSError) as exc:
                if stop.is_set():
                    return
                raise socket_closed(self._where, type(exc).__name__) from None
            if is_payment_frame(text):
                yield payment_hash

    def connect(self, payment_hash: str) -> websocket.WebSocket:
        return open_websocket(self._ws_base + payment_hash, self._where, self._timeout_s, self._sslopt)


def is_payment_frame(text: object) -> bool:
    """A frame announcing a payment ("success", or "failed" at expiry); anything else is ignored."""
    try:
        frame = json.loads(text) if isinstance(text, str | bytes) else None
    except (ValueError, RecursionError):  # RecursionError: a frame nested too deeply (anyone may post here)
        return False
    if not isinstance(frame, dict):
        return False
    return frame.get("status") in ("success", "failed") or frame.get("paid") is True
