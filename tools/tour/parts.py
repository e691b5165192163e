"""The tour's stand-in parts, given to `kiosk.wiring.build`: a demo node, a printer on a bad day, vouchers."""

from __future__ import annotations

import time
import uuid

import bech32

from kiosk.backends.demo import DemoNode
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _
from kiosk.services.node_port import CreatedInvoice
from kiosk.services.printer_port import PrinterError, PrinterHealth, ReceiptPrinter
from kiosk.services.receipts import Block, Receipt
from kiosk.services.refunds import Voucher

NODE_DELAY_S = 1.0
NODE_ADDRESS = "10.0.0.5:8080"  # where the tour's node "is": named in its error as a real node's would be


class TourNode(DemoNode):
    """The demo node as a real one behaves on a bad day: slow to answer, or not at all."""

    def __init__(self, delay_s: float = NODE_DELAY_S) -> None:
        super().__init__()
        self.delay_s = delay_s
        self.unreachable = False

    def create_invoice(
        self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None
    ) -> CreatedInvoice:
        time.sleep(self.delay_s)  # stands for the network: the tour shows the "making the invoice" screen
        if self.unreachable:
            # The words a real node's adapter uses (kiosk.backends.http), so the catalogs translate them.
            message = _("Cannot connect to {where}").format(where=NODE_ADDRESS)
            raise BackendError(ErrorKind.UNREACHABLE, message)
        return super().create_invoice(amount_msat, memo, expiry_s, sale_id=sale_id)


class TourPrinter:
    """A printer that runs out of paper until a roll goes in; otherwise the configured one prints."""

    def __init__(self, printer: ReceiptPrinter) -> None:
        self._printer = printer
        self.paper_out = False

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        self._check_paper()
        return self._printer.print_receipt(receipt)

    def print_blocks(self, blocks: list[Block], name: str) -> PrinterHealth:
        self._check_paper()
        return self._printer.print_blocks(blocks, name)

    def kick_drawer(self) -> None:
        self._printer.kick_drawer()

    def _check_paper(self) -> None:
        if self.paper_out:
            raise PrinterError(
                _("The printer is out of paper"),
                _("Put in a new roll: waiting receipts then print by themselves"),
                PrinterHealth.PAPER_OUT,
            )


class TourVouchers:
    """Refund vouchers as LNbits' withdraw extension makes them, worthless: LNURLs of a demo address."""

    def __init__(self) -> None:
        self._made: dict[str, Voucher] = {}

    def find(self, key: str) -> Voucher | None:
        return self._made.get(key)

    def create(self, key: str, amount_msat: int, title: str) -> Voucher:
        link = uuid.uuid4().hex[:22]
        url = f"https://lnbits.example/withdraw/api/v1/lnurl/{link}"
        lnurl = bech32.bech32_encode("lnurl", bech32.convertbits(url.encode(), 8, 5)).upper()
        self._made[key] = Voucher(link, lnurl)
        return self._made[key]
