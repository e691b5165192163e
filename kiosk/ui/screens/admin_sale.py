"""One sale in full: amounts, rate, tender, items, proof, refunds, every state it went through."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.services.admin import SaleDetail
from kiosk.ui import admin_views, strings
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminSaleScreen(AdminScreen):
    title = StringProperty("")  # the sale's number
    body = StringProperty("")
    has_receipt = BooleanProperty(False)  # paid: its receipt can be shown and reprinted
    can_refund = BooleanProperty(
        False
    )  # paid, something left or unfinished to refund, and this kiosk refunds

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.sale_id: int | None = None

    def show_detail(self, detail: SaleDetail) -> None:
        self.sale_id = detail.sale.id
        self.notice = ""
        self.title = strings.SALE_NUMBER.format(sale_id=detail.sale.id)
        self.body = admin_views.sale_detail_text(detail, self.controller.admin.timezone)
        self.has_receipt = detail.sale.state.is_paid
        can = detail.left > 0 or detail.unfinished is not None
        self.can_refund = can and self.admin.refunds is not None

    def receipt(self) -> None:
        if self.sale_id is not None:
            self.admin.receipt(self.sale_id)

    def refund(self) -> None:
        if self.sale_id is not None and self.can_refund:
            self.admin.refunds.start(self.sale_id)
