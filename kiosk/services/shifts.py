"""Shifts and their Z-report: what the kiosk took since the shift opened, closed on paper.

Money counts in the shift it arrived in (a sale's `paid_at_ms`), so a late
payment for a sale of yesterday's shift is in today's report, listed as paid
late. Sales that brought nothing (failed, expired, cancelled, still open) are
listed in the shift they were made in. A report is computed from the ledger
each time: a closed shift's reprint is the same report, since neither the
payment time nor the sale changes once paid.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from kiosk.config import ShopConfig
from kiosk.domain.money import Fiat, currency, format_fiat, format_sats
from kiosk.domain.refund import Refund
from kiosk.domain.sale import Sale, SaleState
from kiosk.i18n import _
from kiosk.services.ledger import Ledger
from kiosk.services.receipts import Block, Line, Style, centred_lines, pair_lines, wrap
from kiosk.services.refunds import RefundStore
from kiosk.services.shift_money import money_layout


@dataclass(frozen=True)
class Shift:
    id: int
    opened_at_ms: int
    closed_at_ms: int | None = None
    opening_float: Decimal | None = None  # cash in the drawer when it opened, in the shop's currency
    counted_cash: Decimal | None = None  # cash counted at its close
    opened_by: int | None = None  # staff ids; None: the owner, or before cashiers
    closed_by: int | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at_ms is None


@dataclass(frozen=True)
class HourTotals:
    hour: datetime  # local start of the hour
    count: int
    received_msat: int
    fiat: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class ZReport:
    shift: Shift
    until_ms: int  # the closing time, or "now" for the open shift's preview
    timezone: ZoneInfo
    paid: tuple[Sale, ...]
    unpaid: tuple[Sale, ...]
    refunds: tuple[tuple[Refund, Sale], ...] = ()  # made in the shift, each with its sale
    currency: str = "SAT"  # the shop's: the cash drawer's
    cashiers: dict[int, str] = field(default_factory=dict)  # staff id -> name, for the layout
    unsent: int | None = None  # the shift's events not yet in the central books; None: no [fleet]

    @property
    def count(self) -> int:
        return len(self.paid)

    @property
    def received_msat(self) -> int:
        return sum(_received(sale) for sale in self.paid)

    @property
    def fiat_totals(self) -> dict[str, Decimal]:
        """Fiat takings by currency; sales charged in sats add to the sats total only."""
        return _fiat_sums(self.paid)

    @property
    def tips_msat(self) -> int:
        """The tips' share of the takings (included in `received_msat`)."""
        return sum(sale.tip_msat for sale in self.paid)

    @property
    def tips_fiat(self) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for sale in self.paid:
            if sale.tip_fiat is not None:
                sums[sale.currency] += sale.tip_fiat
        return dict(sums)

    @property
    def paid_late(self) -> tuple[Sale, ...]:
        return tuple(sale for sale in self.paid if sale.settled_late)

    @property
    def unpaid_counts(self) -> Counter[SaleState]:
        return Counter(sale.state for sale in self.unpaid)

    def by_hour(self) -> list[HourTotals]:
        hours: dict[datetime, list[Sale]] = defaultdict(list)
        for sale in self.paid:
            assert sale.paid_at_ms is not None
            local = self.local(sale.paid_at_ms)
            hours[local.replace(minute=0, second=0, microsecond=0)].append(sale)
        return [
            HourTotals(hour, len(sales), sum(_received(s) for s in sales), _fiat_sums(sales))
            for hour, sales in sorted(hours.items())
        ]

    def local(self, at_ms: int) -> datetime:
        return datetime.fromtimestamp(at_ms / 1000, UTC).astimezone(self.timezone)


class ShiftStore(Protocol):
    """Where shifts are kept (`kiosk.storage.shifts.ShiftRepository`, migration 004's `shifts` table)."""

    def open_shift(self) -> Shift | None: ...

    def open_if_none(self, opened_at_ms: int) -> Shift:
        """The open shift, opening one at `opened_at_ms` in the same transaction if there is none."""

    def get(self, shift_id: int) -> Shift:
        """The shift; KeyError if there is none."""

    def closed(self, limit: int) -> list[Shift]:
        """Closed shifts, newest first."""

    def close_and_open_next(
        self, shift_id: int, at_ms: int, counted_cash: Decimal | None = None, closed_by: int | None = None
    ) -> Shift:
        """Close the open shift and open the next one at the same instant, atomically; the closed one."""

    def set_float(self, shift_id: int, amount: Decimal, by: int | None) -> Shift:
        """Record the open shift's opening float; KeyError if it is not open."""


class Shifts:
    """The open shift, closing it, and the closed ones."""

    def __init__(
        self,
        store: ShiftStore,
        ledger: Ledger,
        shop: ShopConfig,
        clock_ms: Callable[[], int],
        refunds: RefundStore | None = None,
        names: Callable[[], dict[int, str]] = dict,
        unsent: Callable[[int, int], int] | None = None,  # Outbox.unsent_between, with [fleet]
    ) -> None:
        self._store = store
        self._ledger = ledger
        self._timezone = ZoneInfo(shop.timezone)
        self._currency = shop.currency
        self._clock_ms = clock_ms
        self._refunds = refunds
        self._names = names
        self._unsent = unsent

    def current(self) -> Shift:
        """The open shift; the very first one opens with the first sale the ledger holds."""
        shift = self._store.open_shift()
        if shift is None:
            first = self._ledger.first_sale_at_ms()
            now = self._clock_ms()
            shift = self._store.open_if_none(min(first, now) if first is not None else now)
        return shift

    def get(self, shift_id: int) -> Shift:
        return self._store.get(shift_id)

    def closed(self, limit: int = 30) -> list[Shift]:
        """Closed shifts, newest first."""
        return self._store.closed(limit)

    def report(self, shift: Shift) -> ZReport:
        until = shift.closed_at_ms if shift.closed_at_ms is not None else self._clock_ms() + 1
        made = self._refunds.between(shift.opened_at_ms, until) if self._refunds else []
        return ZReport(
            shift,
            until,
            self._timezone,
            tuple(self._ledger.paid_between(shift.opened_at_ms, until)),
            tuple(self._ledger.unpaid_between(shift.opened_at_ms, until)),
            tuple((r, self._ledger.get(r.sale_id)) for r in made),
            self._currency,
            self._names(),
            self._unsent(shift.opened_at_ms, until) if self._unsent else None,
        )

    def close(self, counted_cash: Decimal | None = None, by: int | None = None) -> ZReport:
        """Close the open shift now (with the cash counted in the drawer) and open the next one at the
        same instant; returns its report."""
        shift = self.current()
        at = max(self._clock_ms(), shift.opened_at_ms)
        return self.report(self._store.close_and_open_next(shift.id, at, counted_cash, by))

    def set_float(self, amount: Decimal, by: int | None = None) -> Shift:
        """The cash put in the drawer for the open shift."""
        if amount < 0:
            raise ValueError("an opening float cannot be negative")
        return self._store.set_float(self.current().id, amount, by)


def report_layout(report: ZReport, columns: int) -> list[Block]:
    """The Z-report as printed lines; the screen shows the same lines."""
    rule = Line("-" * columns)
    when = "%Y-%m-%d %H:%M"
    shift = report.shift
    title = _("Z-REPORT") if not shift.is_open else _("SHIFT SO FAR (not closed)")
    blocks: list[Block] = [*centred_lines(title, columns, Style.BIG)]
    blocks += centred_lines(_("Shift #{number}").format(number=shift.id), columns)
    blocks += pair_lines(_("Opened"), report.local(shift.opened_at_ms).strftime(when), columns)
    closed = report.local(report.until_ms).strftime(when)
    blocks += pair_lines(_("Closed") if not shift.is_open else _("Until"), closed, columns)
    blocks.append(rule)
    blocks += pair_lines(_("Paid sales"), str(report.count), columns, Style.BOLD)
    blocks += pair_lines(_("Received"), format_sats(report.received_msat), columns, Style.BOLD)
    for code, amount in sorted(report.fiat_totals.items()):
        blocks += pair_lines(
            _("Total {currency}").format(currency=code), _fiat(amount, code), columns, Style.BOLD
        )
    if report.tips_msat:
        blocks += pair_lines(_("Tips (included)"), format_sats(report.tips_msat), columns)
        for code, amount in sorted(report.tips_fiat.items()):
            blocks += pair_lines(_("Tips {currency}").format(currency=code), _fiat(amount, code), columns)
    for state, count in sorted(report.unpaid_counts.items()):
        blocks += pair_lines(_state_name(state), str(count), columns)
    blocks += money_layout(report, columns, report.currency, report.cashiers)
    hours = report.by_hour()
    if hours:
        blocks += [rule, *_heading(_("By hour"), columns)]
        for row in hours:
            fiat = " ".join(_fiat(amount, code) for code, amount in sorted(row.fiat.items()))
            left = f"{row.hour:%H}:00  {row.count:>3}x"
            blocks += pair_lines(left, fiat or format_sats(row.received_msat), columns)
    if report.paid_late:
        blocks += [rule, *_heading(_("Paid late"), columns)]
        blocks += [line for sale in report.paid_late for line in _sale_line(sale, report, columns)]
    if report.unpaid:
        blocks += [rule, *_heading(_("Not paid (failed, expired, cancelled)"), columns)]
        blocks += [line for sale in report.unpaid for line in _sale_line(sale, report, columns)]
    if report.unsent is not None:
        sent = _("Not yet sent: {count} events").format(count=report.unsent)
        blocks += [rule, *_heading(sent if report.unsent else _("Sent to central books"), columns)]
    blocks.append(rule)
    return blocks


def _heading(text: str, columns: int) -> list[Line]:
    return [Line(part, Style.BOLD) for part in wrap(text, columns)]


def _sale_line(sale: Sale, report: ZReport, columns: int) -> list[Line]:
    at = report.local(sale.paid_at_ms or sale.created_at_ms).strftime("%H:%M")
    left = f"#{sale.id} {at} {_state_name(sale.state) if not sale.state.is_paid else ''}".rstrip()
    return pair_lines(left, sale_amount(sale), columns)


def sale_amount(sale: Sale) -> str:
    """The fiat amount when there is one, else the sats."""
    if sale.fiat_amount is not None:
        return _fiat(sale.fiat_amount, sale.currency)
    return format_sats(_received(sale))


def _state_name(state: SaleState) -> str:
    names = {
        SaleState.FAILED: _("Failed"),
        SaleState.EXPIRED: _("Expired"),
        SaleState.CANCELLED: _("Cancelled"),
        SaleState.AWAITING_PAYMENT: _("Waiting"),
        SaleState.CREATING_INVOICE: _("Waiting"),
        SaleState.ENTERING: _("Waiting"),
    }
    return names.get(state, str(state))


def _fiat(amount: Decimal, code: str) -> str:
    return format_fiat(Fiat(amount, currency(code)))


def _received(sale: Sale) -> int:
    return sale.amount_received_msat or sale.amount_msat


def _fiat_sums(sales: tuple[Sale, ...] | list[Sale]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for sale in sales:
        if sale.fiat_amount is not None:
            sums[sale.currency] += sale.fiat_amount
    return dict(sums)
