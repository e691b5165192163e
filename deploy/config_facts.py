"""What deploy/install.sh needs to know from a kiosk config, as shell assignments.

Loads the file with the kiosk's own loader, so a wrong key stops the install with the same message
and fix the kiosk would give. Run with the app on PYTHONPATH:
    PYTHONPATH=APP_DIR python deploy/config_facts.py CONFIG
Exit 2 with the error on stderr when the config is wrong.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from kiosk import config as kiosk_config
from kiosk.credentials import KEY_FILES
from kiosk.errors import ConfigError

# Every backend's credential file (the kiosk's own list), so a new backend needs no edit here.
SECRET_KEYS = tuple(key for key, _what, _binary in KEY_FILES.values())
CERT_KEYS = ("tls_cert_file", "ca_cert_file")


def facts(config: kiosk_config.Config) -> dict[str, str]:
    node, printer = config.node, config.printer

    def files(keys: tuple[str, ...]) -> str:
        return " ".join(str(getattr(node, key)) for key in keys if getattr(node, key) is not None)

    return {
        "backend": node.backend,
        "secret_files": files(SECRET_KEYS),
        "cert_files": files(CERT_KEYS),
        "printer_kind": printer.kind,
        "usb_vendor": f"{printer.usb_vendor_id:04x}",
        "usb_product": f"{printer.usb_product_id:04x}",
        "serial_device": printer.serial_device,
        "ledger": str(config.ledger.path.resolve()),
        "receipts_dir": str(config.demo.receipts_dir.resolve()),
        "nfc": "yes" if config.nfc.enabled else "no",
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: config_facts.py CONFIG", file=sys.stderr)
        return 2
    try:
        config = kiosk_config.load(Path(argv[0]))  # the files arrive after the install
    except ConfigError as exc:
        print(f"{exc.message}\nTo fix it: {exc.hint}" if exc.hint else exc.message, file=sys.stderr)
        return 2
    for name, value in facts(config).items():
        print(f"cfg_{name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
