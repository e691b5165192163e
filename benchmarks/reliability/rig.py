"""The real parts the reliability harness runs the kiosk against.

A real LNbits (tests/support/lnbits.py), reached through a loopback TCP proxy
that can stall or cut the network; a network receipt printer on a real TCP
socket that records every byte (tests/hardware/fake_printer.py); a real
config file and SQLite ledger in a scratch folder; and the kiosk itself in a
child process (`child.py`) that can be killed with SIGKILL at any moment.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.reliability.stall_proxy import StallProxy
from tests.doubles.lnbits_withdraw import WithdrawDouble
from tests.hardware.fake_printer import FakeNetworkPrinter
from tests.support.lnbits import ROOT, LnbitsServer

CHILD_READY_S = 60.0


class Stuck(AssertionError):
    """The kiosk did not get where a step expected within the time allowed."""


def write_config(
    folder: Path,
    lnbits: LnbitsServer,
    node_url: str,
    printer_port: int,
    ledger: Path | None = None,
    withdraw: WithdrawDouble | None = None,
) -> Path:
    """A real config file: LNbits at `node_url` (maybe a proxy), a network printer, the ledger in `folder`,
    and refund vouchers from `withdraw` (LNbits' withdraw extension) when there is one."""
    assert lnbits.kiosk is not None
    key = folder / "lnbits-invoice.key"
    key.write_text(lnbits.kiosk.inkey)
    key.chmod(0o600)
    refunds = ""
    if withdraw is not None:
        (folder / "withdraw.key").write_text(withdraw.admin_key)
        (folder / "withdraw.key").chmod(0o600)
        refunds = "\n".join(
            [
                "[refunds]",
                'mode = "voucher"',
                f'voucher_url = "{withdraw.url}"',
                'voucher_key_file = "withdraw.key"',
                "",
            ]
        )

    path = folder / "kiosk.toml"
    path.write_text(
        f"""[shop]
name = "Harness Café"
currency = "SAT"

[node]
backend = "lnbits"
url = "{node_url}"
invoice_key_file = "{key.name}"

[payment]
invoice_expiry_seconds = 120
grace_seconds = 3600
poll_interval_seconds = 0.5

[printer]
kind = "network"
host = "127.0.0.1"
port = {printer_port}
timeout_seconds = 5.0
# Long enough that a stalled printer holds a job in 'printing' until the harness kills the kiosk.
status_timeout_seconds = 5.0

[ledger]
path = "{ledger or folder / "ledger.sqlite3"}"
{refunds}"""
    )
    return path


@dataclass
class Event:
    kind: str
    data: dict
    at: float = field(default_factory=time.perf_counter)


class KioskProcess:
    """The kiosk's services in a child process, commanded on stdin, reporting JSON lines on stdout."""

    def __init__(self, config: Path, log: Path) -> None:
        self._log = open(log, "ab")  # noqa: SIM115  (kept open for the child's whole life)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.reliability.child", str(config)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.events: list[Event] = []
        self._news: queue.Queue[Event] = queue.Queue()
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True, name="child-reader").start()
        self.ready = self.wait_for(lambda e: e.kind == "ready", "start-up", CHILD_READY_S)

    def send(self, command: str, **args: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps({"cmd": command, **args}) + "\n").encode())
        self.process.stdin.flush()

    def charge(self, sats: int, expiry_s: int | None = None) -> None:
        self.send("charge", sats=sats, expiry=expiry_s)

    def sale(self, state: str, timeout_s: float = 15.0, after: int = 0) -> dict:
        """The first sale event in `state` (from event number `after` on); a failed sale stops the wait."""
        found = self.wait_for(
            lambda e: e.kind == "sale" and e.data["state"] in (state, "failed"), state, timeout_s, after
        )
        if found.data["state"] != state:
            raise Stuck(f"sale {found.data['id']} failed instead of reaching {state}: {found.data['error']}")
        return found.data

    def wait_for(
        self, match: Callable[[Event], bool], what: str, timeout_s: float = 15.0, after: int = 0
    ) -> Event:
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                hit = next((e for e in self.events[after:] if match(e)), None)
                if hit is not None:
                    return hit
                if self.process.poll() is not None:
                    raise Stuck(f"the kiosk exited ({self.process.returncode}) before {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Stuck(f"the kiosk did not reach {what} within {timeout_s:g} s")
                self._changed.wait(min(left, 0.1))

    def kill(self) -> None:
        """SIGKILL: no clean-up runs, as in a power cut."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self._log.close()

    def stop(self) -> int:
        """A clean exit: stdin closes, the services close."""
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        try:
            return self.process.wait(30)
        finally:
            self._log.close()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            data = json.loads(line)
            with self._changed:
                self.events.append(Event(data.pop("event"), data))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()


@dataclass(frozen=True)
class SaleRecord:
    """What the ledger file says about one sale, read straight from SQLite."""

    id: int
    state: str
    paid_transitions: int
    jobs: tuple[tuple[str, str, bool], ...]  # (copy, state, reprint) of each print job
    amount_msat: int = 0


def read_refunds(path: Path) -> list[tuple[int, str, str, str, str | None]]:
    """(sale_id, key, amount, state, voucher_id) of every refund in the ledger file, oldest first."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT sale_id, key, amount, state, voucher_id FROM refunds ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def read_ledger(path: Path) -> dict[int, SaleRecord]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sales = conn.execute("SELECT id, state, amount_msat FROM sales ORDER BY id").fetchall()
        paid = dict(
            conn.execute(
                "SELECT sale_id, COUNT(*) FROM sale_events WHERE to_state IN ('paid', 'paid_late') "
                "GROUP BY sale_id"
            ).fetchall()
        )
        jobs: dict[int, list[tuple[str, str, bool]]] = {}
        for sale_id, copy, state, reprint in conn.execute(
            "SELECT sale_id, copy, state, reprint FROM print_jobs ORDER BY id"
        ):
            jobs.setdefault(sale_id, []).append((copy, state, bool(reprint)))
    finally:
        conn.close()
    return {
        sale_id: SaleRecord(sale_id, state, paid.get(sale_id, 0), tuple(jobs.get(sale_id, ())), msat)
        for sale_id, state, msat in sales
    }


class Rig:
    """One scratch folder with a config, a ledger, a proxy to LNbits and a recording printer."""

    def __init__(self, lnbits: LnbitsServer, ledger_folder: Path | None = None) -> None:
        self.lnbits = lnbits
        self._tmp = tempfile.TemporaryDirectory(prefix="kiosk-reliability-")
        self.folder = Path(self._tmp.name)
        self.proxy = StallProxy(lnbits.port)
        self.printer = FakeNetworkPrinter()
        self.ledger = (ledger_folder or self.folder) / "ledger.sqlite3"
        self.withdraw = WithdrawDouble().start()
        self.config = write_config(
            self.folder, lnbits, self.proxy.url, self.printer.port, self.ledger, self.withdraw
        )
        self.log = self.folder / "kiosk.log"
        self.kiosk: KioskProcess | None = None

    def start_kiosk(self) -> KioskProcess:
        self.kiosk = KioskProcess(self.config, self.log)
        return self.kiosk

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def sales(self) -> dict[int, SaleRecord]:
        return read_ledger(self.ledger)

    def receipts_for(self, sale_id: int) -> tuple[int, int, int]:
        """(whole receipts, of which marked DUPLICATE?, cut-off pieces) the printer holds for a sale."""
        mark = f"Sale #{sale_id} ".encode()
        whole = [r for r in self.printer.receipts if mark in r]
        partial = [p for p in self.printer.partial if mark in p]
        return len(whole), sum(b"DUPLICATE?" in r for r in whole), len(partial)

    def paid_at_node(self, payment_hash: str) -> bool:
        """LNbits' own word: did the customer's payment go through?"""
        assert self.lnbits.kiosk is not None
        answer = self.lnbits.http.get(
            f"{self.lnbits.url}/api/v1/payments/{payment_hash}",
            headers={"X-Api-Key": self.lnbits.kiosk.inkey},
            timeout=10,
        )
        answer.raise_for_status()
        return bool(answer.json().get("paid"))

    def close(self) -> None:
        if self.kiosk is not None and self.kiosk.process.poll() is None:
            self.kiosk.kill()
        self.printer.release()
        self.printer.stop()
        self.withdraw.release()
        self.withdraw.kill()
        self.proxy.close()
        self._tmp.cleanup()
