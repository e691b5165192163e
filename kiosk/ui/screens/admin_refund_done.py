"""The refund made: how much, what the cashier does now, the voucher's QR to scan, the slip printing."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.errors import KioskError
from kiosk.ui import strings_refund
from kiosk.ui.refund_views import RefundDone
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminRefundDoneScreen(AdminScreen):
    title = StringProperty("")
    headline = StringProperty("")
    what_now = StringProperty("")
    qr = StringProperty("")  # the voucher's QR payload ("" without a voucher)
    can_print = BooleanProperty(False)  # the slip did not print: print it again

    def show_done(self, view: RefundDone) -> None:
        self.title, self.headline, self.what_now, self.qr = view.title, view.headline, view.what_now, view.qr
        self.notice, self.can_print = "", False

    def slip_printing(self) -> None:
        self.notice, self.can_print = strings_refund.REFUND_SLIP_PRINTING, False

    def slip_printed(self, problem: KioskError | None) -> None:
        if problem is None:
            self.notice = strings_refund.REFUND_SLIP_PRINTED
        else:
            self.notice = f"[color=#F05252]{strings_refund.REFUND_SLIP_FAILED.format(why=problem)}[/color]"
        self.can_print = problem is not None
