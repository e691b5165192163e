"""Headless Kivy for the UI tests: set before anything imports Kivy."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Config, LedgerConfig

if TYPE_CHECKING:
    from kiosk.services.till import Till
    from kiosk.wiring import Services
    from tools.tour.driving import Driver

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_NO_CONFIG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")


@contextlib.contextmanager
def headless_kiosk(
    config: Config, make_till: Callable[[Services], Till] | None = None, **parts: object
) -> Iterator[Driver]:
    """The real app on `config` in an 800x480 headless window, driven by a Driver; closed after.

    `parts` (backend, printer, rates, clock_ms) go to `wiring.build`: a test's stand-ins are built in.
    `make_till` changes what the screens get (e.g. an outbox's status without a central database).
    """
    from kiosk.ui.boot import configure_kivy

    configure_kivy(fullscreen=False, width=800, height=480)
    from kiosk.ui.app import KioskApp
    from kiosk.wiring import build
    from tools.tour.driving import Driver

    services = build(config, **parts)
    till = services.till if make_till is None else make_till(services)
    driver = Driver(KioskApp(till), services)
    loops = LayoutLoops()
    logging.getLogger("kivy").addHandler(loops)
    driver.start()
    try:
        driver.resize(800, 480)  # whatever size an earlier test's window was left at
        yield driver
    finally:
        driver.stop()
        services.close()
        logging.getLogger("kivy").removeHandler(loops)
    assert not loops.seen, f"a layout that never settles: {loops.seen[0]}"


class LayoutLoops(logging.Handler):
    """Kivy's warning that layouts kept re-triggering each other: taps then land on moving widgets."""

    def __init__(self) -> None:
        super().__init__(logging.CRITICAL)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "too much iteration" in record.getMessage():
            self.seen.append(record.getMessage())


@contextlib.contextmanager
def printing_kiosk(config: Config) -> Iterator[Driver]:
    """`headless_kiosk` printing to a python-escpos Dummy through the kiosk's ESC/POS adapter:
    every print session's bytes are in the driver's `paper.sessions`."""
    from tests.admin.test_admin import dummy_printer

    printer, paper = dummy_printer()
    with headless_kiosk(config, printer=printer) as d:
        d.paper = paper
        yield d


def scratch_config(folder: Path, **sections: object) -> Config:
    """A config whose ledger and demo receipts live in `folder`."""
    config = Config(ledger=LedgerConfig(folder / "ledger.sqlite3"), **sections)
    return dataclasses.replace(
        config, demo=dataclasses.replace(config.demo, receipts_dir=folder / "receipts")
    )
