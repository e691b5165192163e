"""Which screen each sale update leads to."""

from __future__ import annotations

import pytest

from kiosk.domain.sale import Sale, SaleState
from kiosk.ui import routing
from kiosk.ui.display import wants_fullscreen


def sale(state: SaleState, sale_id: int = 1, settled_late: bool = False) -> Sale:
    return Sale(
        id=sale_id, created_at_ms=0, amount_msat=1000, memo="", state=state, settled_late=settled_late
    )


@pytest.mark.parametrize(
    ("state", "screen"),
    [
        (SaleState.CREATING_INVOICE, routing.CREATING),
        (SaleState.AWAITING_PAYMENT, routing.INVOICE),
        (SaleState.PAID, routing.PAID),
        (SaleState.RECEIPT_PRINTED, routing.PAID),
        (SaleState.EXPIRED, routing.EXPIRED),
        (SaleState.CANCELLED, routing.CANCELLED),
        (SaleState.FAILED, routing.ERROR),
    ],
)
def test_followed_sale_moves_the_screen(state, screen):
    assert routing.screen_for(sale(state), followed_id=1, alarm_id=None) == screen


def test_other_sales_leave_the_screen_alone():
    assert routing.screen_for(sale(SaleState.EXPIRED, sale_id=2), followed_id=1, alarm_id=None) is None
    assert routing.screen_for(sale(SaleState.PAID, sale_id=2), followed_id=None, alarm_id=None) is None


def test_late_payment_of_any_sale_raises_the_alarm():
    late = sale(SaleState.PAID_LATE, sale_id=9, settled_late=True)
    assert routing.screen_for(late, followed_id=None, alarm_id=None) == routing.PAID_LATE
    assert routing.screen_for(late, followed_id=3, alarm_id=None) == routing.PAID_LATE


def test_late_receipt_updates_the_alarm_but_never_raises_it_again():
    printed = sale(SaleState.RECEIPT_PRINTED, sale_id=9, settled_late=True)
    assert routing.screen_for(printed, followed_id=None, alarm_id=9) == routing.PAID_LATE
    assert routing.screen_for(printed, followed_id=None, alarm_id=None) is None


@pytest.mark.parametrize(
    ("setting", "windowed", "env", "on_pi", "expected"),
    [
        ("auto", False, {"DISPLAY": ":0"}, False, False),
        ("auto", False, {"WAYLAND_DISPLAY": "wayland-0"}, False, False),
        ("auto", False, {}, False, True),
        ("auto", False, {"DISPLAY": ":0"}, True, True),
        ("yes", False, {"DISPLAY": ":0"}, False, True),
        ("no", False, {}, True, False),
        ("yes", True, {}, True, False),
    ],
)
def test_fullscreen_decision(setting, windowed, env, on_pi, expected):
    assert wants_fullscreen(setting, windowed, env, on_pi) is expected
