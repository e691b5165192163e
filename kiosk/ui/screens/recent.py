"""Recent sales, no PIN: the last 20, and one looked up at the node now (for 'I already paid')."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from kivy.properties import StringProperty

from kiosk.domain.sale import Sale
from kiosk.services.recent import SaleNow
from kiosk.services.shifts import sale_amount
from kiosk.ui import admin_views, shop_views, strings
from kiosk.ui.screens.admin_history import SaleRow
from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)


class RecentScreen(KioskScreen):
    detail = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.rows: list[SaleRow] = []
        self._asked: int | None = None
        self._zone = controller.till.timezone

    def show_sales(self, sales: Sequence[Sale]) -> None:
        """The newest sales, read by a worker."""
        grid = self.ids.rows
        grid.clear_widgets()
        self.rows = []
        self.detail = strings.RECENT_PICK
        zone = ZoneInfo(self._zone)
        for sale in sales:
            row = admin_views.history_row(sale, zone)
            button = SaleRow.of(row, shop_views.recent_row_text(sale, self._zone))
            button.bind(on_release=lambda _b, sale_id=sale.id: self.ask(sale_id))
            grid.add_widget(button)
            self.rows.append(button)

    def ask(self, sale_id: int) -> None:
        self._asked = sale_id
        self.detail = strings.RECENT_ASKING
        self.controller.look_up(sale_id)

    def show_now(self, now: SaleNow) -> None:
        """The node's answer, on the UI thread; an answer for a sale tapped before is dropped."""
        if now.sale.id == self._asked:
            state, amount = admin_views.state_name(now.sale), sale_amount(now.sale)
            self.detail = shop_views.recent_detail(now, self._zone, state, amount)
