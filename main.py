"""Start the Lightning kiosk's touchscreen app.

python main.py [--config PATH] [--demo] [--demo-pay-after SECONDS] [--tour DIR]
               [--windowed] [--measure-startup]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import resource
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config as kiosk_config
from kiosk import i18n
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.launch import Launch
from kiosk.services.till import Till
from kiosk.ui import display, strings, viewmodels

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp
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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    path = kiosk_config.resolve_path(args.config)
    if args.tour:
        try:
            from tools.tour.run import run_tour  # a development tool: in a checkout, not in the installed app
        except ModuleNotFoundError as exc:
            if exc.name != "tools" and not (exc.name or "").startswith("tools."):
                raise
            return no_tour(path)
        return run_tour(path, args.tour)
    launch = Launch(path, demo=args.demo, demo_pay_after_s=args.demo_pay_after)
    try:
        start: Till | KioskError = launch()
    except KioskError as exc:
        if not display.can_show_window(os.environ):  # nobody would see the setup page: say it here
            print(viewmodels.setup_view(exc, path).terminal_text, file=sys.stderr)
            return display.SETUP_EXIT_CODE
        start = exc  # the setup page shows it, with Try again; systemd sees a kiosk that is up
    try:
        return run(launch, start, args)
    finally:
        launch.close()


def no_tour(path: Path | None) -> int:
    """`--tour` where tools/ was not installed: say so in the config's language, exit 2."""
    with contextlib.suppress(KioskError):  # a broken config: English; its own error waits for a real start
        i18n.set_language(kiosk_config.load(path).ui.language)
    print(KioskError(strings.TOUR_NEEDS_CHECKOUT, strings.TOUR_NEEDS_CHECKOUT_HINT), file=sys.stderr)
    return display.SETUP_EXIT_CODE


def run(launch: Launch, start: Till | KioskError, args: argparse.Namespace) -> int:
    ui = (launch.config or Config()).ui  # a config that could not be read: the default window
    fullscreen = display.wants_fullscreen(ui.fullscreen, args.windowed, os.environ, display.is_raspberry_pi())
    from kiosk.ui.boot import configure_kivy

    configure_kivy(fullscreen, ui.width, ui.height)
    from kiosk.ui.app import KioskApp
    from kiosk.ui.heartbeat import Heartbeat

    log.info("config: %s", launch.path or "none (the built-in demo)")
    heartbeat = Heartbeat()
    app = KioskApp(
        start, launch, config_file=launch.path, on_ready=lambda: ready(app, heartbeat, args.measure_startup)
    )
    app.run()
    return app.exit_code


def ready(app: KioskApp, heartbeat: Heartbeat, measuring: bool) -> None:
    """The first frame is drawn (the keypad, or the setup page): systemd hears the kiosk is up."""
    heartbeat.start()
    if app.problem is not None:
        log.info("setup page shown %.2f s after process start", process_age_s())
        return
    log.info("keypad ready %.2f s after process start", process_age_s())
    if measuring:
        print(
            f"startup: keypad ready in {process_age_s():.2f} s; peak RSS {peak_rss_mib():.1f} MiB", flush=True
        )
        app.stop()


if __name__ == "__main__":
    sys.exit(main())
