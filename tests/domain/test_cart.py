from decimal import Decimal

from kiosk.domain.cart import MAX_QUANTITY, Cart, Product, memo_for
from kiosk.domain.sale import SaleItem

LATTE = Product("Latte", Decimal("3.50"), "Coffee")
CROISSANT = Product("Croissant", Decimal("3.20"), "Bakery")


def test_adding_counts_quantities_and_keeps_first_tap_order():
    cart = Cart().add(LATTE).add(CROISSANT).add(LATTE)
    assert [(line.product.name, line.quantity) for line in cart.lines] == [("Latte", 2), ("Croissant", 1)]
    assert cart.total == Decimal("10.20")
    assert cart.count == 3


def test_removing_the_last_one_drops_the_line():
    cart = Cart().add(LATTE).add(CROISSANT).remove(LATTE)
    assert [line.product for line in cart.lines] == [CROISSANT]
    assert cart.remove(CROISSANT).is_empty
    assert Cart().remove(LATTE) == Cart()


def test_a_line_stops_at_the_maximum_quantity():
    cart = Cart()
    for _ in range(MAX_QUANTITY + 5):
        cart = cart.add(LATTE)
    assert cart.quantity(LATTE) == MAX_QUANTITY


def test_items_keep_unit_prices_exact():
    cart = Cart().add(LATTE).add(LATTE)
    assert cart.items(Decimal("0.01")) == (SaleItem("Latte", 2, Decimal("3.50")),)
    assert cart.items(Decimal("0.01"))[0].total == Decimal("7.00")


def test_memo_lists_items_and_is_cut_to_fit_wallets():
    items = Cart().add(LATTE).add(LATTE).add(CROISSANT).items(Decimal("0.01"))
    assert memo_for("Demo Café", items) == "Demo Café: 2× Latte, 1× Croissant"
    assert memo_for("Demo Café", ()) == "Demo Café"
    long = memo_for("Shop", tuple(SaleItem(f"Item {i}", 1, Decimal(1)) for i in range(50)), limit=40)
    assert len(long) <= 40 and long.endswith("…")
    assert long.startswith("Shop: 1× Item 0, 1× Item 1")
