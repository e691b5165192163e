"""A cart built from catalog products: quantities, discounts, total and the invoice memo. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TypeGuard

from kiosk.domain.discount import Discount, DiscountKind
from kiosk.domain.sale import SaleItem

# BOLT11 descriptions may be 639 bytes; wallets show far less, so keep memos short.
MEMO_LIMIT = 160
MAX_QUANTITY = 99


@dataclass(frozen=True)
class Product:
    """A catalog product; `price` is in the shop currency (whole sats in a sats-only shop)."""

    name: str
    price: Decimal
    category: str = ""
    image: Path | None = None
    tax_rate: Decimal = Decimal(0)  # percent


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int
    discount: Discount | None = None  # off this line; a percentage follows the quantity

    @property
    def total(self) -> Decimal:
        return self.product.price * self.quantity

    def off(self, quantum: Decimal) -> Decimal:
        """What this line's discount takes off it now."""
        return self.discount.off(self.total, quantum) if self.discount else Decimal(0)


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...] = ()
    discount: Discount | None = None  # off the whole order, after the lines' own

    def add(self, product: Product) -> Cart:
        """One more of `product`; a line stops at 99 so a stuck finger cannot run up a bill."""
        return self._with(product, min(MAX_QUANTITY, self.quantity(product) + 1))

    def remove(self, product: Product) -> Cart:
        """One fewer of `product`; the line goes at zero."""
        return self._with(product, max(0, self.quantity(product) - 1))

    def quantity(self, product: Product) -> int:
        line = self.line(product)
        return line.quantity if line else 0

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def line(self, product: Product) -> CartLine | None:
        return next((line for line in self.lines if line.product == product), None)

    def with_discount(self, discount: Discount | None, product: Product | None = None) -> Cart:
        """The order's discount, or `product`'s line's (None: the discount removed)."""
        if product is None:
            return replace(self, discount=discount)
        lines = (replace(line, discount=discount) if line.product == product else line for line in self.lines)
        return replace(self, lines=tuple(lines))

    def unapproved_off(self, quantum: Decimal) -> Decimal:
        """What the discounts no manager approved take off together, the order's after the lines'."""
        offs = [(line.off(quantum), line.discount) for line in self.lines]
        lines = sum((off for off, discount in offs if _unapproved(discount)), Decimal(0))
        if self.discount is None or self.discount.approved:
            return lines
        return lines + self.discount.off(self.total - sum((off for off, _ in offs), Decimal(0)), quantum)

    def above_limit(self, limit_percent: Decimal, quantum: Decimal) -> bool:
        """The discounts no manager approved take more than `limit_percent` of the cart together. A
        percentage counts as given: its rounding to the quantum (half of one at most) is the shop's.
        """
        given = (self.discount, *(line.discount for line in self.lines))
        percents = sum(1 for d in given if _unapproved(d) and d.kind is DiscountKind.PERCENT)
        return (self.unapproved_off(quantum) - quantum / 2 * percents) * 100 > limit_percent * self.total

    def items(self, quantum: Decimal) -> tuple[SaleItem, ...]:
        """The sale's lines, each with what its own discount takes off (in whole `quantum`)."""
        return tuple(
            SaleItem(
                line.product.name, line.quantity, line.product.price, line.product.tax_rate, line.off(quantum)
            )
            for line in self.lines
        )

    def _with(self, product: Product, quantity: int) -> Cart:
        if self.line(product) is None:
            return replace(self, lines=(*self.lines, CartLine(product, quantity))) if quantity else self
        lines = (replace(line, quantity=quantity) if line.product == product else line for line in self.lines)
        kept = tuple(line for line in lines if line.quantity)
        return Cart(kept, self.discount if kept else None)  # the last line gone takes the order's discount


def _unapproved(discount: Discount | None) -> TypeGuard[Discount]:
    return discount is not None and not discount.approved


def memo_for(
    shop_name: str, items: tuple[SaleItem, ...], limit: int = MEMO_LIMIT, separator: str = ", "
) -> str:
    """'Demo Café: 2× Latte, 1× Croissant', cut to `limit` characters with '…'.

    `separator` goes between the items: the language's own (i18n.list_separator(): "、" in Chinese).
    """
    if not items:
        return shop_name
    text = f"{shop_name}: " + separator.join(f"{item.quantity}× {item.name}" for item in items)
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ," + separator) + "…"
