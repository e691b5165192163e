"""Trust but verify: decode every invoice the node returns and check it against the sale.

An invoice that fails any check is never shown to a customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import bolt11
from bolt11.exceptions import Bolt11Exception

from kiosk.domain.sale import Invoice
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _

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


@dataclass(frozen=True)
class Expected:
    amount_msat: int
    expiry_s: int
    network: str
    now_ms: int
    payment_hash: str | None = None
    payee: str | None = None


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
    return Invoice(bolt11_text, decoded.payment_hash, expires_at_ms)


def _mismatch(detail: str) -> BackendError:
    return BackendError(ErrorKind.INVOICE_MISMATCH, _("Invoice refused: {detail}").format(detail=detail))
