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
from typing import Protocol

from kiosk.errors import KioskError
from kiosk.i18n import _

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


@dataclass(frozen=True)
class PinRecord:
    """What is kept: the PIN's hash record (None until one is set) and the failed tries since a good one."""

    hash_record: str | None = None
    failures: int = 0
    locked_until_ms: int = 0


class PinRecords(Protocol):
    """Where the record is kept (`kiosk.storage.pins.PinRepository`, migration 004's `admin_pin`)."""

    def read(self) -> PinRecord: ...

    def write(self, record: PinRecord, at_ms: int) -> None: ...


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
    """The PIN and its failed attempts, kept on disk so a restart (pulling the plug) keeps the lockout."""

    def __init__(
        self, records: PinRecords, clock_ms: Callable[[], int], params: ScryptParams = ScryptParams()
    ) -> None:
        self._records = records
        self._clock_ms = clock_ms
        self._params = params
        self._lock = threading.Lock()  # one check at a time: two wrong PINs typed at once both count

    def is_set(self) -> bool:
        return self._records.read().hash_record is not None

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (first set-up, or a reset by whoever has the kiosk's shell); clears the lockout."""
        check_strength(pin)
        record = hash_pin(pin, self._params)
        with self._lock:
            self._records.write(PinRecord(record), self._clock_ms())

    def locked_for_s(self) -> int:
        return self._remaining_s(self._records.read().locked_until_ms)

    def verify(self, pin: str) -> PinCheck:
        """Check a PIN typed on the pad; while locked out, nothing is checked and nothing counts."""
        with self._lock:
            stored = self._records.read()
            if stored.hash_record is None:
                raise KioskError(_("No admin PIN is set yet"), _("Choose one first"))
            locked = self._remaining_s(stored.locked_until_ms)
            if locked:
                return PinCheck(False, 0, locked)
            now = self._clock_ms()
            if pin_matches(pin, stored.hash_record):
                self._records.write(PinRecord(stored.hash_record), now)
                return PinCheck(True)
            failures = stored.failures + 1
            wait = lock_seconds(failures)
            self._records.write(
                PinRecord(stored.hash_record, failures, now + wait * 1000 if wait else 0), now
            )
            return PinCheck(False, max(0, FREE_ATTEMPTS - failures), wait)

    def _remaining_s(self, locked_until_ms: int) -> int:
        left_ms = locked_until_ms - self._clock_ms()
        # A clock set back must not lock the pad for longer than the longest lockout.
        return min(MAX_LOCK_S, -(-left_ms // 1000)) if left_ms > 0 else 0


def _scrypt(pin: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=params.n, r=params.r, p=params.p, maxmem=params.maxmem + 2**20, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
