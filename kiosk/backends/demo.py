"""The built-in demo node: mints genuine, signed regtest BOLT11 invoices in process.

Nothing here moves real money. A "customer" pays with `pay()` (the kiosk's
"Simulate payment" button) or automatically after `pay_after_s` seconds.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass

import bolt11
from bolt11.models.tags import TagChar, Tags
from coincurve import PrivateKey

from kiosk.clock import now_ms
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import CreatedInvoice, InvoiceState, InvoiceStatus, NodeInfo, StopSignal

# A fixed, public key: demo invoices are recognisable and worthless on purpose.
DEMO_KEY_HEX = hashlib.sha256(b"lightning-kiosk demo node").hexdigest()


@dataclass
class _DemoInvoice:
    bolt11: str
    amount_msat: int
    preimage: str
    expires_at_ms: int
    paid_at_ms: int | None = None


class DemoNode:
    name = "demo"

    def __init__(self, pay_after_s: float | None = None, clock_ms: Callable[[], int] = now_ms) -> None:
        self._key = PrivateKey(bytes.fromhex(DEMO_KEY_HEX))
        self.pubkey = self._key.public_key.format(compressed=True).hex()
        self._pay_after_s = pay_after_s
        self._clock_ms = clock_ms
        self._invoices: dict[str, _DemoInvoice] = {}
        self._paid: list[str] = []  # payment hashes in the order they were paid
        self._changed = threading.Condition()
        self._timers: list[threading.Timer] = []

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        if amount_msat <= 0:
            raise BackendError(ErrorKind.REJECTED, _("The amount must be more than zero"))
        preimage = secrets.token_bytes(32)
        payment_hash = hashlib.sha256(preimage).hexdigest()
        issued_ms = self._clock_ms()
        tags = Tags()
        tags.add(TagChar.payment_hash, payment_hash)
        tags.add(TagChar.payment_secret, secrets.token_hex(32))
        tags.add(TagChar.description, memo)
        tags.add(TagChar.expire_time, expiry_s)
        invoice = bolt11.Bolt11(
            currency="bcrt",
            date=issued_ms // 1000,
            tags=tags,
            amount_msat=bolt11.MilliSatoshi(amount_msat),
        )
        encoded = bolt11.encode(invoice, DEMO_KEY_HEX)
        with self._changed:
            self._invoices[payment_hash] = _DemoInvoice(
                encoded, amount_msat, preimage.hex(), (issued_ms // 1000 + expiry_s) * 1000
            )
        if self._pay_after_s is not None:
            timer = threading.Timer(self._pay_after_s, self.pay, args=(payment_hash,))
            timer.daemon = True
            timer.start()
            self._timers.append(timer)
        return CreatedInvoice(encoded, payment_hash)

    def pay(self, payment_hash: str) -> None:
        """The demo customer pays the invoice in full (an expired one is refused, as by a wallet)."""
        with self._changed:
            inv = self._invoices[payment_hash]
            if inv.paid_at_ms is None and self._clock_ms() < inv.expires_at_ms:
                inv.paid_at_ms = self._clock_ms()
                self._paid.append(payment_hash)
                self._changed.notify_all()

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        with self._changed:
            return self._status(payment_hash)

    def _status(self, payment_hash: str) -> InvoiceStatus:
        inv = self._invoices.get(payment_hash)
        if inv is None:
            return InvoiceStatus(payment_hash, InvoiceState.UNKNOWN)
        if inv.paid_at_ms is not None:
            return InvoiceStatus(
                payment_hash, InvoiceState.PAID, inv.amount_msat, inv.preimage, inv.paid_at_ms
            )
        if self._clock_ms() >= inv.expires_at_ms:
            return InvoiceStatus(payment_hash, InvoiceState.EXPIRED)
        return InvoiceStatus(payment_hash, InvoiceState.OPEN)

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """Every payment made from this call on, as a node-wide stream does."""
        with self._changed:
            return self._paid_from(len(self._paid), stop)

    def _paid_from(self, seen: int, stop: StopSignal) -> Iterator[str]:
        def cut() -> None:
            with self._changed:
                self._changed.notify_all()

        with stop.cutting(cut):
            while not stop.is_set():
                with self._changed:
                    self._changed.wait_for(lambda n=seen: len(self._paid) > n or stop.is_set())
                    fresh, seen = self._paid[seen:], len(self._paid)
                yield from fresh

    def node_info(self) -> NodeInfo:
        return NodeInfo(self.pubkey, "Demo node", "regtest", synced=True, block_height=None)

    def inbound_liquidity_msat(self) -> int | None:
        return 10_000_000_000  # 10M sats: the demo never runs out

    def credential_can_spend(self) -> bool | None:
        return False

    def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
