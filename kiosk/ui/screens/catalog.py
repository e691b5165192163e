"""The catalog: products by category in a touch grid, and the cart beside them."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.domain.cart import Cart, Product
from kiosk.domain.discount import Discount
from kiosk.domain.money import Currency
from kiosk.ui import cart_views, strings, theme, viewmodels
from kiosk.ui.screens.base import RingUpScreen, kv_file
from kiosk.ui.widgets import FlatButton

KV = kv_file(__file__)


class ProductTile(ButtonBehavior, BoxLayout):
    """A product: its picture if it has one, name, price, and how many are in the cart."""

    product = ObjectProperty(None)
    name = StringProperty("")
    price = StringProperty("")
    image = StringProperty("")
    in_cart = NumericProperty(0)


class CartRow(BoxLayout):
    """One cart line with − and + to change its quantity, and Discount for one off it."""

    label = StringProperty("")
    amount = StringProperty("")
    discount = StringProperty("")  # "Discount 10%", under the line
    off = StringProperty("")  # "−$0.70"
    product = ObjectProperty(None)
    screen = ObjectProperty(None)


class CatalogScreen(RingUpScreen):
    category = StringProperty("")
    cart_empty = BooleanProperty(True)  # nothing to take a discount off
    order_discount = StringProperty("")  # "Discount on the order 10%", over the total
    order_off = StringProperty("")  # "−$1.05"

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        till = controller.till
        self._unit: Currency = till.currency
        self._payment = till.payment
        self.products: tuple[Product, ...] = till.catalog
        self.cart = Cart()
        self.tiles: dict[Product, ProductTile] = {}
        self.tabs: dict[str, FlatButton] = {}
        categories = list(dict.fromkeys(p.category for p in self.products if p.category))
        for name in [strings.ALL_PRODUCTS, *categories] if len(categories) > 1 else []:
            tab = Factory.CategoryTab(text=name)
            tab.bind(on_release=lambda _b, c=name: self.pick_category(c))
            self.tabs[name] = tab
            self.ids.categories.add_widget(tab)
        for product in self.products:
            tile = ProductTile(
                product=product,
                name=product.name,
                price=viewmodels.amount_text(product.price, self._unit),
                image=str(product.image or ""),
            )
            tile.bind(on_release=lambda _t, p=product: self.add(p))
            self.tiles[product] = tile
        self.pick_category(strings.ALL_PRODUCTS)

    def pick_category(self, category: str) -> None:
        self.category = category
        for name, tab in self.tabs.items():
            tab.fill = theme.KEY_PRESSED if name == category else theme.SURFACE
            tab.color = theme.ACCENT if name == category else theme.TEXT
        grid = self.ids.products
        grid.clear_widgets()
        for product, tile in self.tiles.items():
            if category == strings.ALL_PRODUCTS or product.category == category:
                grid.add_widget(tile)

    def add(self, product: Product) -> None:
        self.cart = self.cart.add(product)
        self.refresh()

    def remove(self, product: Product) -> None:
        self.cart = self.controller.discounts.after_removal(self.cart.remove(product), product)
        self.refresh()

    def set_discount(self, discount: Discount | None, product: Product | None = None) -> None:
        """The order's discount, or `product`'s line's (None: removed), as the discount flow decided."""
        self.cart = self.cart.with_discount(discount, product)
        self.refresh()

    def clear(self) -> None:
        self.cart = Cart()
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.cart_empty = self.cart.is_empty
        for product, tile in self.tiles.items():
            tile.in_cart = self.cart.quantity(product)
        rows = self.ids.lines
        rows.clear_widgets()
        for line, row in zip(self.cart.lines, cart_views.cart_rows(self.cart, self._unit), strict=True):
            rows.add_widget(
                CartRow(
                    label=row.label,
                    amount=row.amount,
                    discount=row.discount,
                    off=row.off,
                    product=line.product,
                    screen=self,
                )
            )
        self.order_discount, self.order_off = cart_views.order_row(self.cart, self._unit) or ("", "")

    def amount_view(self) -> viewmodels.KeypadView:
        rates = self.controller.till.rates
        return cart_views.cart_view(
            self.cart,
            self._unit,
            rates.current(),
            rates.status(),
            self._payment.max_sats,
            self.controller.till.tax,
        )
