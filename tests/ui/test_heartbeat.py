"""The systemd heartbeat: READY=1 once the keypad is drawn, WATCHDOG=1 only while the UI loop turns.

The real main.py runs headless with NOTIFY_SOCKET pointing at a unix datagram socket the test
reads, as systemd's would be. To freeze the UI thread the app is started through a wrapper whose
SIGUSR1 handler sleeps on the main thread (where Python runs signal handlers), while the app's
worker threads go on; the handler marks the start and end of the freeze on the same socket.
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ui.heartbeat import Heartbeat, ping_interval_s

ROOT = Path(__file__).resolve().parents[2]
FREEZE_S = 2.0
WATCHDOG_USEC = 400_000  # pings every 0.2 s
WRAPPER = """
import os, runpy, signal, socket, sys, time
root, freeze_s = sys.argv[1], float(sys.argv[2])
sys.path.insert(0, root)

def freeze(*_):
    mark = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    mark.sendto(b"TEST=frozen", os.environ["NOTIFY_SOCKET"])
    time.sleep(freeze_s)
    mark.sendto(b"TEST=thawed", os.environ["NOTIFY_SOCKET"])

signal.signal(signal.SIGUSR1, freeze)
sys.argv = ["main.py", *sys.argv[3:]]
runpy.run_path(os.path.join(root, "main.py"), run_name="__main__")
"""


class NotifySocket:
    """systemd's side of sd_notify: a bound unix datagram socket that records what arrives."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="notify-")  # short: sun_path has 108 bytes
        self.path = str(Path(self._dir.name) / "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.received: list[tuple[float, str]] = []

    def wait_for(self, message: str, timeout: float, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while sum(m == message for _, m in self.received) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"{message} x{count} did not arrive in {timeout} s; got {self.received[-5:]}"
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            for line in data.decode().splitlines():
                self.received.append((time.monotonic(), line))

    def times(self, message: str) -> list[float]:
        return [t for t, m in self.received if m == message]

    def close(self) -> None:
        self.sock.close()
        self._dir.cleanup()


@pytest.fixture
def notify_socket() -> Iterator[NotifySocket]:
    sock = NotifySocket()
    yield sock
    sock.close()


def start_kiosk(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", **env}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(ROOT), str(FREEZE_S), "--demo", "--windowed"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "stderr.log").open("w"),
    )


@pytest.mark.ui
def test_ready_then_pings_that_stop_while_the_ui_thread_is_frozen(tmp_path, notify_socket):
    kiosk = start_kiosk(tmp_path, {"NOTIFY_SOCKET": notify_socket.path, "WATCHDOG_USEC": str(WATCHDOG_USEC)})
    try:
        notify_socket.wait_for("READY=1", timeout=90)
        notify_socket.wait_for("WATCHDOG=1", timeout=10, count=5)
        kiosk.send_signal(signal.SIGUSR1)
        notify_socket.wait_for("TEST=thawed", timeout=FREEZE_S + 10)
        assert kiosk.poll() is None, "the kiosk died instead of freezing"
        pings_before_thaw = len(notify_socket.times("WATCHDOG=1"))
        notify_socket.wait_for("WATCHDOG=1", timeout=5, count=pings_before_thaw + 3)
    finally:
        kiosk.terminate()
        try:
            kiosk.wait(timeout=30)
        except subprocess.TimeoutExpired:  # SIGTERM must stop it; if it did not, never leave it running
            kiosk.kill()
            kiosk.wait()
            raise

    ready = notify_socket.times("READY=1")
    pings = notify_socket.times("WATCHDOG=1")
    (frozen,), (thawed,) = notify_socket.times("TEST=frozen"), notify_socket.times("TEST=thawed")
    assert len(ready) == 1 and all(t > ready[0] for t in pings), "pings only after READY=1, READY once"
    assert thawed - frozen >= FREEZE_S * 0.9
    assert not [t for t in pings if frozen < t < thawed], "a frozen UI thread must not ping"
    before = [t for t in pings if t < frozen]
    gaps = [b - a for a, b in itertools.pairwise(before)]
    assert max(gaps) < WATCHDOG_USEC / 1e6, f"pings must come at about half the timeout: {gaps}"
    assert [t for t in pings if t > thawed], "pings resume once the UI thread runs again"


@pytest.mark.ui
def test_without_systemd_nothing_is_sent(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen"}
    for name in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "KIOSK_CONFIG"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--demo", "--measure-startup"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "startup: keypad ready" in result.stdout
    assert "systemd" not in result.stderr and "could not be sent" not in result.stderr


@pytest.mark.parametrize(
    ("env", "interval"),
    [
        ({}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "junk"}, None),
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "43"}, None),
    ],
)
def test_ping_interval_is_half_the_watchdog_timeout_for_this_process(env, interval):
    assert ping_interval_s(env, pid=42) == interval


def test_ready_without_watchdog_sends_ready_only(notify_socket, monkeypatch):
    monkeypatch.setenv("NOTIFY_SOCKET", notify_socket.path)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    heartbeat = Heartbeat()
    heartbeat.start()
    notify_socket.wait_for("READY=1", timeout=5)
    assert heartbeat.interval_s is None
