"""The fleet's books summed from the central copy of every kiosk's records: the same Z-reports, added up.

Each closed shift's report is rebuilt from the records the central books hold (the
same `ZReport`, the same `kiosk.services.shift_money` sums as the kiosk prints), so
`fleet report` equals the kiosks' own Z-reports added together, to the msat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from kiosk.domain.refund import Refund
from kiosk.domain.sale import Sale
from kiosk.domain.takings import Takings
from kiosk.domain.tender import Tender
from kiosk.services.shift_money import by_cashier, by_tender, cash_count, takings, takings_json
from kiosk.services.shifts import Shift, ZReport

ZERO = Decimal(0)


@dataclass(frozen=True)
class TerminalBooks:
    """One terminal's records as the central books have them (each as its newest event left it)."""

    terminal_id: str
    shop: str
    timezone: str
    currency: str
    shifts: tuple[Shift, ...]
    sales: tuple[Sale, ...]
    refunds: tuple[Refund, ...]

    def reports(self, start_ms: int, end_ms: int) -> list[ZReport]:
        """The Z-report of each shift closed in [start_ms, end_ms), as the kiosk printed it."""
        by_id = {sale.id: sale for sale in self.sales}
        reports = []
        for shift in sorted(self.shifts, key=lambda s: s.id):
            until = shift.closed_at_ms
            if until is None or not start_ms <= until < end_ms:
                continue
            opened = shift.opened_at_ms
            paid = sorted(
                (s for s in self.sales if s.paid_at_ms is not None and opened <= s.paid_at_ms < until),
                key=lambda s: (s.paid_at_ms, s.id),
            )
            unpaid = [s for s in self.sales if s.paid_at_ms is None and opened <= s.created_at_ms < until]
            made = [(r, by_id[r.sale_id]) for r in self.refunds if opened <= r.created_at_ms < until]
            reports.append(
                ZReport(
                    shift,
                    until,
                    ZoneInfo(self.timezone),
                    tuple(paid),
                    tuple(unpaid),
                    tuple(made),
                    self.currency,
                )
            )
        return reports


@dataclass
class FleetReport:
    shifts: int = 0
    totals: dict[str, Takings] = field(default_factory=lambda: defaultdict(Takings))
    by_terminal: dict[tuple[str, str], Takings] = field(default_factory=lambda: defaultdict(Takings))
    by_tender: dict[tuple[str, Tender], Takings] = field(default_factory=lambda: defaultdict(Takings))
    by_cashier: dict[tuple[str, str, int | None], Takings] = field(
        default_factory=lambda: defaultdict(Takings)
    )
    cash: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    def add(self, terminal_id: str, report: ZReport) -> None:
        self.shifts += 1
        for code, parts in takings(report).items():
            self.totals[code] += parts
            self.by_terminal[(terminal_id, code)] += parts
        for key, parts in by_tender(report).items():
            self.by_tender[key] += parts
        for (code, who), parts in by_cashier(report).items():
            self.by_cashier[(terminal_id, code, who)] += parts
        drawer = cash_count(report, report.currency)
        sums = self.cash.setdefault(drawer.currency, defaultdict(Decimal))
        for name in ("opening_float", "cash_sales", "cash_refunds", "expected"):
            sums[name] += getattr(drawer, name)
        sums["counted"] += drawer.counted or ZERO

    def as_json(self) -> dict[str, object]:
        return {
            "shifts": self.shifts,
            "totals": {code: takings_json(p) for code, p in sorted(self.totals.items())},
            "by_terminal": [
                {"terminal_id": t, "currency": c, **takings_json(p)}
                for (t, c), p in sorted(self.by_terminal.items())
            ],
            "by_tender": [
                {"currency": c, "tender": t.value, **takings_json(p)}
                for (c, t), p in sorted(self.by_tender.items())
            ],
            "by_cashier": [
                {"terminal_id": t, "currency": c, "cashier_id": who, **takings_json(p)}
                for (t, c, who), p in sorted(
                    self.by_cashier.items(), key=lambda kv: (*kv[0][:2], kv[0][2] or 0)
                )
            ],
            "cash": {code: {k: str(v) for k, v in sums.items()} for code, sums in sorted(self.cash.items())},
        }


def fleet_report(books: Iterable[TerminalBooks], start_ms: int, end_ms: int) -> FleetReport:
    report = FleetReport()
    for terminal in books:
        for shift_report in terminal.reports(start_ms, end_ms):
            report.add(terminal.terminal_id, shift_report)
    return report
