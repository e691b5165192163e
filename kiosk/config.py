"""Kiosk configuration: a TOML file loaded into frozen dataclasses.

Every key is checked for its type; a wrong key or value raises ConfigError
naming the file, the key and the fix. Paths in the file are relative to the
file. Secrets are never read here: only the paths to the files holding them.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk import i18n
from kiosk.domain.money import UnknownCurrency, currency
from kiosk.domain.tips import parse_presets
from kiosk.errors import ConfigError

DEFAULT_CONFIG = Path("config/kiosk.toml")
ENV_VAR = "KIOSK_CONFIG"
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
class CatalogConfig:
    file: Path | None = None  # products and categories (TOML); none: keypad only


@dataclass(frozen=True)
class Config:
    source: str = "built-in demo defaults"
    shop: ShopConfig = field(default_factory=ShopConfig)
    node: NodeConfig = field(default_factory=NodeConfig)
    payment: PaymentConfig = field(default_factory=PaymentConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    gpio: GpioConfig = field(default_factory=GpioConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    ledger: LedgerConfig = field(default_factory=LedgerConfig)
    demo: DemoConfig = field(default_factory=DemoConfig)
    rates: RatesConfig = field(default_factory=RatesConfig)
    tips: TipsConfig = field(default_factory=TipsConfig)
    catalog: CatalogConfig = field(default_factory=CatalogConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)

    @property
    def is_demo(self) -> bool:
        return self.node.backend == "demo"


SECTIONS: dict[str, type] = {
    f.name: typing.get_type_hints(Config)[f.name] for f in dataclasses.fields(Config) if f.name != "source"
}

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("node", "backend"): ("demo", "lnd", "cln", "lnbits"),
    ("printer", "kind"): ("none", "file", "usb", "serial", "network"),
    ("printer", "paper_width_mm"): ("58", "80"),
    ("printer", "render"): ("text", "image"),
    ("printer", "cjk"): ("", "gb18030"),
    ("gpio", "pin_factory"): ("", "lgpio", "rpigpio", "mock"),
    ("ui", "fullscreen"): ("auto", "yes", "no"),
}


def resolve_path(cli_path: str | None) -> Path | None:
    """--config wins, then $KIOSK_CONFIG, then config/kiosk.toml if present; None means demo."""
    if cli_path:
        return Path(cli_path)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def load(path: Path | None) -> Config:
    """The config at `path`; None gives the built-in demo, which shows tips and a catalog too."""
    if path is None:
        return Config(tips=TipsConfig(enabled=True), catalog=CatalogConfig(DEMO_CATALOG))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such config file",
            "Copy config/kiosk.example.toml to that path, or start without --config for the demo",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})", "Fix the line it names") from None
    except UnicodeDecodeError as exc:  # a garbled SD card, or a binary file given by mistake
        raise ConfigError(
            f"{path}: not a text file (byte {exc.start} is not UTF-8)",
            "Restore the file from a backup, or copy config/kiosk.example.toml there and fill it in again",
        ) from None
    return parse(data, path)


def parse(data: dict, path: Path) -> Config:
    where = str(path)
    base = path.parent
    unknown = set(data) - set(SECTIONS)
    if unknown:
        name = sorted(unknown)[0]
        raise ConfigError(f"{where}: unknown section [{name}]", _did_you_mean(name, SECTIONS))
    sections = {}
    for name, cls in SECTIONS.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: '{name}' must be a [{name}] section", "")
        sections[name] = _section(cls, name, table, where, base)
    config = Config(source=where, **sections)
    _check(config, where)
    return config


def _section(cls: type, name: str, table: dict, where: str, base: Path) -> object:
    hints = typing.get_type_hints(cls)
    unknown = set(table) - set(hints)
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(f"{where}: unknown key {name}.{key}", _did_you_mean(key, hints))
    values = {}
    for key, raw in table.items():
        values[key] = _convert(raw, hints[key], f"{name}.{key}", where, base)
        allowed = CHOICES.get((name, key))
        if allowed and str(values[key]) not in allowed:
            raise ConfigError(
                f"{where}: {name}.{key} = {raw!r} is not allowed",
                "Use one of: " + ", ".join(allowed),
            )
    return cls(**values)


def _convert(raw: object, hint: object, key: str, where: str, base: Path) -> object:
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType)
    target = next(a for a in typing.get_args(hint) if a is not type(None)) if optional else hint

    def wrong(expected: str) -> ConfigError:
        return ConfigError(f"{where}: {key} = {raw!r} is not {expected}", f"Write {key} as {expected}")

    if target is bool:
        if not isinstance(raw, bool):
            raise wrong("true or false")
        return raw
    if target is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise wrong("a whole number")
        return raw
    if target is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise wrong("a number")
        return float(raw)
    if target is Decimal:
        # Money comes as a string ("12.50") so TOML's floats never touch it.
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            raise wrong('a quoted decimal such as "12.50"')
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            raise wrong('a quoted decimal such as "12.50"') from None
    if target is Path:
        if not isinstance(raw, str) or not raw:
            raise wrong("a file path in quotes")
        p = Path(raw).expanduser()
        return p if p.is_absolute() else base / p
    if not isinstance(raw, str):
        raise wrong("text in quotes")
    return raw


def _check(config: Config, where: str) -> None:
    try:
        currency(config.shop.currency)
    except UnknownCurrency as exc:
        raise ConfigError(f"{where}: shop.currency: {exc}", "") from None
    try:
        ZoneInfo(config.shop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{where}: shop.timezone = {config.shop.timezone!r} is not a time zone",
            'Use a name such as "Europe/Berlin" or "Asia/Shanghai"',
        ) from None
    try:
        parse_presets(config.tips.presets)
    except ValueError as exc:
        raise ConfigError(f"{where}: tips.presets: {exc}", 'Write percentages such as "10, 15, 20"') from None
    if config.ui.language not in i18n.available_languages():
        raise ConfigError(
            f"{where}: ui.language = {config.ui.language!r} has no translation",
            "Use one of: " + ", ".join(i18n.available_languages()),
        )
    p = config.payment
    if p.invoice_expiry_seconds < 30:
        raise ConfigError(
            f"{where}: payment.invoice_expiry_seconds is under 30", "Give customers time to pay: 120 or more"
        )
    if p.poll_interval_seconds <= 0:
        raise ConfigError(f"{where}: payment.poll_interval_seconds must be above 0", "Use 1.0")
    if p.grace_seconds < 0 or p.max_sats <= 0 or p.max_fiat <= 0:
        raise ConfigError(f"{where}: payment limits must be positive", "")
    if config.ui.idle_timeout_seconds < 30:
        raise ConfigError(
            f"{where}: ui.idle_timeout_seconds is under 30", "Give the cashier time: 60 or more"
        )
    if config.admin.typical_sale_sats <= 0:
        raise ConfigError(
            f"{where}: admin.typical_sale_sats must be above 0", "Use your usual sale, e.g. 50000"
        )
    node = config.node
    if node.backend != "demo" and not node.url:
        raise ConfigError(
            f"{where}: node.url is missing for backend {node.backend!r}",
            'Set node.url, e.g. "https://10.0.0.5:8080"',
        )
    required = {"lnd": ("macaroon_file",), "cln": ("rune_file",), "lnbits": ("invoice_key_file",)}
    for key in required.get(node.backend, ()):
        if getattr(node, key) is None:
            raise ConfigError(
                f"{where}: node.{key} is missing for backend {node.backend!r}",
                f"Set node.{key} to the file holding the credential",
            )
    printer = config.printer
    if printer.kind == "file" and printer.path is None:
        raise ConfigError(
            f"{where}: printer.path is missing for kind 'file'", 'Set printer.path, e.g. "/dev/usb/lp0"'
        )
    if printer.kind == "network" and not printer.host:
        raise ConfigError(
            f"{where}: printer.host is missing for kind 'network'", "Set the printer's IP address"
        )


def _did_you_mean(name: str, known: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    options = ", ".join(sorted(known))
    return f"Did you mean {close[0]!r}? Known: {options}" if close else f"Known: {options}"
