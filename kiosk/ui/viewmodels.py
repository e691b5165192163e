"""What each screen shows, computed from domain objects. Pure: no Kivy, no clock.

Screens call these functions and copy the strings into their labels, so every
rule about what the cashier sees is tested here without a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kiosk.config import TaxConfig
from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import SATS, Currency, Fiat, Rate, currency, format_fiat, format_sats, msat_to_fiat
from kiosk.domain.pricing import CannotPrice, Order, Quote
from kiosk.domain.sale import Sale, SaleState
from kiosk.domain.tender import Tender
from kiosk.domain.tips import tip_for_percent
from kiosk.errors import ConfigError, KioskError, StorageError
from kiosk.services.print_jobs import JobState, PrintJob
from kiosk.services.printer_port import PrinterHealth
from kiosk.services.printer_status import PrinterStatus
from kiosk.services.rates import RateStatus
from kiosk.services.receipts import Copy
from kiosk.ui import strings

URGENT_BELOW_S = 30
# Receipts print (or, with no printer configured, are kept in the ledger): nothing to tell the cashier.
PRINTER_FINE = frozenset({PrinterHealth.READY, PrinterHealth.UNKNOWN, PrinterHealth.NOT_CONFIGURED})


@dataclass(frozen=True)
class KeypadView:
    """The keypad's or the cart's amount: what it shows and the order a Charge tap rings up."""

    amount: str
    equivalent: str
    rate_note: str
    problem: str
    quote: Quote | None
    order: Order | None = None

    @property
    def can_charge(self) -> bool:
        return self.quote is not None


def amount_text(value: Decimal, unit: Currency) -> str:
    if unit.is_sats:
        return format_sats(int(value) * 1000)
    return format_fiat(Fiat(value, unit))


def rate_note(rate: Rate | None, status: RateStatus) -> str:
    """'1 BTC = $95,000.00 · Rate 12 s old from 3 sources': the price and how fresh it is, always visible."""
    if rate is None:
        return status.message
    price = Fiat(rate.btc_price.quantize(rate.currency.quantum), rate.currency)
    return strings.RATE_NOTE.format(price=format_fiat(price), source=status.message)


NO_TAX = TaxConfig()


def keypad_view(
    entry: AmountEntry, rate: Rate | None, status: RateStatus, max_sats: int, tax: TaxConfig = NO_TAX
) -> KeypadView:
    """The keypad's amount, its equivalent in the other unit, and whether it can be charged."""
    note = rate_note(rate, status) if rate is not None or not entry.currency.is_sats else ""
    order = Order(entry.value, entry.currency, (), tax.policy, tax.rate)
    return amount_view(order, entry.value, rate, max_sats, note, strings.ENTER_AMOUNT)


def amount_view(
    order: Order, shown: Decimal, rate: Rate | None, max_sats: int, note: str, empty: str
) -> KeypadView:
    """`order` priced now; `shown` is its amount on screen (a cart's, after its discounts)."""
    text = amount_text(shown, order.currency)
    if order.value == 0:
        return KeypadView(text, empty, note, "", None)
    try:
        priced = order.priced(rate, max_sats)
    except CannotPrice as exc:
        return KeypadView(text, "", note, str(exc), None)
    if priced.fiat is not None:
        equivalent = format_sats(priced.amount_msat)
    elif rate is not None:
        equivalent = format_fiat(msat_to_fiat(priced.amount_msat, rate))
    else:
        equivalent = ""
    return KeypadView(
        text, strings.EQUIVALENT.format(amount=equivalent) if equivalent else "", note, "", priced, order
    )


@dataclass(frozen=True)
class TipChoice:
    label: str  # "15%" or "No tip"
    detail: str  # what it adds: "+ $1.88"
    tip: Decimal


def tip_choices(order: Order, presets: Sequence[Decimal]) -> list[TipChoice]:
    """No tip first, then each preset with what it adds, in the order's unit ("No tip" adds nothing)."""
    adds_nothing = strings.TIP_ADDS.format(amount=amount_text(Decimal(0), order.currency))
    choices = [TipChoice(strings.NO_TIP, adds_nothing, Decimal(0))]
    for percent in presets:
        tip = tip_for_percent(order.discounted, percent, order.currency)
        label = strings.TIP_PERCENT.format(percent=f"{percent.normalize():f}")
        choices.append(
            TipChoice(label, strings.TIP_ADDS.format(amount=amount_text(tip, order.currency)), tip)
        )
    return choices


def tip_summary(order: Order, tip: Decimal) -> str:
    """'$12.50 + $1.88 tip = $14.38' for the custom tip screen."""
    amount = order.discounted
    return strings.TIP_SUMMARY.format(
        amount=amount_text(amount, order.currency),
        tip=amount_text(tip, order.currency),
        total=amount_text(amount + tip, order.currency),
    )


def entry_maximum(unit: Currency, max_sats: int, max_fiat: Decimal) -> Decimal:
    return Decimal(max_sats) if unit.is_sats else max_fiat


def sale_amounts(sale: Sale) -> tuple[str, str]:
    """(headline, second line): the fiat amount over the sats (and the tip in it), or the sats alone."""
    sats = format_sats(sale.amount_received_msat or sale.amount_msat)
    if sale.tender is Tender.CASH:  # no sats: the Paid screen's stamp says cash and the change
        return format_fiat(Fiat(sale.fiat_amount or Decimal(0), currency(sale.currency))), ""
    if sale.fiat_amount is None:
        tip = strings.INCLUDES_TIP.format(tip=format_sats(sale.tip_msat)) if sale.tip_msat else ""
        return sats, tip
    unit = currency(sale.currency)
    if sale.tip_fiat:
        sats = f"{sats} · {strings.INCLUDES_TIP.format(tip=format_fiat(Fiat(sale.tip_fiat, unit)))}"
    return format_fiat(Fiat(sale.fiat_amount, unit)), sats


def countdown(sale: Sale, now_ms: int) -> tuple[str, bool]:
    """('04:59', urgent): time left to pay, rounded up to the second; urgent under 30 s."""
    left_ms = max(0, (sale.deadline_ms or now_ms) - now_ms)
    seconds = -(-left_ms // 1000)
    return minutes_seconds(seconds), seconds < URGENT_BELOW_S


def minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class Notice:
    """An outcome that is not a payment: a title, the next step, and the sale it is about."""

    title: str
    body: str
    detail: str


def notice_for(sale: Sale) -> Notice:
    number = strings.SALE_NUMBER.format(sale_id=sale.id)
    headline, second = sale_amounts(sale)
    detail = " · ".join(part for part in (number, headline, second) if part)
    if sale.state is SaleState.EXPIRED:
        return Notice(strings.EXPIRED_TITLE, strings.EXPIRED_BODY, detail)
    if sale.state is SaleState.CANCELLED:
        return Notice(strings.CANCELLED_TITLE, strings.CANCELLED_BODY, detail)
    message, _, hint = (sale.error or "").partition("\n")
    return Notice(
        message or strings.UNEXPECTED_ERROR.format(error="?"), hint or strings.ERROR_FALLBACK_HINT, detail
    )


def cannot_price_notice(error: CannotPrice) -> Notice:
    """The order could not be priced when it was charged (the rate went stale): no invoice was made."""
    return Notice(str(error), strings.NOT_CHARGED, "")


def failure_notice(error: BaseException) -> Notice:
    """A crash in a worker (a bug, a full disk): the cashier still gets a way forward."""
    if isinstance(error, StorageError):  # a full disk, an unreadable ledger: said in the storage's words
        return Notice(error.message, error.hint, "")
    return Notice(strings.UNEXPECTED_ERROR.format(error=error), strings.ERROR_FALLBACK_HINT, "")


def receipt_note(sale: Sale, jobs: Sequence[PrintJob] = (), printer: PrinterStatus | None = None) -> str:
    """The customer receipt's progress: printed, printing, or waiting and why.

    `jobs` are the sale's print jobs (a reprint adds one); `printer` is the
    queue's latest status, which explains a job that has not been tried yet.
    """
    customer = [job for job in jobs if job.copy is Copy.CUSTOMER]
    pending = [job for job in customer if job.state is not JobState.PRINTED]
    if not pending and (
        sale.state is SaleState.RECEIPT_PRINTED or any(job.state is JobState.PRINTED for job in customer)
    ):
        return strings.RECEIPT_PRINTED
    why = next((job.last_error for job in pending if job.state is JobState.WAITING and job.last_error), None)
    if why is None and printer is not None and printer.state not in PRINTER_FINE:
        why = printer.message
    return strings.RECEIPT_WAITING.format(why=first_sentence(why)) if why else strings.RECEIPT_PRINTING


def first_sentence(message: str) -> str:
    """What went wrong, without what to do: the printer strip beside it says that.

    The queue's messages are a KioskError's "what. what to do" ("what。what to do" in Chinese).
    """
    return message.partition(". ")[0].partition("。")[0]


@dataclass(frozen=True)
class PrinterView:
    """The printer strip: hidden (no title) while receipts print."""

    title: str = ""
    message: str = ""
    stopped: bool = False  # receipts wait (else a heads-up, e.g. paper low)

    @property
    def visible(self) -> bool:
        return bool(self.title)


def printer_view(status: PrinterStatus | None) -> PrinterView:
    if status is None or status.state in PRINTER_FINE:
        return PrinterView()
    if status.state is PrinterHealth.PAPER_LOW:
        return PrinterView(strings.PRINTER_HEADS_UP, status.message, stopped=False)
    if status.waiting_jobs == 1:
        title = strings.PRINTER_WAITING_ONE
    elif status.waiting_jobs > 1:
        title = strings.PRINTER_WAITING_MANY.format(count=status.waiting_jobs)
    else:
        title = strings.PRINTER_PROBLEM
    return PrinterView(title, status.message, stopped=True)


def can_reprint_last(sales: Sequence[Sale]) -> bool:
    """ "Reprint last" shows once there is a paid sale, whose receipt it prints again."""
    return any(sale.state.is_paid for sale in sales)


def paid_late_body(sale: Sale) -> str:
    return strings.PAID_LATE_BODY.format(sale_id=sale.id)


def other_unit(unit: Currency, shop: Currency) -> Currency:
    """The currency toggle: shop currency <-> sats."""
    return shop if unit.is_sats else SATS


@dataclass(frozen=True)
class SetupView:
    """The setup page, and the same words for the terminal: what is wrong, where, what to do."""

    message: str
    where: tuple[str, ...]  # the config file, and the setting when the message does not name it
    to_fix: str

    @property
    def terminal_text(self) -> str:
        lines = (f"{strings.SETUP_TITLE}: {self.message}", *self.where, self.to_fix)
        return "\n".join(line for line in lines if line)


def setup_view(problem: KioskError, config_file: Path | None) -> SetupView:
    where = [
        strings.SETUP_CONFIG_FILE.format(path=config_file) if config_file else strings.SETUP_NO_CONFIG_FILE
    ]
    key = problem.key if isinstance(problem, ConfigError) else ""
    if key:
        where.append(strings.SETUP_KEY.format(key=key))
    to_fix = strings.SETUP_TO_FIX.format(hint=problem.hint) if problem.hint else ""
    return SetupView(problem.message, tuple(where), to_fix)
