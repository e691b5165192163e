"""What the kiosk tells BTCPay Server about a sale, and how it reads BTCPay's answers back.

Facts from BTCPay's Greenfield OpenAPI and code (tests/doubles/contracts/btcpay.toml):
invoice statuses New, Processing, Expired, Invalid, Settled; an invoice paid
after its expiry stays Expired with additionalStatus PaidLate; amounts are
decimal strings in the invoice's currency ("SATS" here, so whole sats).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import bolt11
import requests
from bolt11.exceptions import Bolt11Exception

from kiosk.domain.sale import Sale
from kiosk.i18n import _
from kiosk.services.node_port import Grants, InvoiceState

SATS = "SATS"
# The Lightning payment method: "BTC-LN" since BTCPay 2.0, "BTC-LightningNetwork" (and the older
# "BTC_LightningLike") before; 2.x still reads the old name, so the kiosk asks for it by that one.
LIGHTNING_METHODS = frozenset({"BTC-LN", "BTC-LightningNetwork", "BTC_LightningLike"})
ASKED_METHOD = "BTC-LightningNetwork"
# All a kiosk's key needs: create invoices, and read them back.
NEEDED = frozenset({"btcpay.store.cancreateinvoice", "btcpay.store.canviewinvoices"})
# Policies that move or promise the store's money, or change the store (btcpay.toml [permissions]).
DANGEROUS = frozenset(
    {
        "unrestricted",
        "btcpay.store.canmodifystoresettings",
        "btcpay.store.canmodifyinvoices",
        "btcpay.store.canuselightningnode",
        "btcpay.server.canuseinternallightningnode",
        "btcpay.store.canmanagepullpayments",
        "btcpay.store.cancreatepullpayments",
        "btcpay.store.cancreatenonapprovedpullpayments",
        "btcpay.store.canmanagepayouts",
        "btcpay.server.canmodifyserversettings",
        "btcpay.server.canmanageusers",
    }
)
# Policies that hold every store policy (Permissions.cs policy tree).
SUPERSETS = frozenset({"unrestricted", "btcpay.store.canmodifystoresettings"})
ITEM_DESC_CHARS = 200


def invoice_request(sale: Sale, expiry_s: int, terminal: str) -> dict:
    """The CreateInvoiceRequest for a sale: its amount in sats, and its books in `metadata`."""
    cart = [{"title": i.name, "count": i.quantity, "price": str(i.unit_price)} for i in sale.items]
    pos_data: dict[str, object] = {
        "terminal": terminal,
        "currency": sale.currency,
        "sats": sale.amount_msat // 1000,
    }
    if sale.fiat_amount is not None:
        pos_data |= {"total": str(sale.fiat_amount), "rate": str(sale.rate), "rateSource": sale.rate_source}
    if sale.tip_msat:
        pos_data["tip"] = str(sale.tip_fiat) if sale.tip_fiat is not None else str(sale.tip_msat // 1000)
    if cart:
        pos_data["cart"] = cart
    description = sale.memo or ", ".join(f"{i.quantity} x {i.name}" for i in sale.items)
    metadata: dict[str, object] = {"itemDesc": description[:ITEM_DESC_CHARS], "posData": pos_data}
    if sale.id:
        metadata["orderId"] = str(sale.id)
    return {
        "amount": str(sale.amount_msat // 1000),
        "currency": SATS,
        "metadata": metadata,
        "checkout": {
            "paymentMethods": [ASKED_METHOD],
            "lazyPaymentMethods": False,  # the BOLT11 is made now, not when a browser asks for it
            "expirationMinutes": expiration(expiry_s),
        },
    }


def expiration(expiry_s: int) -> int | str:
    """checkout.expirationMinutes: whole minutes as a number, else a TimeSpan string ("0:05:30")."""
    if expiry_s % 60 == 0:
        return expiry_s // 60
    hours, rest = divmod(expiry_s, 3600)
    return f"{hours}:{rest // 60:02}:{rest % 60:02}"


def state_of(status: object, additional: object) -> InvoiceState | None:
    """The kiosk's state for a BTCPay status; None when the answer is not one BTCPay gives."""
    if status == "Settled" or (status == "Expired" and additional == "PaidLate"):
        return InvoiceState.PAID
    return {
        "New": InvoiceState.OPEN,
        "Processing": InvoiceState.OPEN,  # paid, not yet settled: Lightning settles at once
        "Expired": InvoiceState.EXPIRED,
        "Invalid": InvoiceState.CANCELED,
    }.get(status)  # type: ignore[call-overload]


def msat_of(amount: object, currency: object) -> int | None:
    """A decimal string in SATS or BTC as msat; None for anything else."""
    if not isinstance(amount, str) or currency not in (SATS, "BTC"):
        return None
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0:
        return None
    return int(value * (1000 if currency == SATS else 100_000_000_000))


def grants_of(permissions: list[str], store_id: str) -> Grants:
    """What a key may do for this store (its permissions unscoped or scoped to the store)."""
    here = {p.partition(":")[0].lower() for p in permissions if p.partition(":")[2] in ("", store_id)}
    missing = frozenset() if here & SUPERSETS else NEEDED - here
    return Grants(frozenset(permissions), missing, frozenset(p for p in permissions if _can_spend(p)))


def _can_spend(permission: str) -> bool:
    """A policy that pays, refunds or changes the store; unknown ones (plugins) count as able."""
    policy = permission.partition(":")[0].lower()
    return policy in DANGEROUS or (policy not in NEEDED and ".canview" not in policy)


def problem(response: requests.Response) -> str:
    """BTCPay's error text: a ProblemDetails object, or a list of validation errors."""
    try:
        body = response.json()
    except ValueError:
        return response.reason or _("no reason given")
    if isinstance(body, list):
        return "; ".join(f"{e.get('path')}: {e.get('message')}" for e in body if isinstance(e, dict))
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return response.reason or _("no reason given")


def payment_hash_of(bolt11_text: str) -> str | None:
    try:
        return bolt11.decode(bolt11_text).payment_hash if bolt11_text else None
    except (Bolt11Exception, ValueError):
        return None
