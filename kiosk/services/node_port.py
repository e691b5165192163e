"""The small interface every Lightning node adapter implements.

Adapters turn the node's own failures into BackendError values with a kind,
and answer "open" (never "paid") when unsure: only a confirmed lookup makes a
sale paid.
"""

from __future__ import annotations

import contextlib
import enum
import threading
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from kiosk.domain.sale import Sale


class InvoiceState(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELED = "canceled"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CreatedInvoice:
    bolt11: str
    payment_hash: str


@dataclass(frozen=True)
class InvoiceStatus:
    payment_hash: str
    state: InvoiceState
    amount_received_msat: int = 0
    preimage: str | None = None
    settled_at_ms: int | None = None

    @property
    def is_paid(self) -> bool:
        return self.state is InvoiceState.PAID


@dataclass(frozen=True)
class NodeInfo:
    pubkey: str | None
    alias: str
    network: str  # bitcoin BOLT11 network name: "mainnet", "testnet", "signet", "regtest"
    synced: bool
    block_height: int | None = None
    active_channels: int | None = None  # None: the node or the credential does not say


def whole_number(value: object) -> int | None:
    """A JSON integer from a node's answer, or None (JSON's true/false are not counts)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class StopSignal:
    """A stop flag that also cuts the blocking call in progress: `set()` runs the registered cuts.

    A push stream blocked reading from the node registers how to cut its socket,
    so stopping it takes effect at once instead of after the read's timeout.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._cuts: list[Callable[[], None]] = []

    def set(self) -> None:
        with self._lock:
            self._event.set()
            cuts = list(self._cuts)
        for cut in cuts:
            with contextlib.suppress(OSError, ValueError, RuntimeError):  # already closed
                cut()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        return self._event.wait(timeout_s)

    @contextlib.contextmanager
    def cutting(self, cut: Callable[[], None]) -> Iterator[None]:
        """While inside, `set()` calls `cut`; if already set, `cut` runs at once."""
        with self._lock:
            self._cuts.append(cut)
            already = self._event.is_set()
        if already:
            with contextlib.suppress(OSError, ValueError, RuntimeError):
                cut()
        try:
            yield
        finally:
            with self._lock:
                self._cuts.remove(cut)


class LightningBackend(Protocol):
    name: str

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        """Ask the node for a new invoice. Raises BackendError.

        `sale_id` is the kiosk's sale number, for a node that files invoices under
        the merchant's own reference (phoenixd's externalId); others ignore it.
        """
        ...

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        """Look the invoice up. Raises BackendError."""
        ...

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        """The node's push channel: yield the payment hash of each invoice the node says changed.

        One channel per node, whatever the number of invoices watched; a hash
        only wakes a confirming lookup, never pays a sale. `on_screen()` gives
        the hashes whose QR code is showing, for a node that can only push per
        invoice. Runs until `stop` is set; raises BackendError when the channel
        breaks, and the caller reconnects. A backend without a push channel
        returns at once (polling still runs).
        """
        ...

    def node_info(self) -> NodeInfo:
        """Identity, network and sync state of the node. Raises BackendError."""
        ...

    def close(self) -> None:
        """Release the node's connections and cut any call still blocked on them (idempotent)."""
        ...


@runtime_checkable
class NodeDiagnostics(Protocol):
    """Optional checks a backend can answer for `python -m kiosk doctor`."""

    def inbound_liquidity_msat(self) -> int | None:
        """How much the node can receive right now; None when the credential may not read it."""
        ...

    def credential_can_spend(self) -> bool | None:
        """Probe an admin-only call that must be refused; True means the credential can spend."""
        ...


@dataclass(frozen=True)
class Grants:
    """What a credential may do, by the node's own names for it."""

    granted: frozenset[str]
    missing: frozenset[str]  # what the kiosk needs and the credential may not do
    spending: frozenset[str]  # what it may do that moves the node's money out


@runtime_checkable
class CredentialGrants(Protocol):
    """Optional, for a node that lists a credential's permissions (Nostr Wallet Connect's get_info)."""

    def grants(self) -> Grants:
        """Raises BackendError."""


@runtime_checkable
class OrderInvoices(Protocol):
    """A backend that files each invoice with its sale (BTCPay Server keeps the shop's books)."""

    def create_order_invoice(self, sale: Sale, expiry_s: int) -> CreatedInvoice:
        """create_invoice() for `sale.amount_msat`, with the sale's id, items and tip. Raises BackendError."""
        ...


@runtime_checkable
class ServerProvenSettlement(Protocol):
    """A backend whose server says "paid" without a preimage (BTCPay Server): the exception, said out loud.

    For every other backend a settlement counts only with the preimage (see
    settlement_proof). For this one the server's own status is the proof: the
    kiosk trusts the server and its verified TLS link. `settlement_proof` is
    what the ledger records as the sale's proof, e.g. "btcpay status".
    """

    settlement_proof: str
