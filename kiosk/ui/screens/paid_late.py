"""The alarm for money that arrived after the kiosk gave up on a sale: never missed, never silent."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.domain.sale import Sale
from kiosk.ui import viewmodels
from kiosk.ui.screens.base import PaidSaleScreen, kv_file

KV = kv_file(__file__)


class PaidLateScreen(PaidSaleScreen):
    body = StringProperty("")
    sale_id = None

    def show_sale(self, sale: Sale) -> None:
        self.sale_id = sale.id
        self.body = viewmodels.paid_late_body(sale)
        super().show_sale(sale)

    def on_leave(self, *_: object) -> None:
        self.sale_id = None
