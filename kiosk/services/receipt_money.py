"""A receipt's money lines beyond the total: discounts, net and tax per rate, and the cash handed over."""

from __future__ import annotations

from decimal import Decimal

from kiosk.domain.money import Fiat, currency, format_fiat, format_sats
from kiosk.domain.sale import Sale
from kiosk.domain.takings import of_sale
from kiosk.i18n import _


def amount_text(amount: Decimal, code: str) -> str:
    unit = currency(code)
    return format_sats(int(amount * 1000)) if unit.is_sats else format_fiat(Fiat(amount, unit))


def breakdown_lines(sale: Sale) -> tuple[tuple[str, str], ...]:
    """Discount, then net, tax per rate and gross when the sale was taxed; nothing for an untaxed sale."""
    code = sale.currency
    lines: list[tuple[str, str]] = []
    if sale.discount:
        lines.append((_("Discount"), "-" + amount_text(sale.discount, code)))
    if sale.taxes:
        parts = of_sale(sale)
        lines.append((_("Net"), amount_text(parts.subtotal + parts.tips, code)))
        for rate in parts.taxes:
            label = _("Tax {rate}% on {net}").format(
                rate=f"{rate.rate.normalize():f}", net=amount_text(rate.net, code)
            )
            lines.append((label, amount_text(rate.tax, code)))
        lines.append((_("Gross"), amount_text(parts.gross, code)))
    return tuple(lines)


def cash_lines(sale: Sale) -> tuple[tuple[str, str], ...]:
    if sale.cash_tendered is None or sale.cash_change is None:
        return ()
    return (
        (_("Cash"), amount_text(sale.cash_tendered, sale.currency)),
        (_("Change"), amount_text(sale.cash_change, sale.currency)),
    )
