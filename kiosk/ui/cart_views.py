"""What the cart and the discount panel show, computed from the cart. Pure: no Kivy.

A discount off one line follows its quantity (a percentage) or stays as typed (an amount, never more
than the line); the order's discount comes off what the lines cost after their own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from kiosk.config import TaxConfig
from kiosk.domain.cart import Cart, Product
from kiosk.domain.discount import Discount, DiscountKind
from kiosk.domain.money import Currency, Rate
from kiosk.domain.pricing import Order
from kiosk.services.rates import RateStatus
from kiosk.ui import strings, strings_discount, viewmodels
from kiosk.ui.viewmodels import NO_TAX, amount_text

PERCENT_UNIT = Currency("%", 0, "%")  # the panel's entry for a percentage: whole numbers up to 100
PRESETS = (Decimal(5), Decimal(10), Decimal(20))


def order_for(cart: Cart, unit: Currency, tax: TaxConfig = NO_TAX) -> Order:
    """The cart as the order Charge rings up: its lines, their discounts and the order's."""
    return Order(cart.total, unit, cart.items(unit.quantum), tax.policy, tax.rate, cart.discount)


def after_discounts(cart: Cart, unit: Currency) -> Decimal:
    """What the cart costs with every discount off (before any tax added on top)."""
    return order_for(cart, unit).discounted


def cart_view(
    cart: Cart, unit: Currency, rate: Rate | None, status: RateStatus, max_sats: int, tax: TaxConfig = NO_TAX
) -> viewmodels.KeypadView:
    """The cart's total after its discounts, its equivalent, and whether it can be charged."""
    note = viewmodels.rate_note(rate, status) if rate is not None or not unit.is_sats else ""
    return viewmodels.amount_view(
        order_for(cart, unit, tax), after_discounts(cart, unit), rate, max_sats, note, strings.CART_EMPTY
    )


@dataclass(frozen=True)
class CartRowView:
    label: str  # "2× Latte"
    amount: str  # the line before its discount
    discount: str = ""  # "Discount 10%", or "" for none
    off: str = ""  # "−$0.70"


def percent_text(value: Decimal) -> str:
    return strings.TIP_PERCENT.format(percent=f"{value.normalize():f}")


def _off_label(discount: Discount, with_percent: str, plain: str) -> str:
    if discount.kind is DiscountKind.PERCENT:
        return with_percent.format(percent=percent_text(discount.value))
    return plain


def cart_rows(cart: Cart, unit: Currency) -> list[CartRowView]:
    """One row per cart line, its discount under it."""
    rows = []
    for line in cart.lines:
        label, amount = f"{line.quantity}× {line.product.name}", amount_text(line.total, unit)
        if line.discount is None:
            rows.append(CartRowView(label, amount))
            continue
        named = _off_label(line.discount, strings_discount.LINE_OFF, strings_discount.LINE_OFF_AMOUNT)
        rows.append(CartRowView(label, amount, named, "−" + amount_text(line.off(unit.quantum), unit)))
    return rows


def order_row(cart: Cart, unit: Currency) -> tuple[str, str] | None:
    """('Discount on the order 10%', '−$1.05'), or None without an order discount."""
    if cart.discount is None or not cart.lines:
        return None
    off = order_for(cart, unit).bill().order_discount
    named = _off_label(cart.discount, strings_discount.ORDER_OFF, strings_discount.ORDER_OFF_AMOUNT)
    return named, "−" + amount_text(off, unit)


def discount_base(cart: Cart, product: Product | None, unit: Currency) -> Decimal:
    """What a discount is taken off: the line, or the order after its lines' own discounts."""
    if product is not None:
        line = cart.line(product)
        return line.total if line else Decimal(0)
    return cart.total - sum((line.off(unit.quantum) for line in cart.lines), Decimal(0))


class Over(enum.Enum):
    """Whether a cashier may give a discount alone, and if not, why not."""

    NOT = "not"
    ITSELF = "itself"  # above the limit of what it is taken off
    TOGETHER = "together"  # within it, but the cart's unapproved discounts together are above it


def over_limit(
    cart: Cart, product: Product | None, discount: Discount | None, unit: Currency, limit: Decimal
) -> Over:
    """`discount` for `product`'s line (None: the order) against the limit a cashier may give."""
    if discount is None or discount.approved:
        return Over.NOT
    if discount.needs_approval(discount_base(cart, product, unit), unit.quantum, limit):
        return Over.ITSELF
    together = cart.with_discount(discount, product).above_limit(limit, unit.quantum)
    return Over.TOGETHER if together else Over.NOT


def outgrown(cart: Cart, product: Product, unit: Currency, limit: Decimal) -> Cart:
    """The cart after one `product` fewer: an amount off its line or off the order that is now a
    larger share than a cashier may give, was given for a bigger cart, so it goes (asked for again).
    So does the order's unapproved discount once the cart's unapproved discounts together are above
    the limit: the lines' own are each within it, so what is left is too.
    """
    line = cart.line(product)
    if line is not None and _outgrown(line.discount, line.total, unit, limit):
        cart = cart.with_discount(None, product)
    if _outgrown(cart.discount, discount_base(cart, None, unit), unit, limit):
        cart = cart.with_discount(None)
    if cart.discount is not None and not cart.discount.approved and cart.above_limit(limit, unit.quantum):
        cart = cart.with_discount(None)
    return cart


def _outgrown(discount: Discount | None, base: Decimal, unit: Currency, limit: Decimal) -> bool:
    return (
        discount is not None
        and discount.kind is DiscountKind.AMOUNT
        and discount.needs_approval(base, unit.quantum, limit)
    )


@dataclass(frozen=True)
class DiscountPanelView:
    title: str
    before: str
    new_total: str
    needs_approval: bool
    note: str  # the limit, when this discount is above it


def discount_panel(
    cart: Cart, product: Product | None, discount: Discount | None, unit: Currency, limit: Decimal
) -> DiscountPanelView:
    """The panel for the order (`product` None) or a line, with `discount` as typed so far."""
    line = cart.line(product) if product is not None else None
    if line is None:
        title = strings_discount.TITLE_ORDER
    else:
        title = strings_discount.TITLE_LINE.format(line=f"{line.quantity}× {line.product.name}")
    base = discount_base(cart, product, unit)
    after = after_discounts(cart.with_discount(discount, product), unit)
    over = over_limit(cart, product, discount, unit, limit)
    return DiscountPanelView(
        title,
        strings_discount.BEFORE.format(amount=amount_text(base, unit)),
        strings_discount.NEW_TOTAL.format(amount=amount_text(after, unit)),
        over is not Over.NOT,
        over_note(over, limit),
    )


def over_note(over: Over, limit: Decimal) -> str:
    """The panel's note: why a manager approves (read when shown, in the language of the moment)."""
    if over is Over.NOT:
        return ""
    text = strings_discount.NEEDS_MANAGER if over is Over.ITSELF else strings_discount.NEEDS_MANAGER_TOGETHER
    return text.format(limit=f"{limit.normalize():f}")
