"""Open every file a config names, as the kiosk will: the ledger, key files, certificates, catalog, printer.

This is the composition root's side of the config: `kiosk.config` only reads values, while
these checks open the ledger through kiosk.storage, the printer profile through
kiosk.hardware and build the rate source through kiosk.rates. `findings` is what `doctor`
shows (it gets them from the CLI); `verify` (run by `load` and the commands) stops at the
first failure and logs the warnings, so the doctor passes exactly what the kiosk can run.
"""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from kiosk import config as kiosk_config
from kiosk.backends.lnbits_withdraw import voucher_key_name, voucher_settings_missing
from kiosk.catalog import load_catalog
from kiosk.config_schema import Config
from kiosk.credentials import CERT_FILES, KEY_FILES, exposed, read_secret
from kiosk.domain.money import currency
from kiosk.errors import ConfigError, KioskError, StorageError
from kiosk.i18n import _
from kiosk.services.doctor import Check, Status
from kiosk.storage.database import probe

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"


def load(path: Path | None) -> Config:
    """The config at `path` (None: the demo) with every file it names opened as the kiosk will."""
    config = kiosk_config.load(path)
    verify(config)
    return config


def verify(config: Config, parts: Collection[str] | None = None) -> None:
    """Raise the first failure among `parts` (all when None); log each warning, never a secret.

    A check's own ConfigError is raised as it is, so the setting it names (`key`) reaches the setup page.
    """
    for _part, check in _checks(config, parts):
        for status, message, hint in check():
            if status is Status.FAIL:
                raise ConfigError(message, hint)
            if status is Status.WARN:
                log.warning("%s: %s", message, hint)


def findings(config: Config, parts: Collection[str] | None = None) -> list[Check]:
    """One check per file part ("ledger", "credential", "certificate", "catalog", "printer", ...)."""
    found = []
    for part, check in _checks(config, parts):
        try:
            found += [Check(part, status, message, hint) for status, message, hint in check()]
        except KioskError as exc:
            found.append(Check(part, Status.FAIL, exc.message, exc.hint))
    return found


def _checks(config: Config, parts: Collection[str] | None) -> list[tuple[str, Callable[[], Result]]]:
    checks = {
        "ledger": lambda: _ledger(config.ledger.path),
        "credential": lambda: _credential(config),
        "certificate": lambda: _certificate(config),
        "catalog": lambda: _catalog(config),
        "printer": lambda: _printer(config),
        "folders": lambda: _folders(config),
        "rates": lambda: _rates(config),
        "gpio": lambda: _gpio(config),
        "nfc": lambda: _nfc(config),
    }
    return [(part, check) for part, check in checks.items() if parts is None or part in parts]


Result = Iterator[tuple[Status, str, str]]


def _ledger(path: Path) -> Result:
    if not path.exists():
        _creatable(path.parent, _("the ledger {path}").format(path=path))
        yield Status.OK, _("{path} will be created").format(path=path), ""
        return
    fix = _("Set ledger.path to a new file name: the kiosk creates the ledger there")
    if not path.is_file():
        raise ConfigError(_("The ledger {path} is not a file (a folder or a device)").format(path=path), fix)
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ConfigError(
            _("The kiosk may not read the ledger {path} ({error})").format(path=path, error=exc.strerror),
            _("Give the kiosk's user the file: chown it to that user"),
        ) from None
    if header and header != SQLITE_HEADER:
        raise ConfigError(_("The ledger {path} is not an SQLite database").format(path=path), fix)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise ConfigError(
            _("The kiosk may not write the ledger {path} or its folder").format(path=path),
            _("Give the kiosk's user the file and its folder: chown them to that user"),
        )
    try:
        probe(path)
    except StorageError as exc:
        raise ConfigError(
            _("The ledger {path} cannot be opened ({error})").format(path=path, error=exc.__cause__),
            _("Restore it from a backup; keep the damaged file for the accountant"),
        ) from None
    yield Status.OK, _("{path} opened").format(path=path), ""


def _creatable(folder: Path, what: str) -> None:
    """`folder` is a writable folder, or can be made in the nearest one that exists."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(
            _("{what}: {path} is a file, not a folder").format(what=what, path=existing),
            _("Choose a path inside a folder"),
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            _("{what}: the kiosk may not write in {path}").format(what=what, path=existing),
            _("Choose a folder the kiosk's user owns, e.g. under /var/lib/lightning-kiosk"),
        )


def _credential(config: Config) -> Result:
    for path, what, binary, key in _secret_files(config):
        try:
            read_secret(path, what, binary=binary)
        except ConfigError as exc:
            raise ConfigError(exc.message, exc.hint, key) from None
        yield Status.OK, _("{path} holds one {what}").format(path=path, what=what), ""
        warning = exposed(path, what)
        if warning is not None:
            yield Status.WARN, warning.message, warning.hint


def _secret_files(config: Config) -> Iterator[tuple[Path, str, bool, str]]:
    """The node's credential; with refunds.mode = "voucher", the withdraw key (a missing setting stops)."""
    if config.node.backend in KEY_FILES:
        key, what, binary = KEY_FILES[config.node.backend]
        yield getattr(config.node, key), what, binary, f"node.{key}"
    refunds, key = config.refunds, "refunds.voucher_key_file"
    if refunds.mode == "voucher":
        if refunds.voucher_key_file is None or not refunds.voucher_url:
            raise ConfigError(*voucher_settings_missing(), key)
        yield refunds.voucher_key_file, voucher_key_name(), False, key


def _certificate(config: Config) -> Result:
    key = CERT_FILES.get(config.node.backend)
    path: Path | None = getattr(config.node, key) if key else None
    if path is None:
        return
    fix = _("Copy the node's certificate (PEM) to {path}").format(path=path)
    if not path.is_file():
        raise ConfigError(
            _("The certificate {path} (node.{key}) is not a file").format(path=path, key=key), fix
        )
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise ConfigError(
            _("The certificate {path} (node.{key}) cannot be loaded ({error})").format(
                path=path, key=key, error=exc
            ),
            fix,
        ) from None
    yield Status.OK, _("{path} loaded").format(path=path), ""


def _catalog(config: Config) -> Result:
    if config.catalog.file is None:
        return
    products = load_catalog(config.catalog.file, currency(config.shop.currency))
    yield Status.OK, _("{count} products in {path}").format(count=len(products), path=config.catalog.file), ""


def _printer(config: Config) -> Result:
    printer = config.printer
    for key, path in (("shop.logo", config.shop.logo), ("printer.cjk_font", printer.cjk_font)):
        if path is not None and not path.is_file():
            raise ConfigError(
                _("{key} = {path} is not a file").format(key=key, path=path),
                _("Fix the path, or remove {key}").format(key=key),
            )
    from kiosk.hardware.rendering import paper_for  # python-escpos is slow to import: only when checked

    paper_for(printer)  # ConfigError for a profile python-escpos does not know
    device = {"file": printer.path, "serial": Path(printer.serial_device)}.get(printer.kind)
    if device is None:
        return
    if not device.exists():
        yield (
            Status.WARN,
            _("The printer {path} is not there").format(path=device),
            _("Plug the printer in and switch it on; receipts wait for it until then"),
        )
    elif device.is_dir():
        raise ConfigError(
            _("The printer {path} is a folder, not a device").format(path=device),
            _('Name the device, e.g. "/dev/usb/lp0" or "/dev/serial0"'),
        )
    elif not os.access(device, os.W_OK):
        raise ConfigError(
            _("The kiosk may not write to the printer {path}").format(path=device),
            _("Add the kiosk's user to the device's group (lp or dialout), or run deploy/install.sh"),
        )
    else:
        yield Status.OK, _("{path} can be written").format(path=device), ""


def _folders(config: Config) -> Result:
    folders = [("admin.export_path", config.admin.export_path)]
    if config.is_demo:
        folders.append(("demo.receipts_dir", config.demo.receipts_dir))
    for key, folder in folders:
        if folder is None:
            continue
        if folder.exists() and not folder.is_dir():
            raise ConfigError(
                _("{key} = {path} is a file, not a folder").format(key=key, path=folder),
                _("Name a folder for {key}").format(key=key),
            )
        _creatable(folder, key)
    root = config.admin.usb_mount_root
    if root.exists() and not root.is_dir():
        raise ConfigError(
            _("admin.usb_mount_root = {path} is a file, not a folder").format(path=root),
            _('Use the folder USB sticks are mounted under, e.g. "/media"'),
        )
    yield Status.OK, _("the folders can be written"), ""


def _rates(config: Config) -> Result:
    """The rate source is built (not started) as the kiosk builds it: providers, sources, ages."""
    unit = currency(config.shop.currency)
    if not config.rates.enabled or unit.is_sats or config.is_demo:
        return
    from kiosk.rates.registry import make_rate_source  # requests and every provider: only when checked

    make_rate_source(config.rates, unit).close()
    yield Status.OK, _("the rate providers for {currency} are set up").format(currency=unit.code), ""


def _gpio(config: Config) -> Result:
    if not config.gpio.enabled:
        return
    from kiosk.hardware.gpio import make_pin_factory  # gpiozero: only when checked

    factory = make_pin_factory(config.gpio.pin_factory)
    close = getattr(factory, "close", None)
    if close is not None:
        close()
    yield Status.OK, _("the GPIO pin factory starts"), ""


def _nfc(config: Config) -> Result:
    """Tap to pay: pyscard there, the issuer CA readable, and a reader (a missing one only warns:
    the kiosk runs and finds it when it is plugged in)."""
    nfc = config.nfc
    if not nfc.enabled:
        return
    if nfc.ca_cert_file is not None:
        try:
            ssl.create_default_context(cafile=str(nfc.ca_cert_file))
        except (OSError, ssl.SSLError) as exc:
            yield (
                Status.FAIL,
                _("nfc.ca_cert_file {path} is not a CA certificate the kiosk can read ({why})").format(
                    path=nfc.ca_cert_file, why=type(exc).__name__
                ),
                _("Copy the card service's CA certificate (PEM) there, or remove nfc.ca_cert_file"),
            )
            return
    from kiosk.wiring import pcsc_reader  # pyscard: only when checked

    found = pcsc_reader(nfc).readers_now()
    if found is None:
        yield (
            Status.WARN,
            _("pcscd, the card reader service, does not answer"),
            _("Install and start it: sudo apt install pcscd; sudo systemctl start pcscd.socket"),
        )
    elif not found:
        yield (
            Status.WARN,
            _("No card reader is connected"),
            _("Plug in the NFC reader (`pcsc_scan` lists what pcscd sees); check nfc.reader"),
        )
    else:
        yield Status.OK, _("card reader: {name}").format(name=found[0]), ""
