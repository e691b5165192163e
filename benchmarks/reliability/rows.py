"""A row of the fault matrix and the check that fills in what was lost."""

from __future__ import annotations

from dataclasses import dataclass, field


class Failed(AssertionError):
    """The kiosk did not behave as the row expects."""


@dataclass
class FaultRow:
    fault: str
    happens: str = ""
    cashier_sees: str = ""
    lost: list[str] = field(default_factory=list)
    skipped: str = ""

    @property
    def ok(self) -> bool:
        return not self.lost


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)
