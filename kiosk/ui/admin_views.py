"""What the admin screens show, from the admin services' answers. Pure: no Kivy, no clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kiosk import i18n
from kiosk.domain.money import format_sats
from kiosk.domain.refund import RefundState
from kiosk.domain.sale import Sale, SaleState
from kiosk.domain.tender import Tender
from kiosk.services.admin import NodeStatus, SaleDetail
from kiosk.services.admin_pin import PinCheck
from kiosk.services.export import ExportResult
from kiosk.services.print_jobs import JobState
from kiosk.services.receipt_money import amount_text
from kiosk.services.refund_slip import how_refunded
from kiosk.services.settlement_proof import PREIMAGE
from kiosk.services.shifts import sale_amount
from kiosk.ui import strings, strings_refund

OWNER = 0  # the approval pad's choice for the owner's admin PIN (staff ids start at 1)


def pin_dots(typed: str) -> str:
    return " ".join("●" * len(typed)) if typed else ""


def wait_text(seconds: int) -> str:
    return strings.ADMIN_PIN_LOCKED.format(wait=f"{seconds // 60}:{seconds % 60:02d}")


def pin_answer(check: PinCheck) -> str:
    """What the pad says after a wrong PIN (a right one opens the admin area)."""
    if check.locked_for_s:
        return wait_text(check.locked_for_s)
    return strings.ADMIN_PIN_WRONG.format(left=check.attempts_left)


def _outcome(state: SaleState) -> str:
    """What a state means for the money: open, paid, paid late, or none."""
    names = {
        SaleState.PAID: strings.STATE_PAID,
        SaleState.RECEIPT_PRINTED: strings.STATE_PAID,
        SaleState.PAID_LATE: strings.STATE_PAID_LATE,
        SaleState.EXPIRED: strings.STATE_EXPIRED,
        SaleState.CANCELLED: strings.STATE_CANCELLED,
        SaleState.FAILED: strings.STATE_FAILED,
    }
    return names.get(state, strings.STATE_OPEN)


def state_name(sale: Sale) -> str:
    if sale.state is SaleState.RECEIPT_PRINTED and sale.settled_late:
        return strings.STATE_PAID_LATE
    return _outcome(sale.state)


def event_name(state: SaleState) -> str:
    """A line of the sale's event log: the step it reached."""
    steps = {
        SaleState.ENTERING: strings.EVENT_ENTERING,
        SaleState.CREATING_INVOICE: strings.EVENT_CREATING,
        SaleState.AWAITING_PAYMENT: strings.EVENT_AWAITING,
        SaleState.RECEIPT_PRINTED: strings.EVENT_PRINTED,
    }
    return steps.get(state) or _outcome(state)


def local_time(at_ms: int, timezone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).astimezone(timezone).strftime(fmt)


@dataclass(frozen=True)
class HistoryRow:
    sale_id: int
    left: str  # "#12  12-02 14:05  2× Latte、1× Croissant" (the label shortens it to its width)
    amount: str  # the fiat when there is one, else the sats
    sats: str  # the sats beside the fiat ("" for a sats or cash sale: nothing more to say)
    state: str
    paid: bool
    late: bool
    quiet: bool  # failed, expired or cancelled: no money came, the row steps back


QUIET = (SaleState.FAILED, SaleState.EXPIRED, SaleState.CANCELLED)


def history_row(sale: Sale, timezone: ZoneInfo, shop_name: str = "") -> HistoryRow:
    """One sale in a list: the shop name, every keypad sale's default memo, is not repeated on every row."""
    when = local_time(sale.created_at_ms, timezone, "%m-%d %H:%M")
    msat = sale.amount_received_msat or sale.amount_msat
    return HistoryRow(
        sale.id,
        "  ".join(part for part in (f"#{sale.id}", when, sale_what(sale, shop_name)) if part),
        sale_amount(sale),
        format_sats(msat) if sale.fiat_amount is not None and msat else "",
        state_name(sale),
        sale.state.is_paid,
        sale.settled_late,
        sale.state in QUIET,
    )


def sale_what(sale: Sale, shop_name: str) -> str:
    """What was sold: the items, else a memo the cashier typed (not the default, the shop's name)."""
    if sale.items:
        return i18n.list_separator().join(f"{item.quantity}× {item.name}" for item in sale.items)
    return "" if sale.memo == shop_name else sale.memo


def history_count(total: int, shown_from: int, shown: int) -> str:
    if total == 0:
        return strings.HISTORY_NONE
    return strings.HISTORY_COUNT.format(first=shown_from, last=shown_from + shown - 1, total=total)


def sale_detail_text(detail: SaleDetail, timezone: ZoneInfo) -> str:
    """The sale as label lines: what, when, how it was paid and proven, its refunds and receipts."""
    sale = detail.sale
    lines = [
        f"[b]{strings.SALE_NUMBER.format(sale_id=sale.id)}[/b]  ·  {state_name(sale)}",
        f"{sale_amount(sale)}   ({format_sats(sale.amount_received_msat or sale.amount_msat)})",
        *_paid_lines(sale),
    ]
    lines += [
        f"{item.quantity} × {item.name}   {amount_text(item.total, sale.currency)}" for item in sale.items
    ]
    lines += refund_lines(detail, timezone)
    if sale.memo:
        lines.append(sale.memo)
    if sale.payment_hash:
        lines.append(strings.DETAIL_HASH.format(hash=sale.payment_hash[:32] + "…"))
    if sale.preimage:
        lines.append(strings_refund.DETAIL_PREIMAGE.format(preimage=sale.preimage))
    if sale.proof == PREIMAGE:
        lines.append(strings.DETAIL_PROOF_PREIMAGE)
    elif sale.proof:
        lines.append(strings.DETAIL_PROOF_SERVER.format(proof=sale.proof))
    if sale.error:
        lines.append(f"[color=#F05252]{sale.error.splitlines()[0]}[/color]")
    lines.append("")
    for _from, to, at_ms in detail.events:
        lines.append(f"{local_time(at_ms, timezone, '%Y-%m-%d %H:%M:%S')}  {event_name(to)}")
    printed = sum(1 for job in detail.jobs if job.state is JobState.PRINTED)
    waiting = len(detail.jobs) - printed
    if detail.jobs:
        lines.append(strings.DETAIL_RECEIPTS.format(printed=printed, waiting=waiting))
    return "\n".join(lines)


def _paid_lines(sale: Sale) -> list[str]:
    """How a paid sale was paid, at what rate, and its tip."""
    if not sale.state.is_paid:
        return []
    code = sale.currency
    if sale.tender is Tender.CASH and sale.cash_tendered is not None and sale.cash_change is not None:
        given, change = amount_text(sale.cash_tendered, code), amount_text(sale.cash_change, code)
        lines = [strings_refund.DETAIL_CASH.format(given=given, change=change)]
    else:
        lines = [strings_refund.DETAIL_LIGHTNING]
    if sale.rate is not None:
        rate = amount_text(sale.rate.quantize(Decimal(1)), code)
        source = sale.rate_source
        text = strings_refund.DETAIL_RATE_SOURCE if source else strings_refund.DETAIL_RATE
        lines.append(text.format(rate=rate, source=source))
    if sale.tip_msat and sale.tip_fiat is not None:
        tip = amount_text(sale.tip_fiat, code)
        lines.append(strings_refund.DETAIL_TIP_FIAT.format(tip=tip, sats=format_sats(sale.tip_msat)))
    elif sale.tip_msat:
        lines.append(strings.DETAIL_TIP.format(tip=format_sats(sale.tip_msat)))
    return lines


def refund_lines(detail: SaleDetail, timezone: ZoneInfo) -> list[str]:
    """The sale's refunds so far, and what is left to refund (nothing for a sale that was not paid)."""
    sale = detail.sale
    if not sale.state.is_paid:
        return []
    lines = [f"[b]{strings_refund.DETAIL_REFUNDS}[/b]"] if detail.refunds else []
    for refund in detail.refunds:
        line = strings_refund.DETAIL_REFUND_LINE.format(
            number=refund.id,
            time=local_time(refund.created_at_ms, timezone, "%m-%d %H:%M"),
            amount=amount_text(refund.amount, sale.currency),
            how=how_refunded(refund),
        )
        if refund.state is RefundState.PENDING:
            line += f"  [color=#F5A524]{strings_refund.DETAIL_REFUND_PENDING}[/color]"
        elif refund.state is RefundState.FAILED:
            line += f"  ({strings_refund.DETAIL_REFUND_FAILED})"
        lines.append(line)
    left = detail.left
    if left > 0:
        lines.append(strings_refund.DETAIL_LEFT.format(amount=amount_text(left, sale.currency)))
    else:
        lines.append(strings_refund.DETAIL_ALL_REFUNDED)
    return lines


def node_text(status: NodeStatus) -> str:
    if status.info is None:
        return f"[color=#F05252]{status.problem}[/color]"
    info = status.info
    unknown = strings.NODE_UNKNOWN
    lines = [
        f"[b]{info.alias or unknown}[/b]",
        strings.NODE_NETWORK.format(network=info.network),
        strings.NODE_SYNCED if info.synced else strings.NODE_NOT_SYNCED,
        strings.NODE_CHANNELS.format(count=unknown if info.active_channels is None else info.active_channels),
        strings.NODE_INBOUND.format(
            amount=unknown if status.inbound_msat is None else format_sats(status.inbound_msat)
        ),
    ]
    lines += [f"[color=#F5A524]{warning}[/color]" for warning in status.warnings]
    return "\n".join(lines)


def export_text(result: ExportResult) -> str:
    return strings.EXPORT_DONE.format(rows=result.rows, file=result.path.name, folder=result.path.parent)


def problem_text(message: str, hint: str) -> str:
    return f"{message}. {hint}" if hint else message


def choices_text(values: Sequence[int]) -> list[str]:
    return [strings.SECONDS.format(seconds=value) for value in values]
