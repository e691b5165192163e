"""'I already paid': what the node says now about a sale in the PIN-free Recent list (the last 20).

Read-only: nothing here changes a sale. The lookup asks the node afresh (it
blocks on the network, so the UI runs it on a worker) and reports the node's
own state; the ledger's state stays what the settlement watcher decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.sale import Sale
from kiosk.domain.tender import Tender
from kiosk.errors import BackendError
from kiosk.services.ledger import Ledger
from kiosk.services.node_port import InvoiceState, LightningBackend

RECENT_LIMIT = 20


@dataclass(frozen=True)
class SaleNow:
    sale: Sale
    node_state: InvoiceState | None = None  # None: not asked (a cash sale, no invoice) or no answer
    problem: str = ""  # the node did not answer: its words


def look_up(ledger: Ledger, backend: LightningBackend, sale_id: int) -> SaleNow:
    """The sale as the ledger has it, and its invoice's state at the node this moment."""
    sale = ledger.get(sale_id)
    if sale.tender is Tender.CASH or sale.payment_hash is None:
        return SaleNow(sale)
    try:
        return SaleNow(sale, backend.invoice_status(sale.payment_hash).state)
    except BackendError as exc:
        return SaleNow(sale, None, str(exc))
