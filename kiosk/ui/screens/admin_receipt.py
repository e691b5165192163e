"""A sale's receipt as the printer prints it (the same image), with Reprint, and Back to the sale."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.errors import KioskError
from kiosk.ui import strings
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminReceiptScreen(AdminScreen):
    title = StringProperty("")  # the sale's number

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.sale_id: int | None = None

    def show_receipt(self, sale_id: int, png: bytes | KioskError) -> None:
        """The receipt's image, or why it could not be drawn (a font missing) and what to do."""
        self.sale_id = sale_id
        self.title = strings.RECEIPT_OF_SALE.format(sale_id=sale_id)
        problem = isinstance(png, KioskError)
        self.notice = f"[color=#F05252]{png}[/color]" if problem else ""
        self.ids.paper.show(None if problem else png)

    def reprint(self) -> None:
        if self.sale_id is not None:
            self.admin.reprint(self.sale_id)

    def back(self) -> None:
        if self.sale_id is not None:
            self.admin.open_sale(self.sale_id)
