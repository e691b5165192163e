import time


class Clock:
    """Real time plus an offset a test moves forward: puts the kiosk past a deadline the node does not see.

    Pass it as `clock_ms` and `steady` as `steady_ms`: moving the offset is time passing on both clocks.
    A test of a wall-clock *jump* passes only `clock_ms`.
    """

    def __init__(self) -> None:
        self.offset_ms = 0

    def __call__(self) -> int:
        return time.time_ns() // 1_000_000 + self.offset_ms

    def steady(self) -> int:
        return time.monotonic_ns() // 1_000_000 + self.offset_ms


class WallJump(Clock):
    """A wall clock someone sets forward or back (NTP after boot, a wrong date); real time runs on."""

    def steady(self) -> int:
        return time.monotonic_ns() // 1_000_000
