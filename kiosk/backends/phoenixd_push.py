"""phoenixd's push channel: the one `/websocket` of the node, which sends every payment received.

phoenixd sends each event once, to whoever listens then (its webhooks are tried
once, without retry): what arrives while the socket is down is lost. So a frame
only wakes a confirming lookup, and each (re)connection wakes a lookup of every
invoice on screen, since one may have been paid in between; polling does the rest.
phoenixd pings every 10 s, so a socket silent for IDLE_S is taken for dead.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Set

import websocket

from kiosk.backends.ws import open_websocket, socket_closed
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import StopSignal

IDLE_S = 30.0  # three of phoenixd's ping periods
PAYMENT_RECEIVED = "payment_received"
HEX32 = re.compile(r"[0-9a-f]{64}")


class EventSocket:
    def __init__(
        self,
        url: str,
        headers: Mapping[str, str],
        where: str,
        timeout_s: float,
        sslopt: dict[str, object],
        closed: StopSignal,
    ) -> None:
        self._url = url
        self._headers = [f"{name}: {value}" for name, value in headers.items()]
        self._where = where
        self._timeout_s = timeout_s
        self._sslopt = sslopt
        self._closed = closed  # the backend's close(): ends a blocked read too

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        ws = self._connect()

        def cut() -> None:
            if ws.sock is not None:
                ws.sock.shutdown(2)  # SHUT_RDWR: the blocked recv() returns at once

        try:
            with stop.cutting(cut), self._closed.cutting(cut):
                yield from sorted(on_screen())  # paid while no socket listened?
                ws.settimeout(IDLE_S)
                while not stop.is_set() and not self._closed.is_set():
                    payment_hash = self._next_payment(ws, stop)
                    if payment_hash is not None:
                        yield payment_hash
        finally:
            with contextlib.suppress(websocket.WebSocketException, OSError):
                ws.close(timeout=0)

    def _next_payment(self, ws: websocket.WebSocket, stop: StopSignal) -> str | None:
        """The hash of the next frame if it announces a payment; None for any other frame."""
        try:
            text = ws.recv()  # answers phoenixd's pings by itself
        except websocket.WebSocketTimeoutException:
            raise BackendError(
                ErrorKind.TIMEOUT,
                _("{where} sent nothing on its WebSocket for {seconds} s, not even a ping").format(
                    where=self._where, seconds=f"{IDLE_S:g}"
                ),
            ) from None
        except (websocket.WebSocketException, OSError) as exc:
            if stop.is_set() or self._closed.is_set():
                return None
            raise socket_closed(self._where, type(exc).__name__) from None
        if not text and not ws.connected:
            if stop.is_set() or self._closed.is_set():
                return None
            raise socket_closed(self._where, _("closed by the node"))
        return payment_hash_of(text)

    def _connect(self) -> websocket.WebSocket:
        return open_websocket(self._url, self._where, self._timeout_s, self._sslopt, self._headers)


def payment_hash_of(text: object) -> str | None:
    """The paymentHash of a `payment_received` event; None for any other frame or garbage."""
    try:
        event = json.loads(text) if isinstance(text, str | bytes) and text else None
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        return None
    if not isinstance(event, dict) or event.get("type") != PAYMENT_RECEIVED:
        return None
    payment_hash = event.get("paymentHash")
    if isinstance(payment_hash, str) and HEX32.fullmatch(payment_hash):
        return payment_hash
    return None
