"""A shift's money broken out so it sums: subtotal, tax per rate, tips, refunds and takings, per tender and
per cashier, and the cash drawer (opening float + cash sales - cash refunds = expected, against the count).

`kiosk.services.shifts.ZReport` holds the sales and refunds; this adds them up
(`kiosk.domain.takings`) and lays the sums out for paper and screen. A shop with
no tax, no cash, no refunds and no cashiers gets no extra lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.domain.money import Fiat, currency, format_fiat, format_sats
from kiosk.domain.refund import Refund
from kiosk.domain.sale import Sale
from kiosk.domain.takings import Takings, sale_total, tally
from kiosk.domain.tender import Tender
from kiosk.i18n import _
from kiosk.services.receipts import Block, Line, Style, pair_lines

if TYPE_CHECKING:
    from kiosk.services.shifts import ZReport

ZERO = Decimal(0)


@dataclass(frozen=True)
class CashCount:
    """The drawer in the shop's currency."""

    currency: str
    opening_float: Decimal
    cash_sales: Decimal
    cash_refunds: Decimal
    counted: Decimal | None

    @property
    def expected(self) -> Decimal:
        return self.opening_float + self.cash_sales - self.cash_refunds

    @property
    def over_short(self) -> Decimal | None:
        """Counted minus expected: above zero is over, below is short."""
        return None if self.counted is None else self.counted - self.expected


def takings(report: ZReport) -> dict[str, Takings]:
    """Per currency."""
    return tally(report.paid, report.refunds, lambda record, sale: sale.currency)


def by_tender(report: ZReport) -> dict[tuple[str, Tender], Takings]:
    """A refund counts against the tender the money went back as (cash from the drawer, or Lightning)."""
    return tally(report.paid, report.refunds, lambda record, sale: (sale.currency, record.tender))


def by_cashier(report: ZReport) -> dict[tuple[str, int | None], Takings]:
    """A refund counts against whoever made it."""
    return tally(report.paid, report.refunds, lambda record, sale: (sale.currency, record.cashier_id))


def cash_count(report: ZReport, shop_currency: str) -> CashCount:
    sales = sum((sale_total(s) for s in report.paid if s.tender is Tender.CASH), ZERO)
    refunds = sum((r.amount for r, _s in _counted(report.refunds) if r.tender is Tender.CASH), ZERO)
    shift = report.shift
    return CashCount(shop_currency, shift.opening_float or ZERO, sales, refunds, shift.counted_cash)


def has_extras(report: ZReport) -> bool:
    """Anything beyond the plain Lightning report: tax, cash, refunds, discounts, cashiers."""
    sales = report.paid
    return bool(
        report.refunds
        or report.shift.opening_float
        or report.shift.counted_cash is not None
        or any(s.taxes or s.tender is Tender.CASH or s.discount or s.cashier_id for s in sales)
    )


def money_layout(report: ZReport, columns: int, shop_currency: str, names: Mapping[int, str]) -> list[Block]:
    if not has_extras(report):
        return []
    rule = Line("-" * columns)
    blocks: list[Block] = []
    for code, parts in sorted(takings(report).items()):
        blocks += [rule, Line(_("Takings {currency}").format(currency=code), Style.BOLD)]
        blocks += _parts(parts, code, columns)
    tenders = by_tender(report)
    if len(tenders) > 1 or any(t is Tender.CASH for _c, t in tenders):
        blocks += [rule, Line(_("By tender"), Style.BOLD)]
        for (code, tender), parts in sorted(tenders.items()):
            blocks += pair_lines(_tender_name(tender), money(parts.takings, code), columns)
    cashiers = by_cashier(report)
    if any(who is not None for _c, who in cashiers):
        blocks += [rule, Line(_("By cashier (sales, tips, refunds)"), Style.BOLD)]
        for (code, who), parts in sorted(cashiers.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            name = names.get(who, f"#{who}") if who is not None else _("Owner")
            blocks += pair_lines(f"{name} ({parts.count}x)", money(parts.takings, code), columns)
            blocks += pair_lines("  " + _("Tips"), money(parts.tips, code), columns)
            if parts.refunds:
                blocks += pair_lines("  " + _("Refunds"), "-" + money(parts.refunds, code), columns)
    cash = cash_count(report, shop_currency)
    if cash.cash_sales or cash.opening_float or cash.counted is not None or cash.cash_refunds:
        blocks += [rule, Line(_("Cash drawer"), Style.BOLD)]
        code = cash.currency
        blocks += pair_lines(_("Opening float"), money(cash.opening_float, code), columns)
        blocks += pair_lines(_("Cash sales"), money(cash.cash_sales, code), columns)
        blocks += pair_lines(_("Cash refunds"), "-" + money(cash.cash_refunds, code), columns)
        blocks += pair_lines(_("Expected in drawer"), money(cash.expected, code), columns, Style.BOLD)
        if cash.counted is not None and cash.over_short is not None:
            blocks += pair_lines(_("Counted"), money(cash.counted, code), columns)
            label = _("Over") if cash.over_short >= 0 else _("Short")
            blocks += pair_lines(label, money(abs(cash.over_short), code), columns, Style.BOLD)
    return blocks


def _parts(parts: Takings, code: str, columns: int) -> list[Block]:
    blocks: list[Block] = []
    if parts.discount:
        blocks += pair_lines(_("Discounts (taken off)"), money(parts.discount, code), columns)
    blocks += pair_lines(_("Subtotal (net)"), money(parts.subtotal, code), columns)
    for rate in parts.taxes:
        if rate.rate or rate.tax:
            label = _("Tax {rate}% on {net}").format(rate=_rate(rate.rate), net=money(rate.net, code))
            blocks += pair_lines(label, money(rate.tax, code), columns)
    blocks += pair_lines(_("Tips"), money(parts.tips, code), columns)
    if parts.refunds:
        label = _("Refunds ({count})").format(count=parts.refund_count)
        blocks += pair_lines(label, "-" + money(parts.refunds, code), columns)
    blocks += pair_lines(_("Takings"), money(parts.takings, code), columns, Style.BOLD)
    return blocks


def report_json(report: ZReport, shop_currency: str) -> dict[str, object]:
    """The Z-report's sums as JSON: Decimals as exact strings, msat as integers."""
    cash = cash_count(report, shop_currency)
    return {
        "shift": report.shift.id,
        "opened_at_ms": report.shift.opened_at_ms,
        "until_ms": report.until_ms,
        "closed": not report.shift.is_open,
        "paid_sales": report.count,
        "received_msat": report.received_msat,
        "totals": {code: takings_json(parts) for code, parts in sorted(takings(report).items())},
        "by_tender": [
            {"currency": c, "tender": t.value, **takings_json(p)}
            for (c, t), p in sorted(by_tender(report).items())
        ],
        "by_cashier": [
            {"currency": c, "cashier_id": who, **takings_json(p)}
            for (c, who), p in sorted(by_cashier(report).items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
        ],
        "cash": {
            "currency": cash.currency,
            "opening_float": str(cash.opening_float),
            "cash_sales": str(cash.cash_sales),
            "cash_refunds": str(cash.cash_refunds),
            "expected": str(cash.expected),
            "counted": None if cash.counted is None else str(cash.counted),
            "over_short": None if cash.over_short is None else str(cash.over_short),
        },
    }


def takings_json(parts: Takings) -> dict[str, object]:
    return {
        "count": parts.count,
        "subtotal": str(parts.subtotal),
        "tax": str(parts.tax),
        "tax_by_rate": [{"rate": str(t.rate), "net": str(t.net), "tax": str(t.tax)} for t in parts.taxes],
        "tips": str(parts.tips),
        "refunds": str(parts.refunds),
        "refund_count": parts.refund_count,
        "discount": str(parts.discount),
        "takings": str(parts.takings),
        "received_msat": parts.received_msat,
        "refunded_msat": parts.refunded_msat,
    }


def money(amount: Decimal, code: str) -> str:
    """An amount in a sale's currency as printed: fiat with its symbol, sats as sats."""
    unit = currency(code)
    if unit.is_sats:
        return format_sats(int(amount * 1000))
    return format_fiat(Fiat(amount.quantize(unit.quantum), unit))


def _rate(rate: Decimal) -> str:
    return f"{rate.normalize():f}"


def _tender_name(tender: Tender) -> str:
    return _("Cash") if tender is Tender.CASH else _("Lightning")


def _counted(refunds: tuple[tuple[Refund, Sale], ...]) -> list[tuple[Refund, Sale]]:
    return [(r, s) for r, s in refunds if r.counts]
