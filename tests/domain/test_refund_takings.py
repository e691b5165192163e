"""Refunds are capped at what was paid; takings add up per tender and per cashier, whatever the sales."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.bill import BillLine, make_bill
from kiosk.domain.refund import (
    Refund,
    RefundMode,
    RefundRefused,
    RefundState,
    check_refund,
    refund_msat,
    refundable,
)
from kiosk.domain.sale import CashReceived, Sale, SaleState, transition
from kiosk.domain.takings import Takings, of_sale, tally
from kiosk.domain.tax import Rounding, TaxPolicy
from kiosk.domain.tender import NotEnoughCash, Tender, change_due

CENT = Decimal("0.01")


def refund(amount: str, state: RefundState = RefundState.DONE, tender: Tender = Tender.CASH) -> Refund:
    return Refund(0, 1, "k", Decimal(amount), 0, tender, RefundMode.RECORD, state, 0)


def test_change_and_not_enough_cash():
    assert change_due(Decimal("4.50"), Decimal("10.00")) == Decimal("5.50")
    with pytest.raises(NotEnoughCash):
        change_due(Decimal("4.50"), Decimal("4.00"))


def test_a_cash_sale_is_paid_when_the_cash_is_handed_over():
    sale = Sale(1, 0, 0, "", tender=Tender.CASH, fiat_amount=Decimal("4.50"), currency="USD")
    paid = transition(sale, CashReceived(Decimal("5.00"), Decimal("0.50"), 7))
    assert (paid.state, paid.paid_at_ms, paid.cash_change) == (SaleState.PAID, 7, Decimal("0.50"))


def test_refunds_are_capped_at_what_is_left():
    left = refundable(Decimal("10.00"), [refund("4.00"), refund("5.00", RefundState.FAILED)])
    assert left == Decimal("6.00")
    assert check_refund(Decimal("6.00"), left, CENT) == Decimal("6.00")
    for bad in ("6.01", "0", "1.001"):
        with pytest.raises(RefundRefused):
            check_refund(Decimal(bad), left, CENT)


def test_refund_msat_is_a_share_rounded_down_and_whole_when_full():
    assert refund_msat(Decimal("1.00"), Decimal("3.00"), 1_000_000) == 333_333
    assert refund_msat(Decimal("3.00"), Decimal("3.00"), 1_000_001) == 1_000_001


rates = st.sampled_from([Decimal(0), Decimal(7), Decimal(19)])
cents = st.integers(1, 100_00).map(lambda n: Decimal(n) * CENT)


@st.composite
def sales(draw: st.DrawFn) -> Sale:
    policy = TaxPolicy(
        draw(st.booleans()), draw(st.sampled_from(list(Rounding))), draw(st.one_of(st.none(), rates))
    )
    lines = draw(
        st.lists(st.builds(BillLine, st.just("x"), st.integers(1, 5), cents, rates), min_size=1, max_size=4)
    )
    bill = make_bill(lines, CENT, policy, tip=draw(st.sampled_from([Decimal(0), Decimal("1.10")])))
    tender = draw(st.sampled_from(list(Tender)))
    return Sale(
        draw(st.integers(1, 10_000)),
        0,
        0 if tender is Tender.CASH else draw(st.integers(1, 10**9)),
        "",
        state=SaleState.PAID,
        currency="EUR",
        fiat_amount=bill.total,
        tip_fiat=bill.tip or None,
        tip_tax=bill.tip_tax,
        tip_tax_rate=bill.tip_rate,
        taxes=bill.rates if draw(st.booleans()) or bill.tip_tax else (),
        tender=tender,
        cashier_id=draw(st.sampled_from([None, 1, 2])),
    )


@given(st.lists(sales(), max_size=12), st.data())
def test_takings_sum_per_tender_and_per_cashier(paid, data):
    refunds = []
    for sale in paid:
        left = sale.fiat_amount
        for _ in range(data.draw(st.integers(0, 2))):
            amount = data.draw(st.integers(0, int(left / CENT)).map(lambda n: Decimal(n) * CENT))
            state = data.draw(st.sampled_from(list(RefundState)))
            if amount and amount <= refundable(sale.fiat_amount, [r for r, s in refunds if s is sale]):
                tender = (
                    Tender.CASH if sale.tender is Tender.CASH else data.draw(st.sampled_from(list(Tender)))
                )
                refunds.append(
                    (Refund(0, sale.id, "k", amount, 0, tender, RefundMode.RECORD, state, 0, 2), sale)
                )
    everything = tally(paid, refunds, lambda record, sale: "all")
    total = everything.get("all", Takings())
    gross = sum((s.fiat_amount for s in paid), Decimal(0))
    refunded = sum((r.amount for r, _ in refunds if r.counts), Decimal(0))
    assert total.subtotal + total.tax + total.tips - total.refunds == total.takings == gross - refunded
    for rate in total.taxes:
        assert rate.net + rate.tax == rate.gross
    for key in (lambda r, s: r.tender, lambda r, s: r.cashier_id):
        parts = tally(paid, refunds, key).values()
        assert sum((p.takings for p in parts), Decimal(0)) == total.takings
        assert sum((p.tax for p in parts), Decimal(0)) == total.tax
        for part in parts:
            assert part.subtotal + part.tax + part.tips - part.refunds == part.takings


def test_an_untaxed_sale_is_its_total_less_the_tip():
    sale = Sale(1, 0, 1000, "", state=SaleState.PAID, fiat_amount=Decimal("5.50"), tip_fiat=Decimal("0.50"))
    parts = of_sale(sale)
    assert (parts.subtotal, parts.tax, parts.tips, parts.takings) == (
        Decimal("5.00"),
        0,
        Decimal("0.50"),
        Decimal("5.50"),
    )
