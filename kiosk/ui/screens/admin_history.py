"""Sales history: every sale in every state, searched and paged, newest first."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ColorProperty, StringProperty

from kiosk.services.admin import HistoryPage
from kiosk.ui import admin_views, theme
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file
from kiosk.ui.widgets import FlatButton

KV = kv_file(__file__)


class SaleRow(FlatButton):
    """One sale in the list: number, time, what was sold, then amount, sats and state; a tap opens it."""

    amount = StringProperty("")
    sats = StringProperty("")
    status = StringProperty("")
    status_color = ColorProperty(theme.MUTED)
    paid = BooleanProperty(False)  # bold amount
    quiet = BooleanProperty(False)  # failed, expired, cancelled: muted

    @classmethod
    def of(cls, row: admin_views.HistoryRow, left: str | None = None) -> SaleRow:
        """The row for `row`; `left` replaces its left-hand text (the Recent screen's own)."""
        colour = theme.ALARM if row.late else theme.SUCCESS if row.paid else theme.MUTED
        return cls(
            text=row.left if left is None else left,
            amount=row.amount,
            sats=row.sats if left is None else "",
            status=row.state,
            status_color=colour,
            paid=row.paid,
            quiet=row.quiet,
        )


class AdminHistoryScreen(AdminScreen):
    count = StringProperty("")
    has_older = BooleanProperty(False)
    has_newer = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self._text = ""
        self._pages: list[tuple[int | None, int]] = []  # (before_id, first row number) of each page shown
        self._last_id: int | None = None
        self.rows: list[object] = []

    @property
    def page_size(self) -> int:
        """As many rows as fit under the search field: 5 at 800x480, 8 two-line ones in portrait."""
        return 5 if App.get_running_app().landscape else 8

    def search(self, text: str) -> None:
        self._pages = []
        self.controller.admin.history(text.strip(), None, 1)

    def older(self) -> None:
        _before, first = self._pages[-1]
        self.controller.admin.history(self._text, self._last_id, first + len(self.rows))

    def newer(self) -> None:
        if len(self._pages) >= 2:
            self._pages.pop()
            before, first = self._pages.pop()
            self.controller.admin.history(self._text, before, first)

    def show_page(self, text: str, page: HistoryPage, before_id: int | None, first: int) -> None:
        if before_id is None:
            self._pages = []
        self._pages.append((before_id, first))
        self._text = text
        self._last_id = page.sales[-1].id if page.sales else None
        self.has_older = page.has_more
        self.has_newer = len(self._pages) > 1
        self.count = admin_views.history_count(page.total, first, len(page.sales))
        grid = self.ids.rows
        grid.clear_widgets()
        self.rows = []
        timezone, shop_name = self.controller.admin.timezone, self.controller.till.shop_name
        for sale in page.sales:
            row = admin_views.history_row(sale, timezone, shop_name)
            button = SaleRow.of(row)
            button.bind(on_release=lambda _b, sale_id=row.sale_id: self.controller.admin.open_sale(sale_id))
            grid.add_widget(button)
            self.rows.append(button)
