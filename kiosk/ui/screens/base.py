"""What every screen shares: the controller it forwards taps to, the header's words, the printer's state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.domain.sale import Sale
from kiosk.services.print_queue import PrinterStatus, PrintJob
from kiosk.ui import strings, viewmodels


class KioskScreen(Screen):
    controller = ObjectProperty(None, allownone=True)
    shop_name = StringProperty("")
    badge = StringProperty("")
    printer_view = ObjectProperty(viewmodels.PrinterView(), rebind=True)  # kv reads printer_view.visible

    def __init__(self, controller: object, **kwargs: object) -> None:
        # Given to Screen.__init__ so they are set before the .kv rules read them.
        super().__init__(
            controller=controller,
            shop_name=controller.services.config.shop.name,
            badge=strings.DEMO_BADGE if controller.is_demo else "",
            **kwargs,
        )
        self.printer_status: PrinterStatus | None = None

    def show_sale(self, sale: Sale) -> None:
        """Fill the screen from a sale; screens that show one override this."""

    def show_printer(self, status: PrinterStatus) -> None:
        """The print queue's latest status; screens with a printer strip draw `printer_view`."""
        self.printer_status = status
        self.printer_view = viewmodels.printer_view(status)


class PaidSaleScreen(KioskScreen):
    """A paid sale (on time or late): its amounts and how its receipt is getting on."""

    headline = StringProperty("")
    second_line = StringProperty("")
    receipt = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.sale: Sale | None = None
        self._jobs: Sequence[PrintJob] = ()

    def show_sale(self, sale: Sale) -> None:
        if self.sale is None or self.sale.id != sale.id:
            self._jobs = ()
        self.sale = sale
        self.headline, self.second_line = viewmodels.sale_amounts(sale)
        self._show_receipt()

    def show_jobs(self, sale_id: int, jobs: Sequence[PrintJob]) -> None:
        """The sale's print jobs, read from the ledger by a worker; ignored if another sale is shown."""
        if self.sale is not None and self.sale.id == sale_id:
            self._jobs = jobs
            self._show_receipt()

    def show_printer(self, status: PrinterStatus) -> None:
        super().show_printer(status)
        self._show_receipt()

    def _show_receipt(self) -> None:
        if self.sale is not None:
            self.receipt = viewmodels.receipt_note(self.sale, self._jobs, self.printer_status)


def kv_file(module_file: str) -> Path:
    return Path(module_file).with_suffix(".kv")
