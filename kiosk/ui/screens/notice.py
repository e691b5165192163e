"""Expired, cancelled and error: what happened, and what the cashier does next."""

from __future__ import annotations

from kivy.properties import ColorProperty, StringProperty

from kiosk.domain.sale import Sale
from kiosk.ui import theme, viewmodels
from kiosk.ui.screens.base import KioskScreen, kv_file

KV = kv_file(__file__)


class NoticeScreen(KioskScreen):
    title = StringProperty("")
    body = StringProperty("")
    detail = StringProperty("")
    symbol = StringProperty("!")
    tone = ColorProperty(theme.MUTED)

    def __init__(self, controller: object, symbol: str, tone: tuple, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.symbol = symbol
        self.tone = tone

    def show_sale(self, sale: Sale) -> None:
        self.show_notice(viewmodels.notice_for(sale))

    def show_notice(self, notice: viewmodels.Notice) -> None:
        self.title, self.body, self.detail = notice.title, notice.body, notice.detail
