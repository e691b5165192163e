"""Trust but verify: decode every invoice the node returns and check it against the sale.

An invoice that fails any check is never shown to a customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import bolt11
from bolt11.exceptions import Bolt11Exception

from kiosk.domain.sale import Invoice, Sale
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import InvoiceState, InvoiceStatus

# BOLT11 currency prefix (after "ln") for each network name the nodes report.
NETWORK_PREFIXES = {
    "mainnet": "bc",
    "bitcoin": "bc",
    "testnet": "tb",
    "testnet4": "tb",
    "signet": "tbs",
    "regtest": "bcrt",
}

# The node may round the expiry it writes into the invoice by a second or so.
EXPIRY_TOLERANCE_S = 5
# How far the node's clock (the invoice's timestamp) may be from the kiosk's. An invoice dated
# earlier than this before the kiosk asked for it was made for someone else, or long ago.
CLOCK_SLACK_S = 10


@dataclass(frozen=True)
class Expected:
    amount_msat: int
    expiry_s: int
    network: str
    now_ms: int  # when the node's answer arrived
    payment_hash: str | None = None
    payee: str | None = None
    asked_at_ms: int | None = None  # when the kiosk asked for the invoice; None: now_ms


def check_invoice(bolt11_text: str, expected: Expected) -> Invoice:
    """Return the checked invoice, or raise BackendError(INVOICE_MISMATCH) saying what is wrong."""
    try:
        decoded = bolt11.decode(bolt11_text)
    except (Bolt11Exception, ValueError) as exc:
        raise _mismatch(
            _("the node returned an invoice that cannot be decoded ({error})").format(error=exc)
        ) from exc

    prefix = NETWORK_PREFIXES.get(expected.network)
    if prefix is None:
        raise _mismatch(_("unknown network {network}").format(network=repr(expected.network)))
    if decoded.currency != prefix:
        raise _mismatch(
            _("the invoice is for network '{invoice}', the node is on {network} ('{prefix}')").format(
                invoice=f"ln{decoded.currency}", network=expected.network, prefix=f"ln{prefix}"
            )
        )
    if decoded.amount_msat != expected.amount_msat:
        raise _mismatch(
            _("the invoice asks for {invoice} msat, the sale is for {sale} msat").format(
                invoice=decoded.amount_msat, sale=expected.amount_msat
            )
        )
    if expected.payment_hash is not None and decoded.payment_hash != expected.payment_hash:
        raise _mismatch(_("the invoice's payment hash differs from the one the node reported"))
    if expected.payee is not None and decoded.payee != expected.payee:
        raise _mismatch(_("the invoice is signed by another node than the one configured"))
    expires_at_ms = (decoded.date + decoded.expiry) * 1000
    if abs(decoded.expiry - expected.expiry_s) > EXPIRY_TOLERANCE_S:
        raise _mismatch(
            _("the invoice expires after {invoice} s, the kiosk asked for {asked} s").format(
                invoice=decoded.expiry, asked=expected.expiry_s
            )
        )
    if expires_at_ms <= expected.now_ms:
        raise _mismatch(_("the invoice has already expired"))
    _check_fresh(decoded.date * 1000, expected)
    return Invoice(bolt11_text, decoded.payment_hash, expires_at_ms)


def _check_fresh(issued_at_ms: int, expected: Expected) -> None:
    """The invoice was made for this request: dated when it was asked for, so its whole life is ahead."""
    asked_at_ms = expected.now_ms if expected.asked_at_ms is None else expected.asked_at_ms
    slack_ms = CLOCK_SLACK_S * 1000
    if issued_at_ms < asked_at_ms - slack_ms:
        raise _mismatch(
            _(
                "the invoice was made {seconds} s before the kiosk asked for it: it is an old "
                "invoice handed back, not a new one (if the node's clock is wrong, set it right)"
            ).format(seconds=(asked_at_ms - issued_at_ms) // 1000)
        )
    if issued_at_ms > expected.now_ms + slack_ms:
        raise _mismatch(
            _(
                "the invoice is dated {seconds} s in the future: "
                "set the clock of the node or of the kiosk right"
            ).format(seconds=(issued_at_ms - expected.now_ms) // 1000)
        )


def check_open_at_node(status: InvoiceStatus) -> None:
    """The node's own lookup of a new invoice (with the kiosk's credential) must find it open.

    Paid: an old invoice handed back. Unknown: made by another wallet or node,
    so the money would go elsewhere. Expired or cancelled: it cannot be paid.
    """
    if status.state is InvoiceState.OPEN:
        return
    if status.state is InvoiceState.PAID:
        raise _mismatch(_("the node says this invoice is paid already: it is an old invoice handed back"))
    if status.state is InvoiceState.UNKNOWN:
        raise _mismatch(
            _(
                "the kiosk's own wallet or node does not know this invoice: it belongs to someone else, "
                "and a payment would not reach the shop"
            )
        )
    raise _mismatch(
        _("the node says this invoice can no longer be paid ({state})").format(state=status.state)
    )


def check_new_to_ledger(used_by: Sale | None) -> None:
    """The invoice's payment hash must not be on a sale already (`used_by`: the sale that has it)."""
    if used_by is not None:
        raise _mismatch(
            _(
                "the node handed back the invoice of sale #{sale}: one invoice cannot pay for two sales"
            ).format(sale=used_by.id)
        )


def _mismatch(detail: str) -> BackendError:
    return BackendError(ErrorKind.INVOICE_MISMATCH, _("Invoice refused: {detail}").format(detail=detail))
