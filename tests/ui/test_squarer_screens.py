"""A 4:3 screen (800x600, 1024x768) gets the 800x480 layout with room to spare, never one that
runs off the screen: with a rate problem and a sync warning on the keypad, its left column
stays below the header, whose shop name (held) opens the admin area."""

from __future__ import annotations

import pytest
from kivy.core.text import Label as CoreLabel

from kiosk.ui import routing
from tests.admin.conftest import record
from tests.support.clock import Clock
from tests.ui.conftest import headless_kiosk, scratch_config
from tests.ui.test_admin import open_pad
from tests.ui.test_fleet_ui import MINUTE_MS, with_outbox

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("size", [(800, 600), (1024, 768)])
def test_the_keypad_fits_a_squarer_screen_with_every_note_showing(tmp_path, size):
    clock = Clock()
    with headless_kiosk(scratch_config(tmp_path), with_outbox, clock_ms=clock) as d:
        try:
            d.resize(*size)
            keypad = d.app.root.get_screen(routing.KEYPAD)
            record(d.services.storage.sales, clock(), 1_000)
            clock.offset_ms += 61 * MINUTE_MS
            keypad.on_pre_enter()
            note = d.get(routing.KEYPAD, "sync_note")
            d.wait_until(lambda: note.text != "", "the keypad's sync warning")
            d.enter_amount("1250")
            d.settle()
            header = d.get(routing.KEYPAD, "header")
            header_bottom = header.to_window(*header.pos)[1]
            for widget_id in ("fiat_toggle", "amount", "charge"):
                widget = d.get(routing.KEYPAD, widget_id)
                x, y = widget.to_window(*widget.pos)
                assert y + widget.height <= header_bottom, f"{widget_id} grows over the header"
                assert x + widget.width <= size[0], f"{widget_id} runs off the screen"
            charge = d.get(routing.KEYPAD, "charge")
            one_line = CoreLabel(font_size=charge.font_size, bold=charge.bold).get_extents(charge.text)[0]
            assert one_line <= charge.width  # "Charge" on one line, not "Cha / rge"
            open_pad(d)  # holds the shop name; fails unless the PIN pad opens
        finally:
            d.resize(800, 480)
