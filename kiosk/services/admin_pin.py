"""The admin PIN: a slow salted hash on disk, and a lockout that a restart does not reset.

The record is `scrypt$n$r$p$salt$hash` (base64), so stronger parameters can be
used later without breaking stored PINs. After FREE_ATTEMPTS wrong PINs in a
row each further one locks the pad for twice as long as the one before (from
FIRST_LOCK_S, at most MAX_LOCK_S); a right PIN clears the count.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.storage.database import open_database

FREE_ATTEMPTS = 5
FIRST_LOCK_S = 30
MAX_LOCK_S = 3600
MIN_DIGITS, MAX_DIGITS = 4, 8


@dataclass(frozen=True)
class ScryptParams:
    """n=2**15, r=8: 32 MiB and about 0.1 s per try on a desktop (a few tenths on a Pi)."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        return 2 * 128 * self.r * self.n


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    attempts_left: int = FREE_ATTEMPTS  # wrong PINs before the pad locks
    locked_for_s: int = 0  # the pad is locked this many more seconds


class WeakPin(KioskError):
    """The PIN is refused before it is stored: too short, too long, or too easy to guess."""


def hash_pin(pin: str, params: ScryptParams = ScryptParams()) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, params)
    return "$".join(("scrypt", str(params.n), str(params.r), str(params.p), _b64(salt), _b64(digest)))


def pin_matches(pin: str, record: str) -> bool:
    """Constant-time comparison against a stored record, with the record's own parameters."""
    scheme, n, r, p, salt, digest = record.split("$")
    if scheme != "scrypt":
        raise ValueError(f"unknown PIN hash scheme {scheme!r}")
    expected = base64.b64decode(digest)
    actual = _scrypt(pin, base64.b64decode(salt), ScryptParams(int(n), int(r), int(p)))
    return hmac.compare_digest(actual, expected)


def check_strength(pin: str) -> None:
    """Digits only, 4 to 8 of them, not one digit repeated and not a run like 1234 or 9876."""
    if not pin.isdigit() or not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise WeakPin(
            _("The PIN must be {low} to {high} digits").format(low=MIN_DIGITS, high=MAX_DIGITS),
            _("Choose another PIN"),
        )
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({0}, {1}, {9}):
        raise WeakPin(
            _("That PIN is too easy to guess"),
            _("Avoid one digit repeated or a run such as 1234; choose another PIN"),
        )


def lock_seconds(failures: int) -> int:
    """How long the pad stays locked after this many wrong PINs in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** (failures - FREE_ATTEMPTS))


class AdminPin:
    """The PIN and its failed attempts, in the ledger's SQLite file (migration 004)."""

    def __init__(
        self, path: Path, clock_ms: Callable[[], int], params: ScryptParams = ScryptParams()
    ) -> None:
        self._conn = open_database(path)
        self._clock_ms = clock_ms
        self._params = params
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def is_set(self) -> bool:
        return self._row()[0] is not None

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (first set-up, or a reset by whoever has the kiosk's shell); clears the lockout."""
        check_strength(pin)
        record = hash_pin(pin, self._params)
        self._write(record, 0, 0)

    def locked_for_s(self) -> int:
        _record, _failures, locked_until = self._row()
        return self._remaining_s(locked_until)

    def verify(self, pin: str) -> PinCheck:
        """Check a PIN typed on the pad; while locked out, nothing is checked and nothing counts."""
        with self._lock:
            record, failures, locked_until = self._row_locked()
            if record is None:
                raise KioskError(_("No admin PIN is set yet"), _("Choose one first"))
            locked = self._remaining_s(locked_until)
            if locked:
                return PinCheck(False, 0, locked)
            if pin_matches(pin, record):
                self._write_locked(record, 0, 0)
                return PinCheck(True)
            failures += 1
            wait = lock_seconds(failures)
            self._write_locked(record, failures, self._clock_ms() + wait * 1000 if wait else 0)
            return PinCheck(False, max(0, FREE_ATTEMPTS - failures), wait)

    # Internals --------------------------------------------------------------------

    def _remaining_s(self, locked_until_ms: int) -> int:
        left_ms = locked_until_ms - self._clock_ms()
        # A clock set back must not lock the pad for longer than the longest lockout.
        return min(MAX_LOCK_S, -(-left_ms // 1000)) if left_ms > 0 else 0

    def _row(self) -> tuple[str | None, int, int]:
        with self._lock:
            return self._row_locked()

    def _row_locked(self) -> tuple[str | None, int, int]:
        row = self._conn.execute(
            "SELECT hash_record, failures, locked_until_ms FROM admin_pin WHERE id = 1"
        ).fetchone()
        return (None, 0, 0) if row is None else (row[0], row[1], row[2])

    def _write(self, record: str, failures: int, locked_until_ms: int) -> None:
        with self._lock:
            self._write_locked(record, failures, locked_until_ms)

    def _write_locked(self, record: str, failures: int, locked_until_ms: int) -> None:
        with self._conn:
            self._conn.execute(
                "INSERT INTO admin_pin (id, hash_record, failures, locked_until_ms, updated_at_ms) "
                "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET hash_record = excluded.hash_record, "
                "failures = excluded.failures, locked_until_ms = excluded.locked_until_ms, "
                "updated_at_ms = excluded.updated_at_ms",
                (record, failures, locked_until_ms, self._clock_ms()),
            )


def _scrypt(pin: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=params.n, r=params.r, p=params.p, maxmem=params.maxmem + 2**20, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
