"""The catalog: products by category in a touch grid, and the cart beside them."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.domain.cart import Cart, Product
from kiosk.domain.money import Currency
from kiosk.ui import routing, strings, theme, viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.screens.keypad import RATE_REFRESH_S
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
    """One cart line with − and + to change its quantity."""

    label = StringProperty("")
    amount = StringProperty("")
    product = ObjectProperty(None)
    screen = ObjectProperty(None)


class CatalogScreen(KioskScreen):
    amount = StringProperty("")
    equivalent = StringProperty("")
    rate_note = StringProperty("")
    problem = StringProperty("")
    can_charge = BooleanProperty(False)
    category = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        services = controller.services
        self._unit: Currency = services.currency
        self._payment = services.config.payment
        self.products: tuple[Product, ...] = services.catalog
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
        self._ticker = Clock.schedule_interval(lambda _dt: self.refresh(), RATE_REFRESH_S)
        self._ticker.cancel()

    def on_pre_enter(self, *_: object) -> None:
        self.refresh()
        self._ticker()

    def on_leave(self, *_: object) -> None:
        self._ticker.cancel()

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
        self.cart = self.cart.remove(product)
        self.refresh()

    def clear(self) -> None:
        self.cart = Cart()
        self.refresh()

    def charge(self) -> None:
        view = self._view()
        if view.order is not None:
            self.controller.ring_up(view.order, routing.CATALOG)

    def refresh(self) -> None:
        view = self._view()
        self.amount, self.equivalent, self.rate_note = view.amount, view.equivalent, view.rate_note
        self.problem, self.can_charge = view.problem, view.can_charge
        for product, tile in self.tiles.items():
            tile.in_cart = self.cart.quantity(product)
        rows = self.ids.lines
        rows.clear_widgets()
        for line, (label, amount) in zip(
            self.cart.lines, viewmodels.cart_lines(self.cart, self._unit), strict=True
        ):
            rows.add_widget(CartRow(label=label, amount=amount, product=line.product, screen=self))

    def _view(self) -> viewmodels.KeypadView:
        rates = self.controller.services.rates
        return viewmodels.cart_view(
            self.cart, self._unit, rates.current(), rates.status(), self._payment.max_sats
        )
