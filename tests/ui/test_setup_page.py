"""A setup problem at start-up is a page on the screen with Try again, not a traceback and a restart loop.

The real app, headless, started as main.py starts it (`wiring.Launch` on a config file) against an LND
double on loopback whose macaroon file is not there yet.
"""

from __future__ import annotations

import os

import pytest

from kiosk.errors import ConfigError
from kiosk.ui import routing
from tests.ui.test_main import run_main

pytestmark = pytest.mark.ui


def lnd_config(tmp_path, lnd) -> tuple:
    macaroon = tmp_path / "invoice.macaroon"
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[shop]\ncurrency = "SAT"\n\n[node]\nbackend = "lnd"\nurl = "{lnd.url}"\n'
        f'macaroon_file = "{macaroon}"\ntls_cert_file = "{lnd.tls_cert_file}"\n'
        f'network = "regtest"\npubkey = "{lnd.book.pubkey}"\n\n'
        f'[ledger]\npath = "{tmp_path / "ledger.sqlite3"}"\n',
        encoding="utf-8",
    )
    return config, macaroon


def test_a_missing_macaroon_keeps_the_kiosk_up_on_the_setup_page_until_try_again_finds_it(
    tmp_path, lnd, capfd
):
    from kiosk.ui.boot import configure_kivy

    configure_kivy(fullscreen=False, width=800, height=480)
    from kiosk.launch import Launch
    from kiosk.ui.app import KioskApp
    from tools.tour.driving import Driver

    config, macaroon = lnd_config(tmp_path, lnd)
    launch = Launch(config)
    with pytest.raises(ConfigError) as caught:
        launch()
    app = KioskApp(caught.value, launch, config_file=config)
    driver = Driver(app)
    driver.start()
    try:
        driver.wait_for_screen(routing.SETUP)
        page = app.root.get_screen(routing.SETUP)
        assert page.message == f"The LND macaroon file {macaroon} does not exist"
        assert page.where == f"Config file: {config}\nSetting: node.macaroon_file"
        assert page.to_fix == f"To fix it: Copy the LND macaroon to {macaroon}"
        assert app.exit_code == 2  # were the window closed now: as for a bad config
        assert f"Setup problem: The LND macaroon file {macaroon} does not exist" in capfd.readouterr().err

        # Try again with the file still missing: the page stays, the app runs on.
        driver.tap(driver.get(routing.SETUP, "try_again"))
        driver.wait_until(lambda: not page.trying, "the second attempt answered")
        assert driver.screen == routing.SETUP and app.problem is not None and app.controller is None
        assert "does not exist" in capfd.readouterr().err  # the terminal hears it again

        macaroon.write_bytes(lnd.kiosk_macaroon)
        os.chmod(macaroon, 0o600)
        driver.tap(driver.get(routing.SETUP, "try_again"))
        driver.wait_for_screen(routing.KEYPAD)
        assert app.problem is None and app.exit_code == 0
        assert not app.root.has_screen(routing.SETUP)
        assert launch.services is not None and launch.services.backend.name == "lnd"
    finally:
        driver.stop()
        launch.close()


def test_with_no_screen_to_show_it_on_a_setup_problem_is_told_on_the_terminal_with_exit_code_2(tmp_path, lnd):
    config, macaroon = lnd_config(tmp_path, lnd)
    result = run_main("--config", str(config), cwd=tmp_path)  # SDL_VIDEODRIVER=offscreen: nobody sees a page
    assert result.returncode == 2
    assert f"Setup problem: The LND macaroon file {macaroon} does not exist" in result.stderr
    assert f"Config file: {config}\nSetting: node.macaroon_file\n" in result.stderr
    assert f"To fix it: Copy the LND macaroon to {macaroon}" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_tours_setup_page_names_an_installed_kiosks_files_not_its_scratch_folder(tmp_path):
    from kiosk import config as kiosk_config
    from kiosk.ui import viewmodels
    from tools.tour.run import SHOWN_FOLDER, TourKiosk

    macaroon = SHOWN_FOLDER / "secrets" / "invoice.macaroon"
    if macaroon.exists():
        pytest.skip("this machine has an installed kiosk's macaroon")
    (tmp_path / "setup").mkdir()
    kiosk = TourKiosk(kiosk_config.load(None), tmp_path)
    problem = kiosk.first()
    assert isinstance(problem, ConfigError)
    view = viewmodels.setup_view(problem, kiosk.shown_config)
    assert view.message == f"The LND macaroon file {macaroon} does not exist"
    assert view.where == ("Config file: /etc/lightning-kiosk/kiosk.toml", "Setting: node.macaroon_file")
    assert str(tmp_path) not in view.terminal_text
