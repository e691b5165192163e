"""LED, buzzer and button on gpiozero's MockFactory: pin states and their timing."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

from kiosk.config import GpioConfig
from kiosk.domain.sale import Sale, SaleState
from kiosk.hardware.gpio import STEP_S, GpioSignals, NullSignals, make_signals
from kiosk.services.printer_port import PrinterHealth
from tests.support.wait import wait_until

PINS = GpioConfig(enabled=True, pin_factory="mock", led_pin=17, buzzer_pin=27, button_pin=22)
SALE = Sale(5, 0, 1_000, "")


class Recorder:
    def __init__(self) -> None:
        self.cancelled: list[int] = []
        self.reprints = 0

    def cancel(self, sale_id: int) -> None:
        self.cancelled.append(sale_id)

    def reprint_last(self) -> None:
        self.reprints += 1


@pytest.fixture
def rig():
    factory = MockFactory()
    calls = Recorder()
    signals = GpioSignals(PINS, factory, calls.cancel, calls.reprint_last)
    yield signals, factory, calls
    signals.close()


def on_times(pin) -> list[float]:
    """How long each 'on' lasted (a mock pin records each change's time since the one before)."""
    states = pin.states
    return [b.timestamp for a, b in pairwise(states) if a.state and not b.state]


def at(state: SaleState) -> Sale:
    return replace(SALE, state=state)


def test_led_is_on_when_ready_and_blinks_slowly_while_waiting(rig):
    signals, factory, _ = rig
    led = factory.pin(17)
    wait_until(lambda: led.state, what="ready light")
    signals.sale_changed(at(SaleState.AWAITING_PAYMENT))
    wait_until(lambda: len(on_times(led)) >= 2, what="two slow blinks")
    assert all(0.4 <= t <= 0.8 for t in on_times(led)[1:])
    signals.sale_changed(at(SaleState.CANCELLED))
    wait_until(lambda: led.state, what="ready again")


def test_paid_blinks_fast_then_is_ready_and_beeps_once(rig):
    signals, factory, _ = rig
    led, buzzer = factory.pin(17), factory.pin(27)
    signals.sale_changed(at(SaleState.AWAITING_PAYMENT))
    led.clear_states()
    signals.sale_changed(at(SaleState.PAID))
    wait_until(lambda: len(on_times(led)) >= 5, what="fast blinks")
    assert all(t < 0.3 for t in on_times(led))
    wait_until(lambda: len(on_times(buzzer)) == 1 and not buzzer.state, what="one beep")
    assert on_times(buzzer)[0] == pytest.approx(2 * STEP_S, abs=0.1)


def test_paid_late_sounds_a_distinct_alarm(rig):
    signals, factory, _ = rig
    buzzer = factory.pin(27)
    signals.sale_changed(at(SaleState.PAID_LATE))
    wait_until(lambda: len(on_times(buzzer)) == 3 and not buzzer.state, what="three long beeps")
    assert all(t == pytest.approx(4 * STEP_S, abs=0.15) for t in on_times(buzzer))


def test_a_read_card_chirps_at_once(rig):
    signals, factory, _ = rig
    buzzer = factory.pin(27)
    signals.card_read()
    wait_until(lambda: len(on_times(buzzer)) == 1 and not buzzer.state, what="one chirp")
    assert on_times(buzzer)[0] == pytest.approx(STEP_S, abs=0.08)


def test_error_double_blinks_until_the_printer_is_back(rig):
    signals, factory, _ = rig
    led = factory.pin(17)
    signals.printer_changed(PrinterHealth.PAPER_OUT)
    led.clear_states()
    wait_until(lambda: len(on_times(led)) >= 4, what="two double blinks")
    offs = [s.timestamp for s in led.states[1:] if s.state]  # how long the light was off before each flash
    assert min(offs) < 0.2 and max(offs) > 0.5  # two quick flashes, then a longer pause
    signals.printer_changed(PrinterHealth.READY)
    wait_until(lambda: led.state, what="steady ready light")


def test_button_cancels_the_sale_awaiting_payment_else_reprints(rig):
    signals, factory, calls = rig
    button = factory.pin(22)
    signals.sale_changed(at(SaleState.AWAITING_PAYMENT))
    button.drive_low()
    button.drive_high()
    wait_until(lambda: calls.cancelled == [5], what="cancel")
    signals.sale_changed(at(SaleState.CANCELLED))
    button.drive_low()
    button.drive_high()
    wait_until(lambda: calls.reprints == 1, what="reprint")
    assert calls.cancelled == [5]


def test_disabled_gpio_is_a_null_object_and_the_global_factory_is_untouched():
    assert isinstance(make_signals(GpioConfig(enabled=False), print, print), NullSignals)
    before = Device.pin_factory
    signals = make_signals(PINS, print, print)
    try:
        assert isinstance(signals, GpioSignals) and Device.pin_factory is before
    finally:
        signals.close()
