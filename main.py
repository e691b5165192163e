"""Start the Lightning kiosk's touchscreen app.

python main.py [--config PATH] [--demo] [--demo-pay-after SECONDS] [--tour DIR]
               [--windowed] [--measure-startup]
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import resource
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config as kiosk_config
from kiosk import preflight
from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.ui import display

if TYPE_CHECKING:
    from kiosk.ui.heartbeat import Heartbeat

log = logging.getLogger("kiosk")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Lightning point-of-sale kiosk (touchscreen app)")
    parser.add_argument("--config", help="TOML config file (default: $KIOSK_CONFIG, then config/kiosk.toml)")
    parser.add_argument("--demo", action="store_true", help="use the built-in demo node: no real money")
    parser.add_argument(
        "--demo-pay-after", type=float, metavar="SECONDS", help="demo: pay every invoice after SECONDS"
    )
    parser.add_argument("--tour", metavar="DIR", type=Path, help="tap through every screen, save PNGs, exit")
    parser.add_argument("--windowed", action="store_true", help="never fullscreen")
    parser.add_argument(
        "--measure-startup", action="store_true", help="print start-up time and memory once ready, then exit"
    )
    return parser.parse_args(argv)


def process_age_s() -> float:
    """Seconds since this process started, interpreter start-up included (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - started


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def for_the_tour(config: Config, folder: Path) -> Config:
    """The tour's sales go to a throw-away ledger and receipts folder, never the shop's.

    It shows every step, so tips are on and a catalog is there even if the shop uses neither.
    """
    return dataclasses.replace(
        config,
        ledger=dataclasses.replace(config.ledger, path=folder / "ledger.sqlite3"),
        demo=dataclasses.replace(config.demo, receipts_dir=folder / "receipts"),
        tips=dataclasses.replace(config.tips, enabled=True),
        catalog=dataclasses.replace(config.catalog, file=config.catalog.file or kiosk_config.DEMO_CATALOG),
        # The export goes to the scratch folder: never to a USB stick that happens to be plugged in.
        admin=dataclasses.replace(
            config.admin, usb_mount_root=folder / "media", export_path=folder / "exports"
        ),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = preflight.load(kiosk_config.resolve_path(args.config))
    except ConfigError as exc:
        print(f"Config error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"To fix it: {exc.hint}", file=sys.stderr)
        return 2
    if args.demo or args.tour:
        config = dataclasses.replace(config, node=dataclasses.replace(config.node, backend="demo"))
    with tempfile.TemporaryDirectory(prefix="kiosk-tour-") as scratch:
        if args.tour:
            config = for_the_tour(config, Path(scratch))
        return run(config, args)


def run(config: Config, args: argparse.Namespace) -> int:
    windowed = args.windowed or bool(args.tour)
    fullscreen = display.wants_fullscreen(
        config.ui.fullscreen, windowed, os.environ, display.is_raspberry_pi()
    )
    from kiosk.ui.boot import configure_kivy

    configure_kivy(fullscreen, config.ui.width, config.ui.height)
    from kiosk.ui.app import KioskApp
    from kiosk.ui.heartbeat import Heartbeat
    from kiosk.wiring import build

    services = build(config, args.demo_pay_after)
    log.info("config: %s; node: %s", config.source, config.node.backend)
    try:
        if args.tour:
            from kiosk.ui.tour import run_tour

            return run_tour(KioskApp(services), args.tour)
        heartbeat = Heartbeat()
        app = KioskApp(services, on_ready=lambda: ready(app, heartbeat, args.measure_startup))
        app.run()
        return app.exit_code
    finally:
        services.close()


def ready(app: object, heartbeat: Heartbeat, measuring: bool) -> None:
    log.info("keypad ready %.2f s after process start", process_age_s())
    heartbeat.start()
    if measuring:
        print(
            f"startup: keypad ready in {process_age_s():.2f} s; peak RSS {peak_rss_mib():.0f} MiB", flush=True
        )
        app.stop()


if __name__ == "__main__":
    sys.exit(main())
