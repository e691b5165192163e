"""Serial (through a real pty pair), device-file and USB printers, built from config."""

from __future__ import annotations

import os
import select
import threading

import pytest

from kiosk.config import PrinterConfig
from kiosk.errors import ConfigError
from kiosk.hardware.connectors import make_printer
from kiosk.hardware.printers import EscposReceiptPrinter, FileReceiptPrinter, NoPrinter
from kiosk.hardware.rendering import PrintFormat, paper_for, receipt_bytes
from kiosk.services.printer_port import PrinterError, PrinterHealth
from kiosk.services.receipts import PaperGeometry
from tests.hardware.fake_printer import ANSWER_OK, STATUS_ONLINE, STATUS_PAPER, cut_bytes
from tests.receipts.conftest import ENGLISH
from tests.support.wait import wait_until


class SerialPrinterEnd:
    """The printer's side of a pty pair: collects bytes, optionally answers status queries."""

    def __init__(self, answers: bool) -> None:
        self.master, self.slave = os.openpty()
        self.device = os.ttyname(self.slave)
        self.answers = answers
        self.data = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            self.data += os.read(self.master, 65536)
            if self.answers and self.data.endswith((STATUS_ONLINE, STATUS_PAPER)):
                os.write(self.master, bytes([ANSWER_OK]))

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def serial_end(request):
    end = SerialPrinterEnd(answers=request.param)
    yield end
    end.close()


@pytest.mark.parametrize("serial_end", [True], indirect=True)
def test_serial_printer_answering_status_gets_the_receipt_bytes(serial_end):
    config = PrinterConfig(kind="serial", serial_device=serial_end.device, baudrate=115200)
    printer = make_printer(config, paper_for(config), None)
    assert printer.print_receipt(ENGLISH) is PrinterHealth.READY
    receipt = receipt_bytes(ENGLISH, PrintFormat(PaperGeometry.of_width(58)))
    queries = STATUS_ONLINE + STATUS_PAPER
    wait_until(lambda: len(serial_end.data) >= len(receipt) + 2 * len(queries), what="all bytes")
    assert bytes(serial_end.data) == queries + receipt + queries  # asked before, and confirmed after


@pytest.mark.parametrize("serial_end", [False], indirect=True)
def test_serial_printer_that_stays_silent_is_unknown_and_still_prints(serial_end):
    config = PrinterConfig(kind="serial", serial_device=serial_end.device, status_timeout_seconds=0.05)
    assert make_printer(config, paper_for(config), None).print_receipt(ENGLISH) is PrinterHealth.UNKNOWN
    receipt = receipt_bytes(ENGLISH, PrintFormat(PaperGeometry.of_width(58)))
    wait_until(lambda: len(serial_end.data) >= len(STATUS_ONLINE + receipt), what="all bytes")
    assert bytes(serial_end.data) == STATUS_ONLINE + receipt


def test_a_missing_serial_device_is_not_connected_with_the_next_step(tmp_path):
    config = PrinterConfig(kind="serial", serial_device=str(tmp_path / "ttyUSB9"))
    printer = make_printer(config, paper_for(config), None)
    with pytest.raises(PrinterError) as caught:
        printer.print_receipt(ENGLISH)
    assert caught.value.health is PrinterHealth.NOT_CONNECTED and "switched on" in caught.value.hint


def test_device_file_printer_writes_the_receipt_and_reports_no_status(tmp_path):
    lp0 = tmp_path / "lp0"
    lp0.touch()
    config = PrinterConfig(kind="file", path=lp0, paper_width_mm=80)
    printer = make_printer(config, paper_for(config), None)
    assert printer.print_receipt(ENGLISH) is PrinterHealth.UNKNOWN
    assert lp0.read_bytes() == receipt_bytes(ENGLISH, PrintFormat(PaperGeometry.of_width(80)))


def test_usb_printer_is_built_from_its_ids_and_fails_clearly_without_the_device():
    config = PrinterConfig(kind="usb", usb_vendor_id=0x0416, usb_product_id=0x5011, profile="POS-5890")
    printer = make_printer(config, paper_for(config), None)
    assert isinstance(printer, EscposReceiptPrinter) and printer.where == "USB 0416:5011"
    with pytest.raises(PrinterError) as caught:
        printer.print_receipt(ENGLISH)  # no such device on this machine (or no libusb at all)
    assert caught.value.health is PrinterHealth.NOT_CONNECTED


def test_usb_without_ids_and_unknown_profiles_are_config_errors():
    with pytest.raises(ConfigError, match="usb_vendor_id"):
        make_printer(PrinterConfig(kind="usb"), PaperGeometry.of_width(58), None)
    with pytest.raises(ConfigError, match="TM-T88V"):
        paper_for(PrinterConfig(kind="network", host="127.0.0.1", profile="TM-T99"))


def test_demo_printer_writes_escpos_text_and_png(tmp_path):
    printer = make_printer(PrinterConfig(kind="none"), PaperGeometry.of_width(58), tmp_path)
    assert isinstance(printer, FileReceiptPrinter)
    printer.print_receipt(ENGLISH)
    stem = tmp_path / "sale-000042"
    assert stem.with_suffix(".escpos").read_bytes().endswith(cut_bytes())
    assert "Demo Café" in stem.with_suffix(".txt").read_text()
    assert stem.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
    assert isinstance(make_printer(PrinterConfig(kind="none"), PaperGeometry.of_width(58), None), NoPrinter)
