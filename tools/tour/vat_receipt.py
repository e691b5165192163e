"""The tour's VAT receipt: the catalog sale's receipt on screen as it printed: net, tax per rate, gross."""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.scrollview import ScrollView

from kiosk.services.receipts import receipt_for, receipt_lines
from kiosk.ui import routing
from tools.tour.admin_sale import open_cart_sale
from tools.tour.driving import Driver


def _scroll_to_items(d: Driver, paper: ScrollView, lines: list[str]) -> None:
    """Scroll as the owner would, to the items and the money (net, tax per rate, gross) below them:
    the line before the items at the view's top, its place taken from its share of the lines."""
    image = paper.children[0]
    overflow = image.height - paper.height
    if overflow <= 0:
        return  # the whole receipt is in view
    first_item = next(i for i, line in enumerate(lines) if "×" in line)
    offset = image.height * (first_item - 1) / len(lines)
    paper.scroll_y = max(0.0, 1 - offset / overflow)
    d.frames(2)


def vat_receipt(d: Driver, shot: Callable[[str], None]) -> None:
    """From the admin area: the cart with a tip, its Receipt, and Back to its detail."""
    sale, detail = open_cart_sale(d, lambda screen: screen.has_receipt, "the sale's Receipt button")
    d.tap(d.get(routing.ADMIN_SALE, "receipt"))
    d.wait_for_screen(routing.ADMIN_RECEIPT)
    paper = d.get(routing.ADMIN_RECEIPT, "paper")
    d.wait_until(lambda: paper.texture is not None, "the receipt drawn")
    d.settle()
    _scroll_to_items(
        d, paper, receipt_lines(receipt_for(sale, d.services.config.shop), d.services.admin.paper.columns)
    )
    shot("37-receipt-vat")
    d.tap(d.get(routing.ADMIN_RECEIPT, "back"))
    d.wait_until(lambda: d.screen == routing.ADMIN_SALE and detail.sale_id == sale.id, "back to the sale")
