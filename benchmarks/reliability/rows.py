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


def table(rows: list[FaultRow]) -> list[str]:
    lines = ["| fault | what happens | what the cashier sees | lost |", "|---|---|---|---|"]
    for row in rows:
        lost = f"skipped: {row.skipped}" if row.skipped else "nothing" if row.ok else "; ".join(row.lost)
        cells = (row.fault, row.happens, row.cashier_sees, f"**{lost}**")
        lines.append("| " + " | ".join(c.replace("\n", " / ").replace("|", "/") for c in cells) + " |")
    return lines
