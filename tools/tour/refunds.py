"""The tour's refund steps: part of the catalog sale back as a voucher, its QR and slip, the detail after."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.ui import routing, strings_refund
from tools.tour.admin_sale import open_cart_sale
from tools.tour.driving import Driver


def refund(d: Driver, shot: Callable[[str], None]) -> None:
    """From the admin area, back to the sale's detail: $2.00 of the cart with a tip goes back as a voucher."""
    _sale, detail = open_cart_sale(d, lambda screen: screen.can_refund, "the sale's Refund button")
    d.tap(d.get(routing.ADMIN_SALE, "refund"))
    d.wait_for_screen(routing.ADMIN_REFUND)
    form = d.app.root.get_screen(routing.ADMIN_REFUND)
    for k in ("2", "0", "0"):
        d.tap(form.keys[k])
    shot("29-refund")
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    d.wait_for_screen(routing.ADMIN_REFUND_DONE)
    done = d.app.root.get_screen(routing.ADMIN_REFUND_DONE)
    d.wait_until(lambda: d.get(routing.ADMIN_REFUND_DONE, "qr").module_px > 0, "the voucher's QR")
    d.wait_until(lambda: done.notice == strings_refund.REFUND_SLIP_PRINTED, "the refund slip")
    shot("30-refund-voucher")
    d.tap(d.get(routing.ADMIN_REFUND_DONE, "done"))
    d.wait_for_screen(routing.ADMIN_SALE)
    d.wait_until(lambda: strings_refund.DETAIL_REFUNDS in detail.body, "the sale with its refund")
    shot("31-sale-refunded")
