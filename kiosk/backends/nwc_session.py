"""One NIP-47 session: requests matched to replies, and notified payments, over the one relay link.

Each request (kind 23194) waits for the reply (23195) whose `e` tag names it;
only events signed by the wallet service reach here (nwc_relay checks), and
only those addressed to the kiosk (`p` tag) are read. A broken link fails the
requests waiting on it and ends the push feeds, which the watcher reopens.
"""

from __future__ import annotations

import json
import math
import queue
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from nostr_sdk import Event, EventBuilder, Filter, Kind, Tag, Timestamp

from kiosk.backends.nwc_relay import RelayLink
from kiosk.backends.nwc_wire import (
    INFO,
    NIP04,
    NIP44,
    NOTIFICATION_NIP04,
    NOTIFICATION_NIP44,
    REQUEST,
    RESPONSE,
    Connection,
    WalletInfo,
    WalletRefused,
    decrypt,
    encrypt,
    invoice_status,
    malformed,
    result_of,
)
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import InvoiceStatus
from kiosk.services.settlement_proof import unproven

FIRST_RATE_WAIT_S = 1.0  # RATE_LIMITED: "retry in a few seconds", doubling, within the request's time
KEPT_PAYMENTS = 64  # notified payments kept for the confirming lookup
# A request expires this long after the kiosk stops waiting for it, so a kiosk clock a little
# behind the wallet's (a Pi without a clock battery, before NTP) does not see every request dropped.
CLOCK_SLACK_S = 60
STOP = object()  # put in a feed: the push stream ends


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    reply: Event | None = None
    error: BackendError | None = None


class NwcSession:
    def __init__(self, connection: Connection, where: str, timeout_s: float) -> None:
        self._conn = connection
        self.where = where
        self._timeout_s = timeout_s
        self._me = connection.keys.public_key().to_hex()
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._feeds: set[queue.SimpleQueue] = set()
        self._paid: OrderedDict[str, InvoiceStatus] = OrderedDict()
        self._info_event: Event | None = None
        self._closed = threading.Event()
        self._requests: Counter[str] = Counter()  # read with the lock (see NwcBackend.requests)
        self.link = RelayLink(
            connection.relay,
            connection.wallet,
            self._filters,
            self,
            timeout_s,
            lambda: self._count("connect"),
        )

    def close(self) -> None:
        self._closed.set()
        self.link.close()

    def info(self) -> WalletInfo:
        with self._lock:
            return WalletInfo.of(self._info_event)

    def counted(self) -> Counter[str]:
        with self._lock:
            return self._requests.copy()

    def take_paid(self, payment_hash: str) -> InvoiceStatus | None:
        """A payment the wallet notified, with its proof, once."""
        with self._lock:
            return self._paid.pop(payment_hash, None)

    @contextmanager
    def feed(self) -> Iterator[queue.SimpleQueue]:
        """A queue of notified payment hashes; a BackendError in it: the link broke."""
        feed: queue.SimpleQueue = queue.SimpleQueue()
        with self._lock:
            self._feeds.add(feed)
        try:
            yield feed
        finally:
            with self._lock:
                self._feeds.discard(feed)

    # Requests ----------------------------------------------------------------------------

    def call(self, method: str, params: dict) -> dict:
        """Ask the wallet; on RATE_LIMITED wait and ask again while the request's time lasts."""
        deadline = time.monotonic() + self._timeout_s
        wait_s = FIRST_RATE_WAIT_S
        while True:
            try:
                return self._ask(method, params, deadline)
            except WalletRefused as exc:
                if exc.code != "RATE_LIMITED" or time.monotonic() + wait_s >= deadline:
                    raise
            if self._closed.wait(wait_s):
                raise BackendError(ErrorKind.UNREACHABLE, _("The kiosk closed its connection to the wallet"))
            wait_s *= 2

    def _ask(self, method: str, params: dict, deadline: float) -> dict:
        self.link.open()
        scheme = self.info().encryption
        content = encrypt(self._conn, scheme, json.dumps({"method": method, "params": params}))
        expires = Timestamp.from_secs(
            math.ceil(time.time() + max(deadline - time.monotonic(), 1) + CLOCK_SLACK_S)
        )
        tags = [Tag.public_key(self._conn.wallet), Tag.expiration(expires), Tag.parse(["encryption", scheme])]
        event = EventBuilder(Kind(REQUEST), content).tags(tags).finalize(self._conn.keys)
        event_id = event.id().to_hex()
        slot = _Pending()
        with self._lock:
            self._pending[event_id] = slot
            self._requests[method] += 1
        try:
            self.link.send(event)
            if not slot.done.wait(max(deadline - time.monotonic(), 0)):
                raise BackendError(
                    ErrorKind.TIMEOUT,
                    _("{where} did not answer {method} within {seconds} s").format(
                        where=self.where, method=method, seconds=f"{self._timeout_s:g}"
                    ),
                    _("Check that the wallet is online (open the wallet app or its hub) and try again"),
                )
        finally:
            with self._lock:
                self._pending.pop(event_id, None)
        if slot.error is not None:
            raise slot.error
        reply = decrypt(self._conn, scheme, slot.reply.content()) if slot.reply is not None else None
        if reply is None:
            raise malformed(self.where, _("a reply that does not decrypt to JSON"))
        return result_of(method, reply, self.where)

    def _count(self, kind: str) -> None:
        with self._lock:
            self._requests[kind] += 1

    # What the relay passes on (nwc_relay.RelayListener) ---------------------------------------

    def _filters(self) -> list[Filter]:
        # Relays should keep none of these; one that does replays only recent notifications (a wrong
        # kiosk clock costs the push channel, not the sale). Stale replies match no request.
        since = Timestamp.from_secs(int(time.time()) - 600)
        wallet, me = self._conn.wallet, self._conn.keys.public_key()
        notifications = [Kind(NOTIFICATION_NIP44), Kind(NOTIFICATION_NIP04)]
        return [
            Filter().kinds([Kind(INFO)]).author(wallet).limit(1),
            Filter().kinds([Kind(RESPONSE)]).author(wallet).pubkey(me),
            Filter().kinds(notifications).author(wallet).pubkey(me).since(since),
        ]

    def relay_event(self, event: Event) -> None:
        kind = event.kind().as_u16()
        tags = [t.to_vec() for t in event.tags()]
        if kind == INFO:
            with self._lock:
                known = self._info_event
                if known is None or event.created_at().as_secs() >= known.created_at().as_secs():
                    self._info_event = event
        elif ["p", self._me] not in tags:
            return  # not addressed to the kiosk
        elif kind == RESPONSE:
            with self._lock:
                asked = [t[1] for t in tags if len(t) > 1 and t[0] == "e" and t[1] in self._pending]
                slot = self._pending[asked[0]] if asked else None
            if slot is not None and not slot.done.is_set():
                slot.reply = event
                slot.done.set()
        elif kind == self.info().notification_kind:
            self._notified(event, NIP44 if kind == NOTIFICATION_NIP44 else NIP04)

    def _notified(self, event: Event, scheme: str) -> None:
        note = decrypt(self._conn, scheme, event.content())
        if not isinstance(note, dict) or note.get("notification_type") != "payment_received":
            return
        body = note.get("notification")
        if not isinstance(body, dict) or not isinstance(payment_hash := body.get("payment_hash"), str):
            return
        try:
            status = invoice_status(payment_hash, {"state": "settled"} | body, self.where)
        except BackendError:
            return
        with self._lock:
            if status.is_paid and unproven(status, payment_hash, 0) is None:
                self._paid[payment_hash] = status
                while len(self._paid) > KEPT_PAYMENTS:
                    self._paid.popitem(last=False)
            feeds = list(self._feeds)
        for feed in feeds:
            feed.put(payment_hash)

    def relay_refused(self, event_id: str, message: str) -> None:
        with self._lock:
            slot = self._pending.get(event_id)
        if slot is None or slot.done.is_set():
            return
        kind = ErrorKind.TIMEOUT if message.startswith("rate-limited:") else ErrorKind.REJECTED
        text = _("{where} refused the kiosk's request: {reason}")
        slot.error = BackendError(kind, text.format(where=self.link.where, reason=message[:200]))
        slot.done.set()

    def relay_down(self, error: BackendError) -> None:
        with self._lock:
            slots = list(self._pending.values())
            feeds = list(self._feeds)
        for slot in slots:
            if not slot.done.is_set():
                slot.error = error
                slot.done.set()
        for feed in feeds:
            feed.put(error)
