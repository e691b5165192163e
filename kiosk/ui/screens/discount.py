"""The discount panel, over the cart: a percentage or an amount off the order or one line, typed on keys.

It shows the total the discount makes before it is applied; Apply hands it to the discount flow
(`kiosk.ui.discount_flow`), which asks for a manager's PIN when it is above the shop's limit.
"""

from __future__ import annotations

from decimal import Decimal

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain.cart import Cart, Product
from kiosk.domain.discount import Discount, DiscountKind, amount, percent
from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import Currency
from kiosk.ui import cart_views, routing, strings_discount
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.viewmodels import amount_text
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)


class DiscountScreen(KioskScreen):
    title = StringProperty("")
    before = StringProperty("")
    typed = StringProperty("")  # "10%" or "$2.00"
    new_total = StringProperty("")
    note = StringProperty("")
    amount_label = StringProperty("")
    by_percent = BooleanProperty(True)
    can_apply = BooleanProperty(False)
    can_remove = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.keys = add_number_keys(self.ids.grid, self.press)
        self._unit: Currency = controller.till.currency
        self.amount_label = strings_discount.AMOUNT.format(symbol=self._unit.symbol)
        self.cart = Cart()
        self.product: Product | None = None
        self.limit = Decimal(0)
        self.entry = AmountEntry(cart_views.PERCENT_UNIT, Decimal(100))

    def offer(self, cart: Cart, product: Product | None, limit: Decimal) -> None:
        """The panel for `product`'s line (None: the whole order), with its discount if it has one."""
        self.cart, self.product, self.limit = cart, product, limit
        line = cart.line(product) if product is not None else None
        given = line.discount if line is not None else cart.discount
        self.can_remove = given is not None
        self.pick(given is None or given.kind is DiscountKind.PERCENT)
        if given is not None:
            digits = str(int(given.value.scaleb(self.entry.currency.decimals)))
            self._type(digits)

    def pick(self, by_percent: bool) -> None:
        """Percent or amount: the entry starts again, up to 100 % or up to what it is taken off."""
        self.by_percent = by_percent
        if by_percent:
            self.entry = AmountEntry(cart_views.PERCENT_UNIT, Decimal(100))
        else:
            base = cart_views.discount_base(self.cart, self.product, self._unit)
            self.entry = AmountEntry(self._unit, base)
        self._refresh()

    def preset(self, value: Decimal) -> None:
        self.pick(True)
        self._type(str(value))

    def press(self, key: str) -> None:
        self.entry = self.entry.press(key)
        self._refresh()

    @property
    def discount(self) -> Discount | None:
        if self.entry.is_empty:
            return None
        return percent(self.entry.value) if self.by_percent else amount(self.entry.value)

    def apply(self) -> None:
        if self.discount is not None:
            self.controller.discounts.apply(self.discount)

    def remove(self) -> None:
        self.controller.discounts.apply(None)

    def back(self) -> None:
        self.controller.show(routing.CATALOG)

    def _type(self, digits: str) -> None:
        for digit in digits:
            self.entry = self.entry.press(digit)
        self._refresh()

    def _refresh(self) -> None:
        value = self.entry.value
        self.typed = cart_views.percent_text(value) if self.by_percent else amount_text(value, self._unit)
        view = cart_views.discount_panel(self.cart, self.product, self.discount, self._unit, self.limit)
        self.title, self.before, self.new_total = view.title, view.before, view.new_total
        self.note = view.note
        self.can_apply = self.discount is not None
