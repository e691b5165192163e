"""Sales written into a real ledger file, in whichever state a test needs."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from kiosk.domain.sale import (
    Cancel,
    Charge,
    DeadlinePassed,
    Invoice,
    InvoiceCreated,
    InvoiceFailed,
    ReceiptPrinted,
    Sale,
    SaleItem,
    SaleState,
    Settled,
    transition,
)
from kiosk.services.ledger import Ledger

HOUR_MS = 3_600_000
# 2026-11-23 09:00 UTC
DAY_START_MS = 1_795_424_400_000


def record(
    ledger: Ledger,
    at_ms: int,
    sats: int,
    *,
    fiat: str | None = None,
    memo: str = "",
    end: SaleState = SaleState.RECEIPT_PRINTED,
    paid_at_ms: int | None = None,
    received_msat: int | None = None,
    tip_sats: int = 0,
    tip_fiat: str | None = None,
    items: tuple[SaleItem, ...] = (),
) -> Sale:
    """A sale charged at `at_ms`, taken through the transitions to `end` (a paid-late sale via cancel)."""
    draft = Sale(
        id=0,
        created_at_ms=at_ms,
        amount_msat=sats * 1000,
        memo=memo,
        currency="USD" if fiat else "SAT",
        fiat_amount=Decimal(fiat) if fiat else None,
        rate=Decimal("95000") if fiat else None,
        rate_source="demo rate" if fiat else None,
        tip_msat=tip_sats * 1000,
        tip_fiat=Decimal(tip_fiat) if tip_fiat else None,
        items=items,
    )
    sale = ledger.add(transition(draft, Charge(at_ms)), at_ms)
    steps: list = []
    if end is SaleState.FAILED:
        steps = [InvoiceFailed("The Lightning node did not answer\nCheck the node", at_ms + 1)]
    else:
        payment_hash = hashlib.sha256(f"{at_ms}-{sats}-{memo}".encode()).hexdigest()
        invoice = Invoice(f"lnbcrt{sats}n1fake", payment_hash, at_ms + 300_000)
        steps = [InvoiceCreated(invoice, at_ms + 1, at_ms + 300_000, at_ms + 86_400_000)]
        paid = Settled("00" * 32, received_msat or sats * 1000, paid_at_ms or at_ms + 5_000)
        if end in (SaleState.PAID, SaleState.RECEIPT_PRINTED):
            steps.append(paid)
        elif end is SaleState.EXPIRED:
            steps.append(DeadlinePassed(at_ms + 300_000))
        elif end is SaleState.CANCELLED:
            steps.append(Cancel(at_ms + 2_000))
        elif end is SaleState.PAID_LATE:
            steps += [Cancel(at_ms + 2_000), paid]
        if end is SaleState.RECEIPT_PRINTED:
            steps.append(ReceiptPrinted(paid.at_ms + 500))
    for event in steps:
        after = transition(sale, event)
        ledger.save(sale, after, event.at_ms)
        sale = after
    assert sale.state is end
    return sale


@pytest.fixture
def ledger(storage) -> Ledger:
    return storage.sales
