"""A real Nostr relay (the nostr-relay package, PyPI) on 127.0.0.1 for the Nostr Wallet Connect tests.

`NostrRelay` writes the relay's own config and SQLite file into a scratch
folder, starts it in its own process group, and waits (with a deadline) until
it accepts a WebSocket. `kill()` stops it the hard way, as a crash or a lost
network would; `restart()` brings it back on the same port and files.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import websocket

READY_TIMEOUT_S = 30.0
CONFIG = """\
DEBUG: false
relay_name: kiosk test relay
max_event_size: 65536
storage:
  sqlalchemy.url: sqlite+aiosqlite:///{db}
  validators:
    - nostr_relay.validators.is_not_too_large
    - nostr_relay.validators.is_signed
    - nostr_relay.validators.is_recent
gunicorn:
  bind: 127.0.0.1:{port}
  loglevel: warning
authentication:
  enabled: false
logging:
  version: 1
  root:
    level: WARNING
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NostrRelay:
    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.config = folder / "relay.yaml"
        self.config.write_text(CONFIG.format(db=folder / "relay.sqlite3", port=self.port))
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> NostrRelay:
        command = "from nostr_relay.cli import main; main()"
        log = (self.folder / "relay.log").open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-c", command, "-c", str(self.config), "serve", "--use-uvicorn"],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"the relay exited: see {self.folder / 'relay.log'}")
            with contextlib.suppress(OSError, websocket.WebSocketException):
                websocket.create_connection(self.url, timeout=1).close()
                return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(
            f"the relay did not accept within {READY_TIMEOUT_S} s: see {self.folder / 'relay.log'}"
        )

    def kill(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait(10)
        self._process = None

    def restart(self) -> None:
        self.kill()
        self.start()
