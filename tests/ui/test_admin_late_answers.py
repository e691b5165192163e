"""Answers that come back from a worker after the person has moved on do not pull them back."""

from __future__ import annotations

import pytest

from kiosk.ui import routing
from tests.support.held import held
from tests.ui.conftest import headless_kiosk, scratch_config
from tests.ui.test_admin import sell, unlock

pytestmark = pytest.mark.ui


@pytest.fixture
def d(tmp_path):
    with headless_kiosk(scratch_config(tmp_path)) as driver:
        yield driver


def test_a_sale_detail_that_answers_after_the_cashier_moved_on_stays_behind(d, monkeypatch):
    sale = sell(d, "2", "5", "0")
    unlock(d)
    admin = d.app.controller.admin
    go_on, answered = held(monkeypatch, admin.admin, "sale_detail")
    admin.open_sale(sale.id)  # asked from the menu...
    d.tap(d.get(routing.ADMIN_MENU, "history"))  # ...then the history, before the detail came
    d.wait_for_screen(routing.ADMIN_HISTORY)
    go_on.set()
    d.wait_until(answered.is_set, "the late detail")
    d.frames(5)
    assert d.screen == routing.ADMIN_HISTORY
    assert d.app.root.get_screen(routing.ADMIN_SALE).sale_id == sale.id  # kept for when it is opened


def test_a_sale_detail_that_answers_after_the_area_locked_stays_behind(d, monkeypatch):
    sale = sell(d, "1", "0", "0")
    unlock(d)
    admin = d.app.controller.admin
    go_on, answered = held(monkeypatch, admin.admin, "sale_detail")
    admin.open_sale(sale.id)
    admin.lock()  # the idle timeout
    d.wait_for_screen(routing.KEYPAD)
    go_on.set()
    d.wait_until(answered.is_set, "the late detail")
    d.frames(5)
    assert d.screen == routing.KEYPAD
