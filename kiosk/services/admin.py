"""What the admin area does, with no Kivy: every call blocks, so the UI runs them on its workers."""

from __future__ import annotations

import concurrent.futures
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.domain.money import format_sats
from kiosk.domain.refund import Refund, RefundState
from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import BackendError, KioskError
from kiosk.i18n import _
from kiosk.services.admin_pin import AdminPin
from kiosk.services.checkout import Checkout
from kiosk.services.export import ExportResult, export_sales, usb_drives
from kiosk.services.node_port import NodeDiagnostics, NodeInfo
from kiosk.services.print_jobs import PrintJob
from kiosk.services.printer_port import PrinterHealth
from kiosk.services.receipt_image import blocks_image
from kiosk.services.receipts import (
    Block,
    Line,
    PaperGeometry,
    Qr,
    Style,
    centred_lines,
    pair_lines,
    receipt_for,
    receipt_layout,
)
from kiosk.services.refunds import RefundStore, left_to_refund
from kiosk.services.settings import DeviceSettings, SettingsStore
from kiosk.services.shifts import Shifts, ZReport, report_layout

PRINT_WAIT_S = 60.0
HISTORY_PAGE = 8


@dataclass(frozen=True)
class HistoryPage:
    sales: list[Sale]
    total: int  # sales matching the search, all pages
    has_more: bool


@dataclass(frozen=True)
class SaleDetail:
    sale: Sale
    events: list[tuple[SaleState | None, SaleState, int]]
    jobs: list[PrintJob]
    refunds: list[Refund] = field(default_factory=list)  # oldest first, failed ones too

    @property
    def left(self) -> Decimal:
        """What the sale can still refund, in its currency."""
        return left_to_refund(self.sale, self.refunds)

    @property
    def unfinished(self) -> Refund | None:
        """A refund recorded but not paid out (its voucher failed, or the kiosk stopped): retry it first."""
        return next((r for r in self.refunds if r.state is RefundState.PENDING), None)


@dataclass(frozen=True)
class NodeStatus:
    info: NodeInfo | None
    inbound_msat: int | None
    problem: str = ""  # the node did not answer: what and what to do
    warnings: tuple[str, ...] = ()


class Admin:
    def __init__(
        self,
        config: Config,
        checkout: Checkout,
        clock_ms: Callable[[], int],
        pin: AdminPin,
        shifts: Shifts,
        store: SettingsStore,
        paper: PaperGeometry,
        refunds: RefundStore | None = None,
    ) -> None:
        self.config = config
        self.paper = paper  # what reports and the test page are laid out for, as receipts are
        self._refunds = refunds
        self.checkout = checkout
        self.pin = pin
        self.shifts = shifts
        self._store = store
        self._clock_ms = clock_ms
        self.settings = self._store.load(config)
        self._apply(self.settings)

    # Settings -------------------------------------------------------------------------

    def change_settings(self, settings: DeviceSettings) -> DeviceSettings:
        """Keep the merchant's choice on disk and apply what the services use (the UI applies the rest)."""
        self._store.save(settings)
        self.settings = settings
        self._apply(settings)
        return settings

    def _apply(self, settings: DeviceSettings) -> None:
        self.checkout.merchant_copy = settings.merchant_copy

    # History ----------------------------------------------------------------------------

    def history(self, text: str = "", before_id: int | None = None, limit: int = HISTORY_PAGE) -> HistoryPage:
        ledger = self.checkout.ledger
        sales = ledger.search(text, before_id, limit + 1)
        return HistoryPage(sales[:limit], ledger.count_matching(text), len(sales) > limit)

    def sale_detail(self, sale_id: int) -> SaleDetail:
        ledger = self.checkout.ledger
        return SaleDetail(
            ledger.get(sale_id),
            ledger.history(sale_id),
            self.checkout.print_queue.jobs(sale_id),
            self._refunds.for_sale(sale_id) if self._refunds is not None else [],
        )

    def receipt_preview(self, sale_id: int) -> bytes:
        """The sale's customer receipt as the printer prints it, as PNG bytes for the screen."""
        receipt = receipt_for(self.checkout.ledger.get(sale_id), self.config.shop)
        return self._preview(receipt_layout(receipt, self.paper.columns))

    def reprint(self, sale_id: int) -> PrintJob:
        job = self.checkout.print_queue.reprint(sale_id)
        self.checkout.print_queue.retry_now()
        return job

    # Shifts ------------------------------------------------------------------------------

    def shift_report(self, shift_id: int | None = None) -> ZReport:
        """The open shift so far (None), or a closed one."""
        shifts = self.shifts
        return shifts.report(shifts.current() if shift_id is None else shifts.get(shift_id))

    def close_shift(
        self, counted_cash: Decimal | None = None, by: int | None = None
    ) -> tuple[ZReport, KioskError | None]:
        """Close the shift, then print its Z-report; a printer problem does not undo the closing."""
        report = self.shifts.close(counted_cash, by)
        return report, self._try_print(
            report_layout(report, self.paper.columns), f"z-report-{report.shift.id:05d}"
        )

    def print_report(self, shift_id: int) -> ZReport:
        report = self.shift_report(shift_id)
        self._print(report_layout(report, self.paper.columns), f"z-report-{shift_id:05d}")
        return report

    def report_preview(self, report: ZReport) -> bytes:
        """The report as the printer prints it, on the same paper, as PNG bytes for the screen."""
        return self._preview(report_layout(report, self.paper.columns))

    def _preview(self, blocks: list[Block]) -> bytes:
        image = blocks_image(blocks, self.paper, self.config.printer.cjk_font)
        out = io.BytesIO()
        image.convert("L").save(out, format="PNG")
        return out.getvalue()

    # Export, printer, node ---------------------------------------------------------------

    def export_target(self) -> Path:
        """A USB stick if one is plugged in, else the configured folder; KioskError when neither."""
        drives = usb_drives(self.config.admin.usb_mount_root)
        if drives:
            return drives[0]
        if self.config.admin.export_path is not None:
            self.config.admin.export_path.mkdir(parents=True, exist_ok=True)
            return self.config.admin.export_path
        raise KioskError(
            _("No USB stick found"),
            _("Plug in a USB stick (FAT or exFAT), wait a few seconds, then try again"),
        )

    def export_csv(self) -> ExportResult:
        now = datetime.fromtimestamp(self._clock_ms() / 1000, UTC)
        return export_sales(
            self.checkout.ledger,
            self.export_target(),
            ZoneInfo(self.config.shop.timezone),
            now,
            self._refunds,
        )

    def test_page(self) -> PrinterHealth:
        return self._print(test_page_layout(self.config, self.paper, self._clock_ms()), "test-page")

    def node_status(self) -> NodeStatus:
        backend = self.checkout.backend
        try:
            info = backend.node_info()
        except BackendError as exc:
            return NodeStatus(None, None, str(exc))
        inbound: int | None = None
        warnings: list[str] = []
        if not info.synced:
            warnings.append(_("The node is not synced to the chain: sales fail until it is"))
        if isinstance(backend, NodeDiagnostics):
            try:
                inbound = backend.inbound_liquidity_msat()
            except BackendError as exc:
                warnings.append(str(exc))
        typical = self.config.admin.typical_sale_sats
        if inbound is not None and inbound < typical * 1000:
            warnings.append(
                _("The node can receive only {inbound}: a typical sale of {typical} would fail").format(
                    inbound=format_sats(inbound), typical=format_sats(typical * 1000)
                )
                + ". "
                + _("Open or buy inbound capacity")
            )
        return NodeStatus(info, inbound, "", tuple(warnings))

    # Internals ----------------------------------------------------------------------------

    def _print(self, blocks: list[Block], name: str) -> PrinterHealth:
        return wait_printed(self.checkout.print_queue.print_document(blocks, name))

    def _try_print(self, blocks: list[Block], name: str) -> KioskError | None:
        try:
            self._print(blocks, name)
        except KioskError as exc:
            return exc
        return None


def wait_printed(future: concurrent.futures.Future[PrinterHealth]) -> PrinterHealth:
    """A document's outcome at the printer (its PrinterError raised); KioskError if it takes too long."""
    try:
        return future.result(timeout=PRINT_WAIT_S)
    except concurrent.futures.TimeoutError:
        raise KioskError(
            _("The printer did not finish in {seconds:.0f} s").format(seconds=PRINT_WAIT_S),
            _("Check the printer, then print again"),
        ) from None


def test_page_layout(config: Config, paper: PaperGeometry, now_ms: int) -> list[Block]:
    """A page that shows the printer works: the shop header, the full width, bold, big, CJK, a QR."""
    columns = paper.columns
    now = datetime.fromtimestamp(now_ms / 1000, UTC).astimezone(ZoneInfo(config.shop.timezone))
    rule = Line("-" * columns)
    printer = config.printer
    blocks: list[Block] = [*centred_lines(config.shop.name, columns, Style.BIG)]
    blocks += centred_lines(_("Printer test page"), columns, Style.BOLD)
    blocks += [rule, *pair_lines(_("Printed"), f"{now:%Y-%m-%d %H:%M}", columns)]
    blocks += pair_lines(_("Printer"), printer.kind, columns)
    blocks += pair_lines(_("Paper"), f"{paper.width_mm} mm, {columns} columns", columns)
    blocks += [rule, Line(("1234567890" * 10)[:columns]), Line("Bold", Style.BOLD), Line("Big", Style.BIG)]
    blocks += [Line("中文 打印测试")] if printer.cjk or printer.render == "image" else []
    blocks += [
        Qr("KIOSK PRINTER TEST"),
        *centred_lines(_("If you can read this, receipts will print"), columns),
    ]
    return blocks
