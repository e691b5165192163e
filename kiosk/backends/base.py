"""The small interface every Lightning node adapter implements.

Adapters turn the node's own failures into BackendError values with a kind,
and answer "open" (never "paid") when unsure: only a confirmed lookup makes a
sale paid.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


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


class LightningBackend(Protocol):
    name: str

    def create_invoice(self, amount_msat: int, memo: str, expiry_s: int) -> CreatedInvoice:
        """Ask the node for a new invoice. Raises BackendError."""
        ...

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        """Look the invoice up. Raises BackendError."""
        ...

    def watch(self, payment_hash: str, stop: threading.Event) -> Iterator[InvoiceStatus]:
        """Push channel: yield the invoice's status as the node reports changes.

        Returns when `stop` is set or the invoice reached a final state; raises
        BackendError when the channel breaks, and the caller reconnects. A
        backend without a push channel returns at once (polling still runs).
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
