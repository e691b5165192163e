"""The tour's start: its own config and parts, the setup page first, then every screen of a shift.

It starts as the kiosk starts (`kiosk.wiring.Launch` on a config file) on a config whose LND
macaroon file is missing, so the first screen is the setup page; the merchant then "fixes" it
(here: the tour's demo config) and taps Try again, which reaches the keypad. Everything after runs
on the demo node through the tour's stand-in node and printer, injected into `wiring.build`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path

from kiosk import config as kiosk_config
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.launch import Launch
from kiosk.services.till import Till
from kiosk.ui import routing, viewmodels
from kiosk.wiring import Services, build, configured_printer
from tools.tour.parts import TourNode, TourPrinter, TourVouchers

log = logging.getLogger(__name__)


# The tour's shop charges VAT, included in its prices (they look as without it: only the receipts, the
# sale's detail and the report show net, tax per rate and gross); one product has a reduced rate.
TOUR_VAT = Decimal(8)
TOUR_REDUCED_VAT = Decimal("2.5")


def for_the_tour(config: Config, folder: Path) -> Config:
    """The demo node; the tour's sales go to a throw-away ledger and receipts folder, never the shop's.

    It shows every step, so tips are on, a catalog is there, VAT is included and refunds are vouchers,
    whatever the shop uses.
    """
    return dataclasses.replace(
        config,
        node=kiosk_config.NodeConfig(backend="demo"),
        ledger=dataclasses.replace(config.ledger, path=folder / "ledger.sqlite3"),
        demo=dataclasses.replace(config.demo, receipts_dir=folder / "receipts"),
        tips=dataclasses.replace(config.tips, enabled=True),
        refunds=dataclasses.replace(config.refunds, mode="voucher"),  # made by TourVouchers
        catalog=dataclasses.replace(config.catalog, file=tour_catalog(config.catalog.file, folder)),
        tax=dataclasses.replace(config.tax, rate=TOUR_VAT, included=True),
        # The export goes to the scratch folder: never to a USB stick that happens to be plugged in.
        admin=dataclasses.replace(
            config.admin, usb_mount_root=folder / "media", export_path=folder / "exports"
        ),
    )


def tour_catalog(shop_catalog: Path | None, folder: Path) -> Path:
    """The shop's catalog (or the demo's) with the reduced VAT rate on the first product of its second
    category (the tour's cart takes it: tools.tour.steps), written into `folder`."""
    source = shop_catalog or kiosk_config.DEMO_CATALOG
    products = tomllib.loads(source.read_text(encoding="utf-8"))["product"]
    for product in products:  # pictures are found beside the catalog: the shop's folder, not ours
        if "image" in product:
            product["image"] = str(source.parent / product["image"])
    first = products[0]["category"]
    reduced = next((p for p in products if p["category"] != first), products[0])
    reduced.setdefault("tax_rate", str(TOUR_REDUCED_VAT))
    tables = [
        "[[product]]\n" + "".join(f"{k} = {json.dumps(str(v))}\n" for k, v in p.items()) for p in products
    ]
    path = folder / "catalog.toml"
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


# Where deploy/install.sh puts the config and its secrets: the setup page names these, not the
# tour's random scratch folder, so its screenshots are the same on every run and look like a Pi's.
SHOWN_FOLDER = Path("/etc/lightning-kiosk")


def missing_macaroon(folder: Path) -> Path:
    """A macaroon file that is not there: the installed kiosk's, unless this machine has that one."""
    shown = SHOWN_FOLDER / "secrets" / "invoice.macaroon"
    return folder / "secrets" / "invoice.macaroon" if shown.exists() else shown


def missing_macaroon_config(config: Config, folder: Path) -> Path:
    """A config file in `folder` for an LND node whose macaroon was never copied (the setup page)."""
    path = folder / "kiosk.toml"
    lines = [
        f'[ui]\nlanguage = "{config.ui.language}"\n',
        '[node]\nbackend = "lnd"\nurl = "https://10.0.0.5:8080"',
        f'macaroon_file = "{missing_macaroon(folder)}"\n',
        f'[ledger]\npath = "{folder / "ledger.sqlite3"}"',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class TourKiosk:
    """The tour's composition: the real start-up on the broken config, then the demo with its parts."""

    def __init__(self, config: Config, folder: Path) -> None:
        self.config = for_the_tour(config, folder)
        self.node = TourNode()
        self.printer = TourPrinter(configured_printer(self.config))
        self.broken = missing_macaroon_config(config, folder / "setup")
        # What the setup page names as the config file: where an installed kiosk keeps it.
        self.shown_config = SHOWN_FOLDER / "kiosk.toml"
        self.services: Services | None = None

    def first(self) -> Till | KioskError:
        try:
            return Launch(self.broken)()
        except KioskError as exc:
            return exc

    def fixed(self) -> Till:
        """Try again, once the merchant has fixed the config: the tour's own."""
        self.services = build(self.config, backend=self.node, printer=self.printer, vouchers=TourVouchers())
        return self.services.till

    def close(self) -> None:
        if self.services is not None:
            self.services.close()


def run_tour(path: Path | None, out: Path) -> int:
    """`python main.py --tour DIR`: 0 when every screen was reached and saved, 1 when one was not."""
    try:
        config = kiosk_config.load(path)
    except KioskError as exc:
        print(viewmodels.setup_view(exc, path).terminal_text)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    from kiosk.ui.boot import configure_kivy

    configure_kivy(False, config.ui.width, config.ui.height)
    from kiosk.ui.app import KioskApp
    from tools.tour.driving import Driver, NotReached
    from tools.tour.steps import tour

    with tempfile.TemporaryDirectory(prefix="kiosk-tour-") as scratch:
        (Path(scratch) / "setup").mkdir()
        kiosk = TourKiosk(config, Path(scratch))
        driver = Driver(KioskApp(kiosk.first(), kiosk.fixed, config_file=kiosk.shown_config))
        driver.start()
        try:
            driver.wait_for_screen(routing.SETUP)
            driver.screenshot(out / "00-setup-problem.png")
            driver.tap(driver.get(routing.SETUP, "try_again"))
            driver.wait_for_screen(routing.KEYPAD)
            driver.services = kiosk.services
            tour(driver, kiosk.node, kiosk.printer, out)
        except NotReached as exc:
            log.error("tour failed: %s", exc)
            return 1
        finally:
            driver.stop()
            kiosk.close()
    log.info("tour done: screenshots in %s", out)
    return 0
