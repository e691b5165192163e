"""The tour's way into the catalog sale's detail (items and a tip), for the receipt and refund steps."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.sale import Sale
from kiosk.ui import routing
from tools.tour.driving import Driver


def open_cart_sale(d: Driver, ready: Callable[[object], bool], what: str) -> tuple[Sale, object]:
    """Open the sale with items and a tip from the admin area; wait until `ready(detail screen)`."""
    sale = next(s for s in d.services.ledger.search(limit=100) if s.items and s.tip_msat)
    d.app.controller.admin.open_sale(sale.id)  # the tap on its row, wherever the row is
    detail = d.app.root.get_screen(routing.ADMIN_SALE)
    d.wait_until(lambda: detail.sale_id == sale.id and ready(detail), what)
    return sale, detail
