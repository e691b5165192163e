"""Checks across a loaded config's values: choices that need each other, names that must exist."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk import i18n
from kiosk.config_schema import Config
from kiosk.domain.money import UnknownCurrency, currency
from kiosk.domain.tips import parse_presets
from kiosk.errors import ConfigError


def check(config: Config, where: str) -> None:
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
    if node.backend not in ("demo", "nwc") and not node.url:  # NWC: the relay is in the URI
        raise ConfigError(
            f"{where}: node.url is missing for backend {node.backend!r}",
            'Set node.url, e.g. "https://10.0.0.5:8080"',
        )
    required = {
        "lnd": ("macaroon_file",),
        "cln": ("rune_file",),
        "lnbits": ("invoice_key_file",),
        "phoenixd": ("password_file",),
        "nwc": ("nwc_uri_file",),
        "btcpay": ("api_key_file", "store_id"),
    }
    for key in required.get(node.backend, ()):
        if getattr(node, key) in (None, ""):
            raise ConfigError(
                f"{where}: node.{key} is missing for backend {node.backend!r}",
                f"Set node.{key} to the file holding the credential"
                if key.endswith("_file")
                else f"Set node.{key} (BTCPay: the store's ID, under Store > Settings)",
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
