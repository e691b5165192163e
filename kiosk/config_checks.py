"""Checks across a loaded config's values: choices that need each other, names that must exist."""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk import i18n
from kiosk.config_schema import Config
from kiosk.domain.money import CURRENCIES, UnknownCurrency, currency
from kiosk.domain.tips import NotAPercentage, parse_presets
from kiosk.errors import ConfigError
from kiosk.i18n import _, list_separator


def check(config: Config, where: str) -> None:
    try:
        currency(config.shop.currency)
    except UnknownCurrency:
        raise ConfigError(
            _("{where}: shop.currency = {code!r} is not a currency the kiosk knows").format(
                where=where, code=config.shop.currency
            ),
            one_of(sorted(CURRENCIES)),
        ) from None
    try:
        ZoneInfo(config.shop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            _("{where}: shop.timezone = {zone!r} is not a time zone").format(
                where=where, zone=config.shop.timezone
            ),
            _('Use a name such as "Europe/Berlin" or "Asia/Shanghai"'),
        ) from None
    try:
        parse_presets(config.tips.presets)
    except NotAPercentage as exc:
        raise ConfigError(
            _("{where}: tips.presets: {entry!r} is not a percentage between 0 and 100").format(
                where=where, entry=exc.entry
            ),
            _('Write percentages such as "10, 15, 20"'),
        ) from None
    if config.ui.language not in i18n.available_languages():
        raise ConfigError(
            _("{where}: ui.language = {language!r} has no translation").format(
                where=where, language=config.ui.language
            ),
            one_of(i18n.available_languages()),
        )
    node = config.node
    if node.backend not in ("demo", "nwc") and not node.url:  # NWC: the relay is in the URI
        raise ConfigError(
            _("{where}: node.url is missing for backend {backend!r}").format(
                where=where, backend=node.backend
            ),
            _('Set node.url, e.g. "https://10.0.0.5:8080"'),
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
                _("{where}: node.{key} is missing for backend {backend!r}").format(
                    where=where, key=key, backend=node.backend
                ),
                (
                    _("Set node.{key} to the file holding the credential")
                    if key.endswith("_file")
                    else _("Set node.{key} (BTCPay: the store's ID, under Store > Settings)")
                ).format(key=key),
            )
    printer = config.printer
    if printer.kind == "file" and printer.path is None:
        raise ConfigError(
            _("{where}: printer.path is missing for kind 'file'").format(where=where),
            _('Set printer.path, e.g. "/dev/usb/lp0"'),
        )
    if printer.kind == "usb" and not (printer.usb_vendor_id and printer.usb_product_id):
        raise ConfigError(
            _("{where}: printer.usb_vendor_id and printer.usb_product_id are needed for kind 'usb'").format(
                where=where
            ),
            _("Find them with `lsusb` (e.g. 0x0416 and 0x5011) and write them in the config"),
        )
    if printer.kind == "network" and not printer.host:
        raise ConfigError(
            _("{where}: printer.host is missing for kind 'network'").format(where=where),
            _("Set the printer's IP address"),
        )
    if printer.kind == "network" and not _is_host(printer.host):
        raise ConfigError(
            _("{where}: printer.host = {host!r} is not a host name or IP address").format(
                where=where, host=printer.host
            ),
            _('Write only the address, e.g. "192.168.1.50"; the port goes in printer.port'),
        )
    fleet = config.fleet
    if fleet.enabled and not TERMINAL_ID.match(fleet.terminal_id):
        raise ConfigError(
            _("{where}: fleet.terminal_id = {id!r} is not a terminal id").format(
                where=where, id=fleet.terminal_id
            ),
            _("Use the id given to `fleet add-terminal`: 1 to 40 lower-case letters, digits, - or _"),
        )
    if node.pubkey and not _is_pubkey(node.pubkey):
        raise ConfigError(
            _("{where}: node.pubkey is not a node's public key (66 hex digits starting 02 or 03)").format(
                where=where
            ),
            _("Copy identity_pubkey from `lncli getinfo`, or leave node.pubkey empty"),
        )


def one_of(options: list[str]) -> str:
    """The hint for a value that must be one of `options`."""
    return _("Use one of: {options}").format(options=list_separator().join(options))


TERMINAL_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _is_host(host: str) -> bool:
    try:
        return urlsplit(f"//{host}").hostname == host.lower() and not any(c.isspace() for c in host)
    except ValueError:
        return False


def _is_pubkey(text: str) -> bool:
    return len(text) == 66 and text[:2] in ("02", "03") and all(c in "0123456789abcdefABCDEF" for c in text)
