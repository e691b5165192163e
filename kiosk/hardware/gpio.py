"""Status LED, buzzer and a push button on the Pi's GPIO header, through gpiozero.

The signals follow the sale: the LED is on when the kiosk is ready, blinks
slowly while a customer pays, fast for a few seconds once paid, and double-
blinks on an error (a failed sale, or a printer that holds receipts back). The
buzzer beeps once on a payment and sounds a distinct alarm on a late one; a card
tapped on the NFC reader gets a short chirp at once.
The button reprints the last receipt, or cancels the sale awaiting payment.

Every device gets its pin factory passed in: gpiozero's global default is
never changed. With GPIO disabled (a desktop) `make_signals` returns a
NullSignals that does nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from itertools import chain, cycle
from typing import Protocol

from kiosk.config import GpioConfig
from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import ConfigError, KioskError
from kiosk.services.printer_port import PrinterHealth

log = logging.getLogger(__name__)

STEP_S = 0.1  # every pattern is a sequence of on/off values, one per step

READY = [1]
AWAITING = [1] * 5 + [0] * 5  # slow blink: 0.5 s on, 0.5 s off
PAID_BLINK_S = 3.0
ERROR_PATTERN = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0]  # double blink, then a pause
PAID_BEEP = [1, 1, 0]  # one short beep
TAP_CHIRP = [1, 0]  # a card was read: 0.1 s
LATE_ALARM = [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0]  # three long beeps

PRINTER_PROBLEMS = {
    PrinterHealth.NOT_CONNECTED,
    PrinterHealth.PAPER_OUT,
    PrinterHealth.OFFLINE,
    PrinterHealth.ERROR,
}


def paid_pattern() -> Iterable[int]:
    """Fast blink for a few seconds, then steady on (ready again)."""
    return chain([1, 0] * int(PAID_BLINK_S / STEP_S / 2), READY)


class Signals(Protocol):
    def sale_changed(self, sale: Sale) -> None: ...

    def printer_changed(self, health: PrinterHealth) -> None: ...

    def card_read(self) -> None: ...

    def close(self) -> None: ...


class NullSignals:
    """No GPIO on this machine (gpio.enabled = false)."""

    def sale_changed(self, sale: Sale) -> None:
        pass

    def printer_changed(self, health: PrinterHealth) -> None:
        pass

    def card_read(self) -> None:
        pass

    def close(self) -> None:
        pass


class GpioSignals:
    def __init__(
        self,
        config: GpioConfig,
        pin_factory: object | None,
        cancel: Callable[[int], object],
        reprint_last: Callable[[], object],
    ) -> None:
        self._cancel = cancel
        self._reprint_last = reprint_last
        self._lock = threading.Lock()
        self._awaiting: int | None = None  # the sale the button would cancel
        self._sale_error = False
        self._printer_problem = False
        from gpiozero import LED, Button, Buzzer  # only with [gpio] enabled: a desktop kiosk never loads it

        self.led = None if config.led_pin is None else LED(config.led_pin, pin_factory=pin_factory)
        self.buzzer = (
            None if config.buzzer_pin is None else Buzzer(config.buzzer_pin, pin_factory=pin_factory)
        )
        self.button = None
        if config.button_pin is not None:
            self.button = Button(config.button_pin, bounce_time=0.05, pin_factory=pin_factory)
            self.button.when_pressed = self._pressed
        self._play(self.led, READY)

    def sale_changed(self, sale: Sale) -> None:
        """A checkout listener: runs on checkout's worker threads, never the UI's."""
        with self._lock:
            if sale.state is SaleState.AWAITING_PAYMENT:
                self._awaiting = sale.id
            elif self._awaiting == sale.id:
                self._awaiting = None
            self._sale_error = sale.state is SaleState.FAILED
            match sale.state:
                case SaleState.CREATING_INVOICE | SaleState.AWAITING_PAYMENT:
                    self._play(self.led, cycle(AWAITING))
                case SaleState.PAID:
                    self._play(self.led, paid_pattern())
                    self._play(self.buzzer, PAID_BEEP)
                case SaleState.PAID_LATE:
                    self._play(self.led, paid_pattern())
                    self._play(self.buzzer, LATE_ALARM)
                case SaleState.RECEIPT_PRINTED:
                    pass  # the paid blink goes on undisturbed
                case _:
                    self._show_idle()

    def printer_changed(self, health: PrinterHealth) -> None:
        with self._lock:
            problem = health in PRINTER_PROBLEMS
            changed = problem != self._printer_problem
            self._printer_problem = problem
            if changed and self._awaiting is None:
                self._show_idle()

    def card_read(self) -> None:
        """Called from the NFC reader's thread: the chirp plays on gpiozero's own."""
        self._play(self.buzzer, TAP_CHIRP)

    def close(self) -> None:
        for device in (self.led, self.buzzer, self.button):
            if device is not None:
                device.close()

    def _show_idle(self) -> None:
        error = self._sale_error or self._printer_problem
        self._play(self.led, cycle(ERROR_PATTERN) if error else READY)

    def _pressed(self) -> None:
        with self._lock:
            awaiting = self._awaiting
        try:
            if awaiting is not None:
                self._cancel(awaiting)
            else:
                self._reprint_last()
        except KioskError as exc:
            log.warning("button: %s", exc)

    @staticmethod
    def _play(device: object | None, pattern: Iterable[int]) -> None:
        """Run a pattern on gpiozero's own source thread; a new pattern replaces the old one."""
        if device is None:
            return
        device.source_delay = STEP_S
        device.source = iter(pattern)


def make_pin_factory(name: str) -> object | None:
    """The configured pin factory, or None for gpiozero's own choice (lgpio on a Pi 5)."""
    match name:
        case "":
            return None
        case "mock":
            from gpiozero.pins.mock import MockFactory

            return MockFactory()
        case "lgpio":
            from gpiozero.pins.lgpio import LGPIOFactory

            return _checked(LGPIOFactory, name)
        case "rpigpio":
            from gpiozero.pins.rpigpio import RPiGPIOFactory

            return _checked(RPiGPIOFactory, name)
    raise ConfigError(f"gpio.pin_factory = {name!r} is unknown", 'Use "", "lgpio", "rpigpio" or "mock"')


def _checked(factory: Callable[[], object], name: str) -> object:
    try:
        return factory()
    except Exception as exc:  # gpiozero raises ImportError, OSError or its own errors here
        raise KioskError(
            f"GPIO pin factory {name!r} cannot start: {exc}",
            "On a Pi 5 use lgpio (sudo apt install python3-lgpio); on a desktop set gpio.enabled = false",
        ) from exc


def make_signals(
    config: GpioConfig, cancel: Callable[[int], object], reprint_last: Callable[[], object]
) -> Signals:
    if not config.enabled:
        return NullSignals()
    factory = make_pin_factory(config.pin_factory)
    try:
        return GpioSignals(config, factory, cancel, reprint_last)
    except KioskError:
        raise
    except Exception as exc:
        raise KioskError(
            f"The GPIO pins could not be set up: {exc}",
            "Check gpio.led_pin, gpio.buzzer_pin and gpio.button_pin are free BCM pin numbers",
        ) from exc
