"""The one WebSocket to a Nostr relay that a Nostr Wallet Connect backend shares for everything.

`RelayLink` opens the connection on demand (the first request, or the push
stream), subscribes, and reads it on one thread, handing each signed event
from the wallet service to the listener; a broken connection is reported to
the listener (pending requests fail, the push stream ends and is reopened by
the settlement watcher). Reconnecting is backed off so a relay that is down
is not hammered by every lookup. Relay messages are parsed and events checked
(id, signature) by nostr-sdk; nothing here decrypts.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

import websocket
from nostr_sdk import ClientMessage, Event, Filter, NostrSdkError, PublicKey, RelayMessage, RelayMessageEnum

from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _

log = logging.getLogger(__name__)

PING_S = 20.0  # a relay quiet this long is pinged; quiet for two of these, the link is dropped
MAX_FRAME_BYTES = 256 * 1024  # NIP-47 asks relays for 64 KiB events; nothing the kiosk asks is near
FIRST_RETRY_S = 0.5
MAX_RETRY_S = 10.0


class RelayListener(Protocol):
    def relay_event(self, event: Event) -> None:
        """A verified event signed by the wallet service."""

    def relay_refused(self, event_id: str, message: str) -> None:
        """The relay did not take an event the kiosk sent (its OK said false)."""

    def relay_down(self, error: BackendError) -> None:
        """The connection broke (or was closed): whatever waited on it must stop waiting."""


class RelayLink:
    def __init__(
        self,
        url: str,
        author: PublicKey,
        filters: Callable[[], Sequence[Filter]],
        listener: RelayListener,
        timeout_s: float,
        opened: Callable[[], None] = lambda: None,
    ) -> None:
        self.url = url
        self._author = author.to_hex()
        self._filters = filters
        self._listener = listener
        self._timeout_s = timeout_s
        self._opened = opened
        self._lock = threading.Lock()  # one connect at a time; guards the fields below
        self._send_lock = threading.Lock()
        self._ws: websocket.WebSocket | None = None
        self._stored: threading.Event = threading.Event()
        self._closed = False
        self._retry_at = 0.0
        self._retry_s = FIRST_RETRY_S
        self._last_error: BackendError | None = None
        self.where = _("the Nostr relay {url}").format(url=url)

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._ws is not None

    def open(self) -> None:
        """Connect and subscribe unless connected; return once the relay has sent its stored events.

        Raises BackendError; while backing off after a failure, the same error at once.
        """
        with self._lock:
            if self._closed:
                raise BackendError(
                    ErrorKind.UNREACHABLE, _("The connection to {where} is closed").format(where=self.where)
                )
            if self._ws is None:
                last = self._last_error
                if time.monotonic() < self._retry_at and last is not None:
                    raise BackendError(last.kind, last.message, last.hint)  # backing off: not tried
                try:
                    self._connect()
                except BackendError as exc:
                    self._last_error = exc
                    self._retry_at = time.monotonic() + self._retry_s
                    self._retry_s = min(self._retry_s * 2, MAX_RETRY_S)
                    raise
                self._retry_s = FIRST_RETRY_S
            stored = self._stored
        if not stored.wait(self._timeout_s):
            error = BackendError(
                ErrorKind.TIMEOUT,
                _("{where} did not answer the subscription in time").format(where=self.where),
            )
            self._drop(error)
            raise error
        with self._lock:
            if self._ws is None:  # dropped while waiting
                raise self._last_error or self._lost()

    def send(self, event: Event) -> None:
        with self._lock:
            ws = self._ws
        if ws is None:
            raise self._lost()
        try:
            with self._send_lock:
                ws.send(ClientMessage.event(event).as_json())
        except (websocket.WebSocketException, OSError):
            self._drop(self._lost())
            raise self._lost() from None

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._drop(
            BackendError(
                ErrorKind.UNREACHABLE, _("The connection to {where} is closed").format(where=self.where)
            )
        )

    # The connection ------------------------------------------------------------------

    def _connect(self) -> None:
        """Open the socket and send the subscriptions (caller holds the lock)."""
        self._opened()
        try:
            ws = websocket.create_connection(self.url, timeout=self._timeout_s, enable_multithread=True)
        except ssl.SSLError:
            text = _("The TLS certificate of {where} could not be verified")
            raise BackendError(ErrorKind.TLS, text.format(where=self.where)) from None
        except websocket.WebSocketTimeoutException:
            raise BackendError(
                ErrorKind.TIMEOUT, _("{where} did not accept a connection in time").format(where=self.where)
            ) from None
        except websocket.WebSocketBadStatusException as exc:
            text = _("{where} refused the WebSocket (HTTP {status})")
            raise BackendError(
                ErrorKind.UNREACHABLE, text.format(where=self.where, status=exc.status_code)
            ) from None
        except (websocket.WebSocketException, OSError):
            raise BackendError(
                ErrorKind.UNREACHABLE, _("Cannot connect to {where}").format(where=self.where)
            ) from None
        stored = threading.Event()
        waiting: set[str] = set()
        try:
            for number, subscription in enumerate(self._filters()):
                sub_id = f"kiosk-{number}"
                waiting.add(sub_id)
                ws.send(ClientMessage.req(sub_id, subscription).as_json())
        except (websocket.WebSocketException, OSError):
            ws.close(timeout=0)
            raise self._lost() from None
        self._ws, self._stored = ws, stored
        threading.Thread(target=self._read, args=(ws, stored, waiting), name="nwc-relay", daemon=True).start()

    def _read(self, ws: websocket.WebSocket, stored: threading.Event, waiting: set[str]) -> None:
        ws.settimeout(PING_S)
        quiet = 0
        while True:
            try:
                opcode, data = ws.recv_data(control_frame=True)
            except websocket.WebSocketTimeoutException:
                quiet += 1
                if quiet < 2 and self._ping(ws):
                    continue
                self._drop(
                    BackendError(ErrorKind.TIMEOUT, _("{where} stopped answering").format(where=self.where)),
                    ws,
                )
                return
            except (websocket.WebSocketException, OSError, ValueError):
                self._drop(self._lost(), ws)
                return
            quiet = 0
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                self._drop(self._lost(), ws)
                return
            if opcode == websocket.ABNF.OPCODE_TEXT and len(data) <= MAX_FRAME_BYTES:
                try:
                    self._handle(ws, data.decode("utf-8", "replace"), stored, waiting)
                except Exception:  # a bug must not silence the wallet for every sale
                    log.exception("%s: a message could not be handled; ignored", self.url)

    def _ping(self, ws: websocket.WebSocket) -> bool:
        try:
            with self._send_lock:
                ws.ping()
        except (websocket.WebSocketException, OSError):
            return False
        return True

    def _handle(self, ws: websocket.WebSocket, text: str, stored: threading.Event, waiting: set[str]) -> None:
        try:
            message = RelayMessage.from_json(text).as_enum()
        except NostrSdkError:
            log.debug("%s sent a message that is not Nostr; ignored", self.url)
            return
        if isinstance(message, RelayMessageEnum.EVENT_MSG):
            event = message.event
            if event.author().to_hex() == self._author and event.verify():
                self._listener.relay_event(event)
            else:
                log.info("%s passed on an event not signed by the wallet service; ignored", self.url)
        elif isinstance(message, RelayMessageEnum.END_OF_STORED_EVENTS):
            waiting.discard(message.subscription_id)
            if not waiting:
                stored.set()
        elif isinstance(message, RelayMessageEnum.OK) and not message.status:
            self._listener.relay_refused(message.event_id.to_hex(), message.message)
        elif isinstance(message, RelayMessageEnum.CLOSED):
            # The relay ended a subscription: without it replies or payments would be missed.
            text = _("{where} closed the kiosk's subscription: {reason}")
            reason = message.message[:200]
            self._drop(BackendError(ErrorKind.UNREACHABLE, text.format(where=self.where, reason=reason)), ws)

    def _drop(self, error: BackendError, ws: websocket.WebSocket | None = None) -> None:
        """Forget the connection (only `ws`, if given, so a late reader cannot drop a newer one)."""
        with self._lock:
            current = self._ws
            if current is None or (ws is not None and ws is not current):
                return
            self._ws = None
            self._last_error = error
            self._stored.set()  # wakes an open() waiting for this connection's stored events
        with contextlib.suppress(websocket.WebSocketException, OSError):
            current.abort()  # wakes the reader blocked in recv
            current.shutdown()
        self._listener.relay_down(error)

    def _lost(self) -> BackendError:
        return BackendError(
            ErrorKind.UNREACHABLE, _("The connection to {where} broke off").format(where=self.where)
        )
