"""The outbox's state on the real widgets, headless: the keypad's quiet warning and the node screen's section.

No central database: the screens read a real ledger's outbox, which nothing sends, while the clock moves on.
"""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.ui import routing
from tests.admin.conftest import record
from tests.support.clock import Clock
from tests.ui.conftest import headless_kiosk, scratch_config
from tests.ui.test_admin import unlock

pytestmark = pytest.mark.ui
MINUTE_MS = 60_000


def with_outbox(services):
    """The till as wiring makes it with [fleet] (warn_backlog_minutes = 60), the sender left out."""
    return dataclasses.replace(
        services.till, fleet_status=services.storage.outbox.status, fleet_warn_ms=60 * MINUTE_MS
    )


def test_a_backlog_older_than_the_threshold_shows_on_the_keypad_and_in_the_admin_area(tmp_path):
    clock = Clock()
    with headless_kiosk(scratch_config(tmp_path), with_outbox, clock_ms=clock) as d:
        d.wait_for_screen(routing.KEYPAD)
        keypad = d.app.root.get_screen(routing.KEYPAD)
        note = d.get(routing.KEYPAD, "sync_note")
        record(d.services.storage.sales, clock(), 1_000)  # 4 events, none sent
        keypad.show_sync(d.services.storage.outbox.status())
        assert note.text == "" and note.height == 0  # 0 min old: nothing to say yet

        clock.offset_ms += 61 * MINUTE_MS
        keypad.on_pre_enter()  # reads the outbox again, on a worker
        warning = "Not in the central books for 1 h 1 min: sales are safe here; tell the manager"
        d.wait_until(lambda: note.text == warning, "the keypad's warning")
        assert note.height > 0

        unlock(d)
        d.app.controller.admin.node()
        d.wait_for_screen(routing.ADMIN_NODE)
        section = d.get(routing.ADMIN_NODE, "sync")
        d.wait_until(lambda: "Waiting to be sent: 4 events" in section.text, "the node screen's section")
        assert "Last sent: never" in section.text
        assert "Oldest waiting for 1 h 1 min" in section.text
