"""The outbox on a real ledger file: one immutable event per change to the books, in the same transaction."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from kiosk.domain.refund import Refund, RefundMode, RefundState
from kiosk.domain.sale import Invoice, Sale, SaleItem, SaleState
from kiosk.domain.tax import RateTotal
from kiosk.domain.tender import Tender
from kiosk.services.fleet_events import FLOAT, REFUND, SALE, SHIFT_CLOSE, decode
from kiosk.services.ledger import StaleSale
from kiosk.services.shifts import Shift
from kiosk.services.staff import Role
from kiosk.storage import database

SALE_0 = Sale(
    0,
    1_000,
    4_500_000,
    "Flat white",
    SaleState.CREATING_INVOICE,
    fiat_amount=Decimal("4.50"),
    currency="EUR",
    rate=Decimal("100000.00"),
    rate_source="kraken, coinbase",
    items=(SaleItem("Flat white", 1, Decimal("4.50"), Decimal(19)),),
    taxes=(RateTotal(Decimal(19), Decimal("3.78"), Decimal("0.72")),),
    cashier_id=1,
)


@pytest.fixture(autouse=True)
def cashier(storage):
    return storage.staff.add("Ann", Role.CASHIER, "scrypt$unused", 0)


def test_each_state_change_refund_float_and_close_is_one_event_in_order(storage):
    sale = storage.sales.add(SALE_0, 1_000)
    awaiting = replace(sale, state=SaleState.AWAITING_PAYMENT, invoice=Invoice("lnbc1", "ab" * 32, 9_000))
    storage.sales.save(sale, awaiting, 1_100)
    paid = replace(awaiting, state=SaleState.PAID, paid_at_ms=1_200, amount_received_msat=4_500_000)
    storage.sales.save(awaiting, paid, 1_200)
    refund = Refund(
        0,
        sale.id,
        "K1",
        Decimal("1.50"),
        1_500_000,
        Tender.LIGHTNING,
        RefundMode.VOUCHER,
        RefundState.PENDING,
        1_300,
        cashier_id=1,
    )
    recorded = storage.refunds.record(refund, Decimal("4.50"), Decimal("0.01"))
    storage.refunds.record(
        refund, Decimal("4.50"), Decimal("0.01")
    )  # the same key: the same refund, no event
    shift = storage.shifts.open_if_none(500)
    storage.shifts.set_float(shift.id, Decimal("50.00"), 1)
    storage.refunds.finish(recorded.id, RefundState.DONE, 1_400)
    storage.shifts.close_and_open_next(shift.id, 2_000, Decimal("50.00"), 1)

    events = storage.outbox.unsent(100)
    assert [(e.seq, e.kind, e.state) for e in events] == [
        (1, SALE, "creating_invoice"),
        (2, SALE, "awaiting_payment"),
        (3, SALE, "paid"),
        (4, REFUND, "pending"),
        (5, FLOAT, None),
        (6, REFUND, "done"),
        (7, SHIFT_CLOSE, None),
    ]
    assert len({e.key for e in events}) == 7 and all(e.key[14] == "7" for e in events)  # UUIDv7
    last_sale = events[2]
    assert (last_sale.payment_hash, last_sale.amount_msat, last_sale.amount) == (
        "ab" * 32,
        4_500_000,
        Decimal("4.50"),
    )
    assert (last_sale.rate, last_sale.rate_source, last_sale.cashier_id) == (
        Decimal("100000.00"),
        "kraken, coinbase",
        1,
    )
    assert decode(Sale, last_sale.payload) == storage.sales.get(sale.id)
    assert decode(Refund, events[5].payload) == replace(storage.refunds.with_key("K1"), voucher=None)
    assert decode(Shift, events[6].payload) == storage.shifts.get(shift.id)
    assert events[6].amount == Decimal("50.00") and events[4].cashier_id == 1


def test_a_change_rolled_back_leaves_no_event_and_no_gap(storage):
    sale = storage.sales.add(SALE_0, 1_000)
    awaiting = replace(sale, state=SaleState.AWAITING_PAYMENT)
    storage.sales.save(sale, awaiting, 1_100)
    with pytest.raises(StaleSale):
        storage.sales.save(sale, replace(sale, state=SaleState.FAILED), 1_200)  # no longer creating-invoice
    storage.sales.save(awaiting, replace(awaiting, state=SaleState.EXPIRED), 1_300)
    assert [(e.seq, e.state) for e in storage.outbox.unsent(10)] == [
        (1, "creating_invoice"),
        (2, "awaiting_payment"),
        (3, "expired"),
    ]


def test_events_are_immutable_and_sending_only_moves_the_mark(storage):
    storage.sales.add(SALE_0, 1_000)
    storage.sales.add(SALE_0, 1_001)
    with storage.database.transaction() as conn, pytest.raises(database.IntegrityError, match="immutable"):
        conn.execute("UPDATE outbox SET amount_msat = 1")
    with storage.database.transaction() as conn, pytest.raises(database.IntegrityError, match="kept"):
        conn.execute("DELETE FROM outbox")
    storage.outbox.mark_failed("database down", 1_500)
    assert (storage.outbox.status().backlog, storage.outbox.status().last_error) == (2, "database down")
    storage.outbox.mark_sent(1, 2_000)
    status = storage.outbox.status()
    assert (status.sent_seq, status.backlog, status.oldest_unsent_ms, status.last_error) == (
        1,
        1,
        1_001,
        None,
    )
    assert [e.seq for e in storage.outbox.unsent(10)] == [2]
