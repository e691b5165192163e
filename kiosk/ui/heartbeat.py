"""systemd readiness and watchdog pings, sent from the Kivy main loop.

The unit is `Type=notify` with `WatchdogSec=`: systemd waits for READY=1 (sent once the keypad is
drawn) and restarts the kiosk when WATCHDOG=1 stops arriving. The pings come from a Kivy Clock
interval, so they run on the UI thread: a frozen screen stops them, a busy worker thread does not.
Without systemd (NOTIFY_SOCKET unset: a desktop, the tests, the tour) nothing is sent.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from cysystemd.daemon import Notification, notify
from kivy.clock import Clock

log = logging.getLogger(__name__)


def ping_interval_s(env: Mapping[str, str], pid: int) -> float | None:
    """Half the watchdog timeout systemd gave this process; None if it gave none (sd_watchdog_enabled)."""
    usec = env.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    watched_pid = env.get("WATCHDOG_PID", "")
    if watched_pid and watched_pid != str(pid):
        return None
    return int(usec) / 2_000_000


class Heartbeat:
    """Tells systemd the kiosk is up, then keeps saying it is alive while the UI loop turns."""

    def __init__(self) -> None:
        # libsystemd reads NOTIFY_SOCKET from the process environment itself.
        self.enabled = bool(os.environ.get("NOTIFY_SOCKET"))
        self.interval_s = ping_interval_s(os.environ, os.getpid()) if self.enabled else None
        self._event: object | None = None

    def start(self) -> None:
        """Call on the UI thread once the first screen is drawn."""
        if not self.enabled or self._event is not None:
            return
        notify(Notification.READY)
        if self.interval_s is None:
            log.info("systemd told the kiosk is ready (no watchdog configured)")
            return
        self._event = Clock.schedule_interval(self._ping, self.interval_s)
        log.info("systemd told the kiosk is ready; watchdog ping every %.1f s", self.interval_s)

    def _ping(self, _dt: float) -> None:
        notify(Notification.WATCHDOG)
