"""The admin area's services on a real ledger file, the demo node and a python-escpos Dummy printer."""

from __future__ import annotations

import dataclasses

import pytest
from escpos.printer import Dummy

from kiosk.backends.demo import DemoNode
from kiosk.config import AdminConfig, Config, PrinterConfig
from kiosk.domain.sale import SaleState
from kiosk.errors import BackendError, ErrorKind, KioskError
from kiosk.hardware.printers import EscposReceiptPrinter, NoPrinter
from kiosk.hardware.rendering import PrintFormat, paper_for
from kiosk.services.admin import HISTORY_PAGE, Admin
from kiosk.services.checkout import Checkout
from kiosk.services.receipts import PaperGeometry
from kiosk.services.settings import DeviceSettings, SettingsStore
from kiosk.storage.store import Storage
from kiosk.wiring import make_admin, make_checkout
from tests.admin.conftest import DAY_START_MS, record
from tests.support.clock import Clock
from tests.support.wait import wait_until

S = SaleState


class Paper(Dummy):
    """A Dummy that keeps what every session sent (the printer adapter closes it after each)."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[bytes] = []

    def close(self) -> None:
        self.sessions.append(self.output)
        self.clear()


@pytest.fixture
def build(tmp_path):
    made: list[tuple[Checkout, Storage]] = []

    def make(config: Config | None = None, printer=None, backend=None) -> Admin:
        config = config or Config()
        storage = Storage.open(tmp_path / "ledger.sqlite3")
        checkout = make_checkout(
            backend or DemoNode(),
            storage,
            printer or NoPrinter(),
            config.payment,
            config.shop,
            clock_ms=Clock(),
            merchant_copy=config.printer.merchant_copy,
        )
        made.append((checkout, storage))
        return make_admin(config, checkout, storage, Clock(), paper_for(config.printer))

    yield make
    for checkout, storage in made:
        checkout.close()
        storage.close()


def dummy_printer() -> tuple[EscposReceiptPrinter, Paper]:
    paper = Paper()
    return EscposReceiptPrinter(lambda: paper, PrintFormat(PaperGeometry.of_width(58)), "dummy", None), paper


def test_settings_changed_on_the_device_override_the_config_and_survive_a_restart(build, tmp_path):
    config = Config(printer=PrinterConfig(merchant_copy=False))
    admin = build(config)
    assert admin.settings == DeviceSettings(merchant_copy=False, idle_timeout_seconds=60)
    assert admin.checkout.merchant_copy is False
    changed = DeviceSettings(language="zh_CN", merchant_copy=True, idle_timeout_seconds=120)
    admin.change_settings(changed)
    assert admin.checkout.merchant_copy is True

    again = build(config)
    assert again.settings == changed and again.checkout.merchant_copy is True


def test_a_stored_setting_this_kiosk_cannot_read_is_ignored(tmp_path):
    storage = Storage.open(tmp_path / "ledger.sqlite3")
    storage.settings.put({"language": "klingon", "idle_timeout_seconds": "5", "merchant_copy": "maybe"}, 0)
    assert SettingsStore(storage.settings, Clock()).load(Config()) == DeviceSettings.of(Config())
    storage.close()


def test_history_pages_and_sale_detail(build):
    admin = build()
    ledger = admin.checkout.ledger
    made = [
        record(ledger, DAY_START_MS + n, 1_000 + n, end=S.PAID_LATE if n == 3 else S.RECEIPT_PRINTED)
        for n in range(11)
    ]
    first = admin.history()
    assert first.total == 11 and first.has_more and len(first.sales) == HISTORY_PAGE
    second = admin.history(before_id=first.sales[-1].id)
    assert not second.has_more and [s.id for s in first.sales + second.sales] == [
        s.id for s in reversed(made)
    ]
    detail = admin.sale_detail(made[3].id)
    assert [to for _from, to, _at in detail.events] == [
        S.CREATING_INVOICE,
        S.AWAITING_PAYMENT,
        S.CANCELLED,
        S.PAID_LATE,
    ]


def test_reprint_from_the_history_prints_the_receipt_again(build):
    printer, paper = dummy_printer()
    admin = build(printer=printer)
    sale = record(admin.checkout.ledger, DAY_START_MS, 4_736, fiat="4.50", memo="Flat white")
    admin.reprint(sale.id)
    wait_until(lambda: paper.sessions, what="the reprint printed")
    assert b"Flat white" in paper.sessions[0] and b"$4.50" in paper.sessions[0]
    with pytest.raises(KioskError, match="not paid"):
        admin.reprint(record(admin.checkout.ledger, DAY_START_MS + 1, 10, end=S.FAILED).id)


def test_test_page_prints_or_says_why_not(build):
    printer, paper = dummy_printer()
    admin = build(Config(), printer)
    admin.test_page()
    assert b"Printer test page" in paper.sessions[0] and b"Demo Caf" in paper.sessions[0]

    without = build(Config())
    with pytest.raises(KioskError, match="No receipt printer is configured") as caught:
        without.test_page()
    assert "[printer] kind" in caught.value.hint


def test_closing_the_shift_prints_its_report_and_a_printer_problem_does_not_undo_it(build):
    printer, paper = dummy_printer()
    admin = build(printer=printer)
    record(admin.checkout.ledger, DAY_START_MS, 4_736, fiat="4.50")
    report, problem = admin.close_shift()
    assert problem is None and report.count == 1 and not report.shift.is_open
    assert b"Z-REPORT" in paper.sessions[-1] and b"$4.50" in paper.sessions[-1]
    admin.print_report(report.shift.id)  # reprint of a closed shift
    assert paper.sessions[-1] == paper.sessions[-2]

    no_printer = build()
    report2, problem2 = no_printer.close_shift()
    assert problem2 is not None and "No receipt printer" in problem2.message
    assert no_printer.shifts.get(report2.shift.id).closed_at_ms is not None


def test_export_goes_to_a_stick_else_the_configured_folder_else_says_plug_one_in(build, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    nowhere = build(Config(admin=AdminConfig(usb_mount_root=media)))
    with pytest.raises(KioskError, match="No USB stick found") as caught:
        nowhere.export_csv()
    assert "Plug in a USB stick" in caught.value.hint

    folder = tmp_path / "exports"
    admin = build(Config(admin=AdminConfig(usb_mount_root=media, export_path=folder)))
    record(admin.checkout.ledger, DAY_START_MS, 1_000)
    result = admin.export_csv()
    assert result.path.parent == folder and result.rows == 1


class DownNode(DemoNode):
    def node_info(self):
        raise BackendError(ErrorKind.UNREACHABLE, "The Lightning node did not answer")


def test_node_status_with_liquidity_warning_and_a_node_that_is_down(build):
    admin = build()
    status = admin.node_status()
    assert status.info.alias == "Demo node" and status.info.network == "regtest"
    assert status.inbound_msat == 10_000_000_000 and status.warnings == ()

    big = dataclasses.replace(Config(), admin=AdminConfig(typical_sale_sats=20_000_000))
    warned = build(big).node_status()
    assert len(warned.warnings) == 1 and "10,000,000 sats" in warned.warnings[0]
    assert "Open or buy inbound capacity" in warned.warnings[0]

    down = build(backend=DownNode()).node_status()
    assert down.info is None and down.problem.startswith("The Lightning node did not answer")
