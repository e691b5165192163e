"""PAID only on proof: what a node's "paid" must carry before a sale counts as paid.

The proof is the payment preimage, which only the node that issued the
invoice learns when it is paid (sha256(preimage) == payment hash), and the
amount the node says it received, which must cover the invoice. An answer
without both is an anomaly (a broken node, or someone between the kiosk and
the node forging answers): the sale stays payable, the anomaly is logged
without secrets and kept in the ledger (`storage.anomalies`).

What each backend's lookup proves:
- LND `GET /v1/invoice/{hash}`: `r_preimage` and `amt_paid_msat` of a SETTLED invoice.
- Core Lightning `listinvoices`: `payment_preimage` and `amount_received_msat` of a paid invoice.
- LNbits 1.6.2 `GET /api/v1/payments/{hash}` with the wallet's key: `preimage` and
  `details.amount` (msat). LNbits makes its own preimages, so a LNbits that lies is not
  caught; what is caught is anyone between the kiosk and LNbits, who does not know it.
- phoenixd `GET /payments/incoming/{hash}`: `isPaid`, `preimage`, and `receivedSat` (after its
  fees) plus `fees` (msat). phoenixd shows the preimage before payment too, so here it only ties
  the answer to the hash: who can read the lookup (the limited password) could forge it.
- Nostr Wallet Connect `lookup_invoice` (or the `payment_received` notification): `preimage`
  and `amount` (msat) of a settled invoice, in an event signed by the wallet service's key and
  encrypted to the kiosk's; a wallet that lies is not caught, anyone between (the relay) is.
- The demo node: real preimages of its own invoices.
None proves that the money reached *this* node if the node itself lies.

The one exception is a backend that declares itself `ServerProvenSettlement`
(BTCPay Server, whose Greenfield API never shows a preimage): there the
server's own status is the proof, recorded in the ledger as such
(`Sale.proof`, e.g. "btcpay status"), and only the amount is checked.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from kiosk.i18n import _
from kiosk.services.node_port import InvoiceStatus, ServerProvenSettlement

PREIMAGE = "preimage"  # the proof of every backend that does not say otherwise


class Unproven(enum.StrEnum):
    NO_PREIMAGE = "no_preimage"
    WRONG_PREIMAGE = "wrong_preimage"
    SHORT = "short"


@dataclass(frozen=True)
class Anomaly:
    at_ms: int
    sale_id: int
    payment_hash: str  # public: it is in the QR code; the preimage is never kept
    reason: Unproven
    received_msat: int
    asked_msat: int

    @property
    def text(self) -> str:
        """What went wrong, for the log and the doctor (translated)."""
        if self.reason is Unproven.NO_PREIMAGE:
            return _("the node said paid without a preimage")
        if self.reason is Unproven.WRONG_PREIMAGE:
            return _("the node said paid with a preimage that does not match the payment hash")
        return _("the node said paid, but only {received} of {asked} msat arrived").format(
            received=self.received_msat, asked=self.asked_msat
        )


def proof_of(backend: object) -> str:
    """What proves a settlement on this backend: the preimage, unless it declares its server's status."""
    return backend.settlement_proof if isinstance(backend, ServerProvenSettlement) else PREIMAGE


def unproven(
    status: InvoiceStatus, payment_hash: str, asked_msat: int, proof: str = PREIMAGE
) -> Unproven | None:
    """Why a 'paid' status is not proof of payment (by `proof`, see proof_of); None when it is."""
    if proof == PREIMAGE:
        if not status.preimage:
            return Unproven.NO_PREIMAGE
        try:
            preimage = bytes.fromhex(status.preimage)
        except ValueError:
            return Unproven.WRONG_PREIMAGE
        if hashlib.sha256(preimage).hexdigest() != payment_hash.lower():
            return Unproven.WRONG_PREIMAGE
    if status.amount_received_msat < asked_msat:
        return Unproven.SHORT
    return None
