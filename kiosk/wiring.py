"""Build the kiosk's services from a config: shared by the touchscreen app, the CLI and the tour.

The one place that makes objects and joins them. Whoever needs a different part (the tour's slow node, a
test's printer out of paper, a test clock) passes it to `build`; nothing is swapped in after construction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk import i18n
from kiosk.backends.demo import DemoNode
from kiosk.backends.lnbits_withdraw import make_voucher_issuer
from kiosk.backends.registry import make_backend
from kiosk.catalog import load_catalog
from kiosk.clock import now_ms, steady_ms
from kiosk.config import Config, NfcConfig, PaymentConfig, ShopConfig
from kiosk.domain.cart import Product
from kiosk.domain.money import Currency, currency
from kiosk.domain.refund import RefundMode
from kiosk.errors import ConfigError
from kiosk.hardware.connectors import make_printer
from kiosk.hardware.gpio import NullSignals, Signals, make_signals
from kiosk.hardware.nfc_lnurl import HttpsLnurlClient
from kiosk.hardware.rendering import paper_for
from kiosk.rates.registry import make_rate_source
from kiosk.services.admin import Admin
from kiosk.services.admin_pin import AdminPin
from kiosk.services.checkout import Checkout
from kiosk.services.fleet import FleetSync
from kiosk.services.ledger import Ledger
from kiosk.services.node_port import LightningBackend
from kiosk.services.print_jobs import Backoff
from kiosk.services.print_queue import PrintQueue, drawer_on_paid
from kiosk.services.printer_port import ReceiptPrinter
from kiosk.services.rates import DemoRate, NoRate, RateSource
from kiosk.services.receipts import PaperGeometry
from kiosk.services.recent import look_up
from kiosk.services.refund_desk import RefundDesk
from kiosk.services.refund_slip import SlipPrinter, slip_printer
from kiosk.services.refunds import Refunds, VoucherIssuer
from kiosk.services.settings import SettingsStore
from kiosk.services.shifts import Shifts
from kiosk.services.staff import Staff
from kiosk.services.tap_port import CardReader
from kiosk.services.tap_to_pay import TapToPay
from kiosk.services.till import Till
from kiosk.storage.store import Storage

if TYPE_CHECKING:
    from kiosk.hardware.nfc_pcsc import PcscReader


@dataclass
class Services:
    config: Config
    backend: LightningBackend
    storage: Storage
    checkout: Checkout
    rates: RateSource
    currency: Currency
    signals: Signals = field(default_factory=NullSignals)
    catalog: tuple[Product, ...] = ()
    admin: Admin | None = None  # the admin area's services; build() always makes them
    refunds: Refunds | None = None  # build() always makes them
    staff: Staff | None = None
    refund_slip: SlipPrinter | None = None
    tap: TapToPay | None = None  # tap to pay with a Bolt Card, when [nfc] is enabled
    fleet: FleetSync | None = None  # sends the outbox to the central books, when [fleet] is set
    clock_ms: Callable[[], int] = now_ms

    @property
    def ledger(self) -> Ledger:
        return self.storage.sales

    @property
    def till(self) -> Till:
        """What the touchscreen may see and call (kiosk.ui gets this, never the services themselves)."""
        assert self.admin is not None
        demo = self.backend if isinstance(self.backend, DemoNode) else None
        return Till(
            shop_name=self.config.shop.name,
            timezone=self.config.shop.timezone,
            currency=self.currency,
            tax=self.config.tax,
            payment=self.config.payment,
            tips=self.config.tips,
            catalog=self.catalog,
            rates=self.rates,
            clock_ms=self.clock_ms,
            sales=self.checkout,
            receipts=self.checkout.print_queue,
            recent_sales=self.storage.sales.sales,
            look_up=lambda sale_id: look_up(self.storage.sales, self.checkout.backend, sale_id),
            admin=self.admin,
            pay_demo=demo.pay if demo is not None else None,
            tap=self.tap,
            fleet_status=self.fleet.status if self.fleet is not None else None,
            fleet_warn_ms=self.config.fleet.warn_backlog_minutes * 60_000,
            refund_desk=RefundDesk(self.refunds, self.refund_slip, self.staff) if self.refunds else None,
            staff=self.staff,
        )

    def close(self) -> None:
        for part in (self.fleet, self.tap):
            if part is not None:
                part.close()
        self.rates.close()
        self.checkout.close()
        self.signals.close()
        self.backend.close()
        self.storage.close()  # last: the checkout's workers and the print queue use it until they stop


def build(
    config: Config,
    *,
    demo_pay_after_s: float | None = None,
    backend: LightningBackend | None = None,
    printer: ReceiptPrinter | None = None,
    rates: RateSource | None = None,
    vouchers: VoucherIssuer | None = None,
    clock_ms: Callable[[], int] = now_ms,
) -> Services:
    """The services for `config`; `backend`, `printer`, `rates`, `vouchers` replace the configured ones.
    A part that fails (KioskError: a credential, a printer, the ledger) closes what opened before it.
    """
    i18n.set_language(config.ui.language)  # screens, messages and receipts from here on
    shop_currency = currency(config.shop.currency)
    catalog = load_catalog(config.catalog.file, shop_currency, config.tax.rate) if config.catalog.file else ()
    paper = paper_for(config.printer)  # one geometry for every printout: receipts, reports, slips, previews
    with contextlib.ExitStack() as opened:
        backend = backend or make_backend(config.node, demo_pay_after_s)
        opened.callback(backend.close)
        storage = Storage.open(config.ledger.path)
        opened.callback(storage.close)
        rates = rates or _rate_source(config, shop_currency)
        opened.callback(rates.close)
        checkout = make_checkout(
            backend,
            storage,
            printer or configured_printer(config, paper),
            config.payment,
            config.shop,
            clock_ms=clock_ms,
            merchant_copy=config.printer.merchant_copy,
        )
        opened.callback(checkout.close)
        signals = _attach_hardware(config, checkout)
        opened.callback(signals.close)
        staff = Staff(storage.staff, clock_ms)
        admin = make_admin(config, checkout, storage, clock_ms, paper, staff)
        issuer = vouchers or make_voucher_issuer(config.refunds)
        refunds = Refunds(storage.sales, storage.refunds, RefundMode(config.refunds.mode), clock_ms, issuer)
        tap = None
        if config.nfc.enabled:
            tap = make_tap_to_pay(config.nfc, checkout, pcsc_reader(config.nfc), signals.card_read)
            tap.start()
            opened.callback(tap.close)
        fleet = make_fleet_sync(config, storage)
        if fleet is not None:
            fleet.start()
            opened.callback(fleet.close)
        opened.pop_all()  # everything is up: Services.close() closes it from now on
    i18n.set_language(admin.settings.language)  # the merchant's choice on the device wins over the config
    slips = slip_printer(
        checkout.print_queue, storage.sales, config.shop, paper.columns, config.printer.cash_drawer
    )
    core = (backend, storage, checkout, rates, shop_currency, signals, catalog)
    return Services(config, *core, admin, refunds, staff, slips, tap, fleet, clock_ms)


def configured_printer(config: Config, paper: PaperGeometry | None = None) -> ReceiptPrinter:
    """The printer the config names; with none, the demo writes its receipts to a folder."""
    demo_folder = config.demo.receipts_dir if config.is_demo else None
    return make_printer(config.printer, paper or paper_for(config.printer), demo_folder)


def _rate_source(config: Config, shop_currency: Currency) -> RateSource:
    if config.is_demo:
        return DemoRate(config.demo.btc_price, shop_currency)
    if config.rates.enabled and not shop_currency.is_sats:
        return make_rate_source(config.rates, shop_currency).start()
    return NoRate()


def make_shifts(
    config: Config, storage: Storage, clock_ms: Callable[[], int], staff: Staff | None = None
) -> Shifts:
    """Shifts and their Z-report on the ledger file, naming each cashier."""
    return Shifts(
        storage.shifts,
        storage.sales,
        config.shop,
        clock_ms,
        storage.refunds,
        (staff or Staff(storage.staff, clock_ms)).names,
        storage.outbox.unsent_between if config.fleet.enabled else None,
    )


def make_checkout(
    backend: LightningBackend,
    storage: Storage,
    printer: ReceiptPrinter,
    payment: PaymentConfig,
    shop: ShopConfig,
    *,
    clock_ms: Callable[[], int] = now_ms,
    merchant_copy: bool = False,
    print_backoff: Backoff | None = None,
    steady_ms: Callable[[], int] = steady_ms,
) -> Checkout:
    """A checkout and its print queue on one ledger file (the app's, and the tests' with their parts)."""
    queue = PrintQueue(storage.sales, storage.print_jobs, printer, shop, clock_ms, print_backoff)
    return Checkout(
        backend,
        storage.sales,
        queue,
        payment,
        shop,
        clock_ms=clock_ms,
        merchant_copy=merchant_copy,
        steady_ms=steady_ms,
        on_anomaly=storage.anomalies.add,
    )


def make_admin(
    config: Config,
    checkout: Checkout,
    storage: Storage,
    clock_ms: Callable[[], int],
    paper: PaperGeometry,
    staff: Staff | None = None,
) -> Admin:
    """The admin area's services on the checkout's ledger file."""
    return Admin(
        config,
        checkout,
        clock_ms,
        AdminPin(storage.pins, clock_ms),
        make_shifts(config, storage, clock_ms, staff),
        SettingsStore(storage.settings, clock_ms),
        paper,
        storage.refunds,
    )


def _attach_hardware(config: Config, checkout: Checkout) -> Signals:
    """Cash drawer and GPIO signals follow the sales; the button reprints or cancels."""
    queue = checkout.print_queue
    if config.printer.cash_drawer:
        checkout.subscribe(drawer_on_paid(queue))
    signals = make_signals(
        config.gpio,
        cancel=lambda sale_id: checkout.submit(checkout.cancel, sale_id),
        reprint_last=queue.reprint_last,
    )
    checkout.subscribe(signals.sale_changed)
    queue.subscribe(lambda status: signals.printer_changed(status.state))
    return signals


def make_tap_to_pay(
    nfc: NfcConfig, checkout: Checkout, reader: CardReader, on_tap: Callable[[], None] = lambda: None
) -> TapToPay:
    """Tap to pay on the checkout's sales: the reader's cards, the card services over HTTPS."""
    client = HttpsLnurlClient(nfc.timeout_seconds, nfc.ca_cert_file)
    return TapToPay(checkout, reader, client, nfc.hosts, on_tap)


def pcsc_reader(nfc: NfcConfig) -> PcscReader:
    try:
        from kiosk.hardware.nfc_pcsc import PcscReader

        return PcscReader(nfc.reader)
    except ImportError as exc:
        raise ConfigError(
            i18n._(
                "nfc.enabled = true, but the card reader support is not installed ({name} is missing)"
            ).format(name=exc.name),
            i18n._("Run scripts/bootstrap.sh runtime nfc (pcscd and pyscard), or set nfc.enabled = false"),
        ) from None


def make_fleet_sync(config: Config, storage: Storage, idle_s: float = 2.0) -> FleetSync | None:
    """The outbox's sender to the central books, or None without [fleet] dsn_file; not started."""
    fleet = config.fleet
    if fleet.dsn_file is None:
        return None
    from kiosk.fleet.central import PostgresBooks  # psycopg: 10 MiB a kiosk without [fleet] never needs
    from kiosk.fleet.connection import read_dsn

    books = PostgresBooks(read_dsn(fleet.dsn_file, i18n._("central database DSN")), fleet.ca_file)
    return FleetSync(storage.outbox, books, fleet.terminal_id, now_ms, fleet.batch, idle_s=idle_s)
