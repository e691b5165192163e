"""The kiosk's configuration as frozen dataclasses: every section, key, default and choice.

`kiosk.config` reads a TOML file into these; the rest of the kiosk imports them from there.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from kiosk import i18n
from kiosk.domain.tax import Rounding, TaxPolicy

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo" / "catalog.toml"


@dataclass(frozen=True)
class ShopConfig:
    name: str = "Demo Café"
    address: str = ""
    tax_id: str = ""
    currency: str = "USD"
    timezone: str = "UTC"
    footer: str = "Thank you!"
    logo: Path | None = None


@dataclass(frozen=True)
class NodeConfig:
    backend: str = "demo"
    url: str = ""
    macaroon_file: Path | None = None
    tls_cert_file: Path | None = None
    rune_file: Path | None = None
    ca_cert_file: Path | None = None
    invoice_key_file: Path | None = None
    password_file: Path | None = None  # phoenixd: http-password-limited-access
    nwc_uri_file: Path | None = None  # Nostr Wallet Connect: the nostr+walletconnect:// URI
    api_key_file: Path | None = None  # BTCPay Server: a store API key
    store_id: str = ""  # BTCPay Server: the store the kiosk invoices for
    timeout_seconds: float = 10.0
    network: str = ""  # used when the credential may not read node info (LND invoice.macaroon)
    pubkey: str = ""  # expected node identity in that case, so invoices' payee is still checked


@dataclass(frozen=True)
class PaymentConfig:
    invoice_expiry_seconds: int = 300
    grace_seconds: int = 86400
    poll_interval_seconds: float = 1.0
    max_sats: int = 1_000_000
    max_fiat: Decimal = Decimal("1000")


@dataclass(frozen=True)
class PrinterConfig:
    kind: str = "none"
    path: Path | None = None
    usb_vendor_id: int = 0
    usb_product_id: int = 0
    serial_device: str = "/dev/serial0"
    baudrate: int = 9600
    host: str = ""
    port: int = 9100
    profile: str = "default"
    paper_width_mm: int = 58
    render: str = "text"
    cjk: str = ""
    cjk_font: Path | None = None
    native_qr: bool = False
    merchant_copy: bool = False
    cash_drawer: bool = False
    timeout_seconds: float = 5.0
    status_timeout_seconds: float = 0.5


@dataclass(frozen=True)
class GpioConfig:
    enabled: bool = False
    pin_factory: str = ""
    led_pin: int | None = None
    buzzer_pin: int | None = None
    button_pin: int | None = None


@dataclass(frozen=True)
class NfcConfig:
    enabled: bool = False  # tap to pay with a Bolt Card on a USB NFC reader (docs/nfc.md)
    reader: str = ""  # part of the reader's PC/SC name; empty: the first reader found
    allowed_hosts: str = ""  # card services taken (comma-separated); empty: any
    ca_cert_file: Path | None = None  # a CA for a card service on a private network
    timeout_seconds: float = 5.0  # for each answer of a card's service

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip())


@dataclass(frozen=True)
class UiConfig:
    fullscreen: str = "auto"
    width: int = 800
    height: int = 480
    language: str = i18n.DEFAULT_LANGUAGE  # at start-up; one of i18n.available_languages()
    idle_timeout_seconds: int = 60  # an idle kiosk returns to the keypad (never from an open invoice)


@dataclass(frozen=True)
class AdminConfig:
    export_path: Path | None = None  # CSV export folder when no USB stick is plugged in
    usb_mount_root: Path = Path("/media")
    typical_sale_sats: int = 50_000  # node status warns when the node could not receive this much


@dataclass(frozen=True)
class LedgerConfig:
    path: Path = Path("var/ledger.sqlite3")


@dataclass(frozen=True)
class DemoConfig:
    btc_price: Decimal = Decimal("95000")
    receipts_dir: Path = Path("var/receipts")


@dataclass(frozen=True)
class RatesConfig:
    enabled: bool = False  # off: the demo keeps its labelled rate, a real node charges sats only
    providers: str = "kraken, coinbase, bitstamp, coingecko"  # also: mempool
    min_sources: int = 2  # agreeing fresh quotes needed before fiat can be charged
    outlier_percent: Decimal = Decimal("2")  # a quote this far from the median is left out
    max_age_seconds: int = 300  # an older rate is never used: fiat charging stops
    max_quote_age_seconds: int = 180  # a provider's own timestamp older than this is stale
    refresh_seconds: float = 60.0
    retry_seconds: float = 10.0  # after a round without a rate
    timeout_seconds: float = 5.0
    kraken_url: str = "https://api.kraken.com"
    coinbase_url: str = "https://api.coinbase.com"
    bitstamp_url: str = "https://www.bitstamp.net"
    coingecko_url: str = "https://api.coingecko.com"
    mempool_url: str = "https://mempool.space"


@dataclass(frozen=True)
class TipsConfig:
    enabled: bool = False
    presets: str = "10, 15, 20"  # percentages offered after the amount
    custom: bool = True  # also offer a tip amount the customer types


@dataclass(frozen=True)
class TaxConfig:
    rate: Decimal = Decimal(0)  # percent, for the keypad and for products without their own; 0: no tax
    included: bool = True  # prices include the tax (VAT); false: it is added at the till (sales tax)
    rounding: str = "line"  # round each line's tax, or once per rate on the whole receipt
    tips_rate: Decimal | None = None  # tax on tips at this percent; unset: tips are not taxed

    @property
    def policy(self) -> TaxPolicy:
        return TaxPolicy(self.included, Rounding(self.rounding), self.tips_rate)


@dataclass(frozen=True)
class RefundsConfig:
    mode: str = (
        "record"  # record: cash back or handled elsewhere; voucher: an LNURL-withdraw the customer scans
    )
    voucher_url: str = ""  # voucher mode: the LNbits whose withdraw extension makes the vouchers
    voucher_key_file: Path | None = None  # an LNbits key that may only make withdraw links
    discount_limit_percent: Decimal = Decimal(10)  # a cashier's discount above this needs a manager's PIN


@dataclass(frozen=True)
class CatalogConfig:
    file: Path | None = None  # products and categories (TOML); none: keypad only


@dataclass(frozen=True)
class FleetConfig:
    """The central books on PostgreSQL (docs/fleet.md); no dsn_file: the outbox just waits."""

    dsn_file: Path | None = None  # a secret: this kiosk's role's connection string
    terminal_id: str = ""  # as registered with `fleet add-terminal`
    sslmode: str = "verify-full"  # the only one: the server's certificate and name are checked
    ca_file: Path | None = None  # the CA the database's certificate chains to; none: the system's
    batch: int = 500  # events per transaction
    warn_backlog_minutes: int = 60  # the cashier sees a quiet warning when unsent events are older

    @property
    def enabled(self) -> bool:
        return self.dsn_file is not None


@dataclass(frozen=True)
class Config:
    source: str = "built-in demo defaults"
    shop: ShopConfig = field(default_factory=ShopConfig)
    node: NodeConfig = field(default_factory=NodeConfig)
    payment: PaymentConfig = field(default_factory=PaymentConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    gpio: GpioConfig = field(default_factory=GpioConfig)
    nfc: NfcConfig = field(default_factory=NfcConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    ledger: LedgerConfig = field(default_factory=LedgerConfig)
    demo: DemoConfig = field(default_factory=DemoConfig)
    rates: RatesConfig = field(default_factory=RatesConfig)
    tips: TipsConfig = field(default_factory=TipsConfig)
    catalog: CatalogConfig = field(default_factory=CatalogConfig)
    tax: TaxConfig = field(default_factory=TaxConfig)
    refunds: RefundsConfig = field(default_factory=RefundsConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
    fleet: FleetConfig = field(default_factory=FleetConfig)

    @property
    def is_demo(self) -> bool:
        return self.node.backend == "demo"


SECTIONS: dict[str, type] = {
    f.name: typing.get_type_hints(Config)[f.name] for f in dataclasses.fields(Config) if f.name != "source"
}

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("node", "backend"): ("demo", "lnd", "cln", "lnbits", "phoenixd", "nwc", "btcpay"),
    ("printer", "kind"): ("none", "file", "usb", "serial", "network"),
    ("printer", "paper_width_mm"): ("58", "80"),
    ("printer", "render"): ("text", "image"),
    ("printer", "cjk"): ("", "gb18030"),
    ("gpio", "pin_factory"): ("", "lgpio", "rpigpio", "mock"),
    ("ui", "fullscreen"): ("auto", "yes", "no"),
    ("tax", "rounding"): ("line", "receipt"),
    ("refunds", "mode"): ("record", "voucher"),
    ("fleet", "sslmode"): ("verify-full",),
}


@dataclass(frozen=True)
class Limit:
    """The range a number must be in; `above` refuses `low` itself ("above 0")."""

    low: int | float | Decimal
    high: int | float | Decimal
    above: bool = False


DAY_S = 86_400
MAX_SATS = 21_000_000 * 100_000_000  # every bitcoin there will be; in msat it still fits SQLite's int64

# Every number in the config has its range here (tests/config checks that none is missing).
LIMITS: dict[tuple[str, str], Limit] = {
    ("node", "timeout_seconds"): Limit(0, 300, above=True),
    ("payment", "invoice_expiry_seconds"): Limit(30, 7 * DAY_S),
    ("payment", "grace_seconds"): Limit(0, 30 * DAY_S),
    ("payment", "poll_interval_seconds"): Limit(0, 60, above=True),
    ("payment", "max_sats"): Limit(1, MAX_SATS),
    ("payment", "max_fiat"): Limit(0, Decimal("1e12"), above=True),
    ("printer", "usb_vendor_id"): Limit(0, 0xFFFF),
    ("printer", "usb_product_id"): Limit(0, 0xFFFF),
    ("printer", "baudrate"): Limit(300, 4_000_000),
    ("printer", "port"): Limit(1, 65_535),
    ("printer", "timeout_seconds"): Limit(0, 300, above=True),
    ("printer", "status_timeout_seconds"): Limit(0, 60, above=True),
    ("gpio", "led_pin"): Limit(0, 27),
    ("gpio", "buzzer_pin"): Limit(0, 27),
    ("gpio", "button_pin"): Limit(0, 27),
    ("nfc", "timeout_seconds"): Limit(0, 60, above=True),
    ("ui", "width"): Limit(100, 10_000),
    ("ui", "height"): Limit(100, 10_000),
    ("ui", "idle_timeout_seconds"): Limit(30, DAY_S),
    ("admin", "typical_sale_sats"): Limit(1, MAX_SATS),
    ("demo", "btc_price"): Limit(0, Decimal("1e12"), above=True),
    ("rates", "min_sources"): Limit(1, 5),
    ("rates", "outlier_percent"): Limit(0, 100, above=True),
    ("rates", "max_age_seconds"): Limit(1, DAY_S),
    ("rates", "max_quote_age_seconds"): Limit(1, DAY_S),
    ("rates", "refresh_seconds"): Limit(0, DAY_S, above=True),
    ("rates", "retry_seconds"): Limit(0, DAY_S, above=True),
    ("rates", "timeout_seconds"): Limit(0, 300, above=True),
    ("tax", "rate"): Limit(0, 100),
    ("tax", "tips_rate"): Limit(0, 100),
    ("refunds", "discount_limit_percent"): Limit(0, 100),
    ("fleet", "batch"): Limit(1, 10_000),
    ("fleet", "warn_backlog_minutes"): Limit(1, 30 * 24 * 60),
}

# Paths that name a folder; every other path in the config names a file.
FOLDERS = frozenset({("admin", "export_path"), ("admin", "usb_mount_root"), ("demo", "receipts_dir")})
