import time


class Clock:
    """Wall time plus an offset a test can move: puts the kiosk past a deadline the node does not see."""

    def __init__(self) -> None:
        self.offset_ms = 0

    def __call__(self) -> int:
        return time.time_ns() // 1_000_000 + self.offset_ms
