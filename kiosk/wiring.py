"""Build the kiosk's services from a config: shared by the touchscreen app and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk import i18n
from kiosk.backends.base import LightningBackend
from kiosk.backends.demo import DemoNode
from kiosk.backends.registry import make_backend
from kiosk.catalog import load_catalog
from kiosk.config import Config
from kiosk.domain.cart import Product
from kiosk.domain.money import Currency, currency
from kiosk.hardware.gpio import NullSignals, Signals, make_signals
from kiosk.hardware.printer import make_printer
from kiosk.rates.registry import make_rate_source
from kiosk.services.admin import Admin
from kiosk.services.checkout import Checkout, now_ms
from kiosk.services.ledger import Ledger
from kiosk.services.print_queue import drawer_on_paid
from kiosk.services.rates import DemoRate, NoRate, RateSource


@dataclass
class Services:
    config: Config
    backend: LightningBackend
    ledger: Ledger
    checkout: Checkout
    rates: RateSource
    currency: Currency
    signals: Signals = field(default_factory=NullSignals)
    catalog: tuple[Product, ...] = ()
    admin: Admin | None = None  # the admin area's services; build() always makes them

    @property
    def demo_node(self) -> DemoNode | None:
        return self.backend if isinstance(self.backend, DemoNode) else None

    def close(self) -> None:
        if self.admin is not None:
            self.admin.close()
        self.rates.close()
        self.checkout.close()
        self.signals.close()
        self.backend.close()
        self.ledger.close()


def build(config: Config, demo_pay_after_s: float | None = None) -> Services:
    i18n.set_language(config.ui.language)  # screens, messages and receipts from here on
    shop_currency = currency(config.shop.currency)
    catalog = load_catalog(config.catalog.file, shop_currency) if config.catalog.file else ()
    backend = make_backend(config.node, demo_pay_after_s)
    ledger = Ledger(config.ledger.path)
    printer = make_printer(config.printer, config.demo.receipts_dir if config.is_demo else None)
    rates: RateSource = (
        DemoRate(config.demo.btc_price, shop_currency)
        if config.is_demo
        else make_rate_source(config.rates, shop_currency).start()
        if config.rates.enabled and not shop_currency.is_sats
        else NoRate()
    )
    checkout = Checkout(
        backend, ledger, printer, config.payment, config.shop, merchant_copy=config.printer.merchant_copy
    )
    signals = _attach_hardware(config, checkout)
    admin = Admin(config, checkout, now_ms)
    i18n.set_language(admin.settings.language)  # the merchant's choice on the device wins over the config
    return Services(config, backend, ledger, checkout, rates, shop_currency, signals, catalog, admin)


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
