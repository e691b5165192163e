"""Refunds: all or part of what a sale took, never more, each recorded under its own key. Pure.

A refund is in the ledger (PENDING) before any money moves; it is DONE once the
cash is back in the customer's hand or the voucher exists, FAILED if it could
not be paid (then it no longer counts against the sale). The key makes a retry
the same refund, never a second one.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kiosk.domain.tender import Tender


class RefundState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class RefundMode(enum.StrEnum):
    RECORD = "record"  # cash back, or handled elsewhere: the kiosk records it
    VOUCHER = "voucher"  # an LNURL-withdraw for the amount, the customer scans it


@dataclass(frozen=True)
class Refund:
    id: int
    sale_id: int
    key: str
    amount: Decimal  # in the sale's currency (whole sats for a sats sale)
    amount_msat: int  # the Lightning part it gives back (0 for cash back)
    tender: Tender  # how the money went back: cash out of the drawer, or Lightning
    mode: RefundMode
    state: RefundState
    created_at_ms: int
    cashier_id: int | None = None
    done_at_ms: int | None = None
    voucher: str | None = None  # the LNURL the customer scans
    voucher_id: str | None = None  # the node's id for it, to look it up before a retry
    error: str | None = None

    @property
    def counts(self) -> bool:
        """Whether it takes from what the sale can still refund."""
        return self.state is not RefundState.FAILED


class RefundRefused(ValueError):
    """The refund cannot be made as asked (above what is left, zero, too many decimals)."""


def refundable(paid: Decimal, refunds: Iterable[Refund]) -> Decimal:
    """What is left to refund of a sale that took `paid`."""
    return paid - sum((r.amount for r in refunds if r.counts), Decimal(0))


def check_refund(amount: Decimal, left: Decimal, quantum: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= 0:
        raise RefundRefused("a refund is above zero")
    if amount != amount.quantize(quantum):
        raise RefundRefused(f"{amount} has more decimals than the currency allows")
    if amount > left:
        raise RefundRefused(f"{amount} is more than the {left} left to refund")
    return amount


def refund_msat(amount: Decimal, paid: Decimal, received_msat: int) -> int:
    """The msat share of a sale's `received_msat` that `amount` of `paid` is, rounded down."""
    if amount == paid:
        return received_msat
    return math.floor(Fraction(received_msat) * Fraction(amount) / Fraction(paid))
