"""Bills, taxes and discounts: worked examples, and properties that the parts always sum to the totals."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.bill import BillLine, make_bill
from kiosk.domain.discount import Discount, DiscountKind, allocate, amount, percent
from kiosk.domain.tax import Rounding, TaxPolicy, split

CENT = Decimal("0.01")
VAT = TaxPolicy(included=True)


def test_vat_included_is_split_out_of_the_price():
    bill = make_bill([BillLine("Latte", 2, Decimal("3.80"), Decimal(19))], CENT, VAT)
    (rate,) = bill.rates
    assert (rate.net, rate.tax, rate.gross) == (Decimal("6.39"), Decimal("1.21"), Decimal("7.60"))
    assert bill.total == Decimal("7.60")


def test_sales_tax_is_added_on_top():
    bill = make_bill(
        [BillLine("Bagel", 1, Decimal("4.00"), Decimal("8.875"))], CENT, TaxPolicy(included=False)
    )
    assert (bill.subtotal, bill.tax, bill.total) == (Decimal("4.00"), Decimal("0.36"), Decimal("4.36"))


def test_rounding_per_line_and_per_receipt_can_differ_by_a_cent():
    lines = [BillLine(f"Item {n}", 1, Decimal("0.05"), Decimal(10)) for n in range(3)]
    per_line = make_bill(lines, CENT, TaxPolicy(included=False, rounding=Rounding.LINE))
    per_receipt = make_bill(lines, CENT, TaxPolicy(included=False, rounding=Rounding.RECEIPT))
    assert per_line.tax == Decimal("0.03")  # 0.005 rounds up on each of three lines
    assert per_receipt.tax == Decimal("0.02")  # 0.015 once


def test_tip_tax_is_in_the_tax_and_out_of_the_tip():
    bill = make_bill(
        [BillLine("Meal", 1, Decimal("20.00"), Decimal(10))],
        CENT,
        TaxPolicy(tip_rate=Decimal(10)),
        tip=Decimal("2.20"),
    )
    assert (bill.tip_tax, bill.tips) == (Decimal("0.20"), Decimal("2.00"))
    assert [(r.rate, r.net, r.tax) for r in bill.tax_by_rate] == [
        (Decimal(10), Decimal("20.18"), Decimal("2.02"))
    ]


def test_discounts_off_a_line_and_the_order():
    lines = [
        BillLine("Cake", 1, Decimal("5.00"), Decimal(7), percent(10)),
        BillLine("Tea", 1, Decimal("3.00"), Decimal(19)),
    ]
    bill = make_bill(lines, CENT, VAT, order_discount=amount("1.00"))
    assert bill.line_discounts == (Decimal("0.50"), Decimal("0.00"))
    assert bill.discount == Decimal("1.50") and bill.total == Decimal("6.50")


def test_a_discount_never_takes_more_than_the_amount():
    assert amount("9.00").off(Decimal("4.00"), CENT) == Decimal("4.00")
    with pytest.raises(ValueError):
        percent(101)
    with pytest.raises(ValueError):
        Discount(DiscountKind.AMOUNT, Decimal(-1))


rates = st.sampled_from([Decimal(0), Decimal(5), Decimal("7.7"), Decimal(19), Decimal("8.875"), Decimal(25)])
cents = st.integers(0, 500_00).map(lambda n: Decimal(n) * CENT)
discounts = st.one_of(
    st.none(),
    st.integers(0, 100).map(percent),
    cents.map(lambda c: Discount(DiscountKind.AMOUNT, c)),
)
lines = st.builds(BillLine, st.just("x"), st.integers(1, 20), cents, rates, discounts)
policies = st.builds(TaxPolicy, st.booleans(), st.sampled_from(list(Rounding)), st.one_of(st.none(), rates))


@given(st.lists(lines, min_size=1, max_size=8), policies, discounts, cents)
def test_parts_always_sum_to_the_total(bill_lines, policy, order_discount, tip):
    bill = make_bill(bill_lines, CENT, policy, order_discount, tip)
    for rate in (*bill.rates, *bill.tax_by_rate):
        assert rate.net + rate.tax == rate.gross
        assert rate.tax >= 0 and rate.net >= 0
    assert bill.subtotal + bill.tax + bill.tips == bill.total
    assert (
        sum(r.net + r.tax for r in bill.tax_by_rate) + (0 if policy.tip_rate is not None else tip)
        == bill.total
    )
    assert sum(line.amount for line in bill_lines) - bill.discount == bill.subtotal + (
        bill.tax - bill.tip_tax if policy.included else 0
    )
    for value in (bill.total, bill.tax, bill.subtotal, bill.discount):
        assert value == value.quantize(CENT)


@given(cents, st.lists(cents, min_size=1, max_size=10))
def test_an_order_discount_is_shared_exactly(total, amounts):
    whole = sum(amounts, Decimal(0))
    total = min(total, whole)
    shares = allocate(total, amounts, CENT)
    assert sum(shares, Decimal(0)) == total
    assert all(0 <= s <= a for s, a in zip(shares, amounts, strict=True))


@given(cents, rates, st.booleans())
def test_split_keeps_every_cent(value, rate, included):
    part = split(value, rate, included, CENT)
    assert part.net + part.tax == part.gross == (value if included else value + part.tax)
