"""A sale and its state machine. Pure: no clock, no I/O; time comes in with each event.

    ENTERING -> CREATING_INVOICE -> AWAITING_PAYMENT -> PAID -> RECEIPT_PRINTED
       |              |                    |             ^
       |              v                    v             |
       |            FAILED         EXPIRED / CANCELLED --(settled in grace)--> PAID_LATE -> RECEIPT_PRINTED
       +--(cash handed over)-----------------------------+

A payment is never refused by the machine once an invoice was shown: a
settlement after the kiosk gave up on the sale becomes PAID_LATE.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from decimal import Decimal

from kiosk.domain.tax import RateTotal
from kiosk.domain.tender import Tender


class SaleState(enum.StrEnum):
    ENTERING = "entering"
    CREATING_INVOICE = "creating_invoice"
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    PAID_LATE = "paid_late"
    RECEIPT_PRINTED = "receipt_printed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def is_paid(self) -> bool:
        return self in (SaleState.PAID, SaleState.PAID_LATE, SaleState.RECEIPT_PRINTED)

    @property
    def is_open(self) -> bool:
        """The invoice may still be paid: the watcher keeps an eye on it."""
        return self in (SaleState.AWAITING_PAYMENT, SaleState.EXPIRED, SaleState.CANCELLED)


@dataclass(frozen=True)
class Invoice:
    """A checked BOLT11 invoice for a sale."""

    bolt11: str
    payment_hash: str
    expires_at_ms: int


@dataclass(frozen=True)
class SaleItem:
    """A catalog line on the sale: `unit_price` in the sale's currency (sats for a sats sale)."""

    name: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal = Decimal(0)  # percent
    discount: Decimal = Decimal(0)  # taken off this line (the order's discount is the sale's)

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Sale:
    id: int
    created_at_ms: int
    amount_msat: int
    memo: str
    state: SaleState = SaleState.ENTERING
    fiat_amount: Decimal | None = None
    currency: str = "SAT"
    rate: Decimal | None = None
    rate_source: str | None = None
    invoice: Invoice | None = None
    deadline_ms: int | None = None
    grace_until_ms: int | None = None
    preimage: str | None = None
    proof: str | None = None  # what proved the payment: "preimage", or a server's status ("btcpay status")
    amount_received_msat: int | None = None
    paid_at_ms: int | None = None
    error: str | None = None
    settled_late: bool = False
    tip_msat: int = 0  # the tip's share of amount_msat, recorded on its own
    tip_fiat: Decimal | None = None  # the tip in fiat, for a fiat sale with a tip
    items: tuple[SaleItem, ...] = ()
    tender: Tender = Tender.LIGHTNING
    cashier_id: int | None = None  # who rang it up (None: before cashiers, or the owner)
    cash_tendered: Decimal | None = None  # a cash sale: what the customer handed over
    cash_change: Decimal | None = None
    discount: Decimal | None = None  # every discount on the sale, lines and order
    taxes: tuple[RateTotal, ...] = ()  # the goods' net and tax per rate (empty: no tax)
    tip_tax: Decimal | None = None  # the tip's tax, when tips are taxed
    tip_tax_rate: Decimal | None = None

    @property
    def payment_hash(self) -> str | None:
        return self.invoice.payment_hash if self.invoice else None


# Events ---------------------------------------------------------------------


@dataclass(frozen=True)
class Charge:
    at_ms: int


@dataclass(frozen=True)
class InvoiceCreated:
    invoice: Invoice
    at_ms: int
    deadline_ms: int
    grace_until_ms: int


@dataclass(frozen=True)
class InvoiceFailed:
    reason: str
    at_ms: int


@dataclass(frozen=True)
class Settled:
    preimage: str | None
    amount_received_msat: int
    at_ms: int
    proof: str = "preimage"


@dataclass(frozen=True)
class CashReceived:
    tendered: Decimal
    change: Decimal
    at_ms: int


@dataclass(frozen=True)
class DeadlinePassed:
    at_ms: int


@dataclass(frozen=True)
class Cancel:
    at_ms: int


@dataclass(frozen=True)
class ReceiptPrinted:
    at_ms: int


Event = (
    Charge
    | InvoiceCreated
    | InvoiceFailed
    | Settled
    | CashReceived
    | DeadlinePassed
    | Cancel
    | ReceiptPrinted
)


class InvalidTransition(Exception):
    def __init__(self, state: SaleState, event: Event) -> None:
        super().__init__(f"{type(event).__name__} is not allowed in state {state}")
        self.state = state
        self.event = event


S = SaleState

# (state, event type) -> next state. Anything absent is an invalid transition.
TRANSITIONS: dict[tuple[SaleState, type], SaleState] = {
    (S.ENTERING, Charge): S.CREATING_INVOICE,
    (S.ENTERING, Cancel): S.CANCELLED,
    (S.ENTERING, CashReceived): S.PAID,
    (S.CREATING_INVOICE, InvoiceCreated): S.AWAITING_PAYMENT,
    (S.CREATING_INVOICE, InvoiceFailed): S.FAILED,
    (S.AWAITING_PAYMENT, Settled): S.PAID,
    (S.AWAITING_PAYMENT, DeadlinePassed): S.EXPIRED,
    (S.AWAITING_PAYMENT, Cancel): S.CANCELLED,
    (S.EXPIRED, Settled): S.PAID_LATE,
    (S.CANCELLED, Settled): S.PAID_LATE,
    (S.PAID, ReceiptPrinted): S.RECEIPT_PRINTED,
    (S.PAID_LATE, ReceiptPrinted): S.RECEIPT_PRINTED,
}


def transition(sale: Sale, event: Event) -> Sale:
    """Apply an event to a sale and return the new sale; raise InvalidTransition otherwise."""
    key = (sale.state, type(event))
    if key not in TRANSITIONS:
        raise InvalidTransition(sale.state, event)
    if isinstance(event, Settled) and sale.invoice is None:
        # A sale cancelled on the keypad never had an invoice to pay.
        raise InvalidTransition(sale.state, event)
    if isinstance(event, CashReceived) and sale.tender is not Tender.CASH:
        raise InvalidTransition(sale.state, event)
    nxt = replace(sale, state=TRANSITIONS[key])
    match event:
        case InvoiceCreated():
            return replace(
                nxt,
                invoice=event.invoice,
                deadline_ms=event.deadline_ms,
                grace_until_ms=event.grace_until_ms,
            )
        case InvoiceFailed():
            return replace(nxt, error=event.reason)
        case Settled():
            return replace(
                nxt,
                preimage=event.preimage,
                proof=event.proof,
                amount_received_msat=event.amount_received_msat,
                paid_at_ms=event.at_ms,
                settled_late=nxt.state is SaleState.PAID_LATE,
            )
        case CashReceived():
            return replace(
                nxt, cash_tendered=event.tendered, cash_change=event.change, paid_at_ms=event.at_ms
            )
        case _:
            return nxt
