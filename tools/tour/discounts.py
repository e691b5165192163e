"""The tour's discount steps, after the cashiers' (so no earlier screen changes): Ann, a cashier,
takes 10% off a line and $0.50 off the order, both within the limit a cashier may give alone.

Numbered 35-36: the cashier steps take 32-34.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.ui import routing, strings
from tools.tour.driving import Driver


def discounts(d: Driver, shot: Callable[[str], None]) -> None:
    """A cart of three, a line's discount, then the order's panel (35) and the cart it makes (36)."""
    d.tap(d.get(routing.KEYPAD, "products"))
    d.wait_for_screen(routing.CATALOG)
    catalog = d.app.root.get_screen(routing.CATALOG)
    catalog.clear()
    d.tap(catalog.tabs[strings.ALL_PRODUCTS])
    first, second, *_ = catalog.products
    for product in (first, first, second):
        d.tap(catalog.tiles[product])
    d.wait_until(lambda: catalog.cart.count == 3, "three in the cart")
    row = next(r for r in catalog.ids.lines.children if getattr(r, "product", None) == first)
    d.tap(row.ids.discount)
    d.wait_for_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "presets").children[-1])  # the first preset: 5%
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.CATALOG)

    d.tap(d.get(routing.CATALOG, "discount"))
    d.wait_for_screen(routing.DISCOUNT)
    panel = d.app.root.get_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "by_amount"))
    for key in "50":
        d.tap(panel.keys[key])
    d.wait_until(lambda: panel.can_apply and not panel.note, "$0.50 off, within the limit")
    shot("35-discount")
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.CATALOG)
    d.wait_until(lambda: catalog.cart.discount is not None and catalog.can_charge, "the discounted cart")
    shot("36-cart-discounted")
