"""The touchscreen's start-up: read the config, check its files, `wiring.build`; again on Try again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk import config as kiosk_config
from kiosk import i18n, preflight
from kiosk.config import Config, NodeConfig
from kiosk.services.till import Till
from kiosk.wiring import Services, build


class Launch:
    """The touchscreen's start: read the config and build the services, again on each call.

    A KioskError (a config value, a credential or printer file, the ledger) stops the attempt; the
    app shows it on its setup page, whose Try again calls this once more.
    """

    def __init__(
        self, path: Path | None, *, demo: bool = False, demo_pay_after_s: float | None = None
    ) -> None:
        self.path = path
        self.config: Config | None = None  # the last config read, if it could be
        self.services: Services | None = None
        self._demo = demo
        self._demo_pay_after_s = demo_pay_after_s

    def __call__(self) -> Till:
        config = kiosk_config.load(self.path)
        if self._demo:
            config = dataclasses.replace(config, node=NodeConfig(backend="demo"))
        i18n.set_language(config.ui.language)  # a problem with the files below is told in this language
        self.config = config
        preflight.verify(config)
        self.services = build(config, demo_pay_after_s=self._demo_pay_after_s)
        return self.services.till

    def close(self) -> None:
        if self.services is not None:
            self.services.close()
