"""The cart's discounts on screen and the discount panel: what they show, and when a manager approves."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.domain.cart import Cart, Product
from kiosk.domain.discount import DiscountKind, amount, percent
from kiosk.domain.money import currency
from kiosk.ui import cart_views, strings_discount

USD = currency("USD")
CENT = Decimal("0.01")
LATTE = Product("Latte", Decimal("3.50"), "Coffee")
BAGEL = Product("Bagel", Decimal("2.25"), "Bakery")
CART = Cart().add(LATTE).add(LATTE).add(BAGEL)  # $9.25


def test_a_line_discount_shows_under_its_line_and_follows_its_quantity():
    cart = CART.with_discount(percent(10), LATTE)
    rows = cart_views.cart_rows(cart, USD)
    assert rows[0] == cart_views.CartRowView("2× Latte", "$7.00", "Discount 10%", "−$0.70")
    assert rows[1] == cart_views.CartRowView("1× Bagel", "$2.25")
    assert cart_views.after_discounts(cart, USD) == Decimal("8.55")
    assert cart_views.cart_rows(cart.remove(LATTE), USD)[0].off == "−$0.35"


def test_the_order_discount_comes_off_after_the_lines_own():
    cart = CART.with_discount(amount("1.00"), LATTE).with_discount(percent(20))
    assert cart_views.order_row(cart, USD) == ("Discount on the order 20%", "−$1.65")
    order = cart_views.order_for(cart, USD)
    assert order.discounted == Decimal("6.60")
    assert [i.discount for i in order.items] == [Decimal("1.00"), Decimal(0)]
    assert cart_views.order_row(CART, USD) is None


def test_the_last_line_gone_takes_the_order_discount():
    cart = Cart().add(BAGEL).with_discount(percent(5)).remove(BAGEL)
    assert cart.discount is None and cart_views.after_discounts(cart, USD) == 0


def test_the_panel_shows_the_new_total_and_asks_for_a_manager_above_the_limit():
    panel = cart_views.discount_panel(CART, None, percent(10), USD, Decimal(10))
    assert panel.title == strings_discount.TITLE_ORDER
    assert (panel.before, panel.new_total) == ("Before the discount $9.25", "New total $8.32")
    assert not panel.needs_approval and panel.note == ""
    line = cart_views.discount_panel(CART, BAGEL, amount("0.25"), USD, Decimal(10))
    assert line.title == "Discount on 1× Bagel" and line.before == "Before the discount $2.25"
    assert line.needs_approval and line.note == strings_discount.NEEDS_MANAGER.format(limit="10")


cents = st.integers(1, 100_000).map(lambda n: Decimal(n) * CENT)


@given(cents, cents, st.integers(0, 100).map(Decimal))
def test_an_amount_needs_approval_exactly_when_its_share_is_above_the_limit(base, cut, limit):
    needs = amount(cut).needs_approval(base, CENT, limit)
    assert needs == (min(cut, base) / base * 100 > limit)
    if needs:  # a larger amount off the same base never needs less
        assert amount(cut + CENT).needs_approval(base, CENT, limit)


def test_an_amount_off_outgrows_a_smaller_cart_and_goes_a_percentage_stays():
    cart = CART.with_discount(amount("0.70"), LATTE).with_discount(amount("0.90"))  # 10% of $7.00; of $8.55
    fewer = cart.remove(LATTE)  # $0.70 of $3.50 is 20%, $0.90 of $4.85 is 19%: above 10%
    assert cart_views.outgrown(fewer, LATTE, USD, Decimal(10)) == fewer.with_discount(
        None, LATTE
    ).with_discount(None)
    kept = CART.with_discount(percent(10), LATTE).with_discount(amount("0.10")).remove(LATTE)
    assert cart_views.outgrown(kept, LATTE, USD, Decimal(10)) == kept


def test_discounts_within_the_limit_alone_need_a_manager_together():
    lined = CART.with_discount(percent(10), LATTE)  # $0.70 off $9.25
    assert cart_views.over_limit(lined, None, percent(10), USD, Decimal(10)) is cart_views.Over.TOGETHER
    panel = cart_views.discount_panel(lined, None, percent(10), USD, Decimal(10))
    assert panel.needs_approval and panel.note == strings_discount.NEEDS_MANAGER_TOGETHER.format(limit="10")
    assert (
        cart_views.over_limit(lined, None, percent(2), USD, Decimal(10)) is cart_views.Over.NOT
    )  # $0.70+$0.17
    approved = CART.with_discount(replace(percent(20), approved=True), LATTE)  # a manager's $1.40
    assert cart_views.over_limit(approved, None, percent(10), USD, Decimal(10)) is cart_views.Over.NOT
    assert cart_views.over_limit(CART, BAGEL, amount("0.25"), USD, Decimal(10)) is cart_views.Over.ITSELF


def test_the_order_discount_goes_when_a_smaller_cart_puts_the_discounts_together_above_the_limit():
    cart = CART.with_discount(percent(10), LATTE).with_discount(percent(2))  # $0.70 + $0.17 of $9.25
    fewer = cart.remove(BAGEL)  # $0.70 + $0.13 of $7.00: above 10%
    assert cart_views.outgrown(fewer, BAGEL, USD, Decimal(10)) == fewer.with_discount(None)
    approved = CART.with_discount(percent(10), LATTE).with_discount(replace(percent(2), approved=True))
    assert cart_views.outgrown(approved.remove(BAGEL), BAGEL, USD, Decimal(10)) == approved.remove(BAGEL)


PRODUCTS = (
    LATTE,
    BAGEL,
    Product("Tea", Decimal("0.05"), "Drinks"),
    Product("Cake", Decimal("14.90"), "Bakery"),
)
discounts = st.builds(
    lambda by_percent, n: percent(n % 31) if by_percent else amount(Decimal(n) * CENT),
    st.booleans(),
    st.integers(0, 600),
)
steps = st.lists(
    st.tuples(
        st.sampled_from(("add", "remove", "discount")),
        st.sampled_from((None, *PRODUCTS)),
        discounts,
        st.booleans(),
    ),
    max_size=25,
)


@example(  # $0.70 + $0.17 of $9.25, then of $7.00 once the bagel goes
    [
        ("add", LATTE, None, False),
        ("add", LATTE, None, False),
        ("add", BAGEL, None, False),
        ("discount", LATTE, percent(10), False),
        ("discount", None, percent(2), False),
        ("remove", BAGEL, None, False),
    ],
    Decimal(10),
)
@settings(max_examples=400)
@given(steps, st.integers(0, 30).map(Decimal))
def test_a_cashier_alone_never_takes_more_than_the_limit_off_a_cart(actions, limit):
    """Whatever a cashier adds, removes or discounts, what the discounts no manager approved take off
    together stays within the limit, but for each percentage's rounding to the cent (half at most).
    """
    cart = Cart()
    for action, product, discount, manager_approves in actions:
        if action == "add" and product is not None:
            cart = cart.add(product)
        elif action == "remove" and product is not None and cart.line(product) is not None:
            cart = cart_views.outgrown(cart.remove(product), product, USD, limit)
        elif action == "discount" and (product is None or cart.line(product) is not None) and cart.lines:
            if cart_views.over_limit(cart, product, discount, USD, limit) is cart_views.Over.NOT:
                cart = cart.with_discount(discount, product)
            elif manager_approves:
                cart = cart.with_discount(replace(discount, approved=True), product)
        given = (cart.discount, *(line.discount for line in cart.lines))
        percents = sum(1 for d in given if d and not d.approved and d.kind is DiscountKind.PERCENT)
        assert cart.unapproved_off(CENT) <= limit * cart.total / 100 + CENT / 2 * percents
