"""A cart built from catalog products: quantities, total and the invoice memo. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

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

    @property
    def total(self) -> Decimal:
        return self.product.price * self.quantity


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...] = ()

    def add(self, product: Product) -> Cart:
        """One more of `product`; a line stops at 99 so a stuck finger cannot run up a bill."""
        return self._with(product, min(MAX_QUANTITY, self.quantity(product) + 1))

    def remove(self, product: Product) -> Cart:
        """One fewer of `product`; the line goes at zero."""
        return self._with(product, max(0, self.quantity(product) - 1))

    def quantity(self, product: Product) -> int:
        return next((line.quantity for line in self.lines if line.product == product), 0)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def items(self) -> tuple[SaleItem, ...]:
        return tuple(
            SaleItem(line.product.name, line.quantity, line.product.price, line.product.tax_rate)
            for line in self.lines
        )

    def _with(self, product: Product, quantity: int) -> Cart:
        if not any(line.product == product for line in self.lines):
            return Cart((*self.lines, CartLine(product, quantity))) if quantity else self
        lines = (replace(line, quantity=quantity) if line.product == product else line for line in self.lines)
        return Cart(tuple(line for line in lines if line.quantity))


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
