"""What the screens show, checked without a window."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kiosk.domain.cart import Cart, Product
from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import SATS, Rate, currency
from kiosk.domain.pricing import Order
from kiosk.domain.sale import Invoice, Sale, SaleItem, SaleState
from kiosk.errors import ConfigError, KioskError, StorageFull
from kiosk.services.print_jobs import JobState, PrintJob
from kiosk.services.printer_port import PrinterHealth
from kiosk.services.printer_status import PrinterStatus
from kiosk.services.rates import RateStatus
from kiosk.services.receipts import Copy
from kiosk.ui import cart_views, strings, viewmodels

USD = currency("USD")
RATE = Rate(Decimal("95000"), USD, "demo rate", 0)
FRESH = RateStatus(True, "Rate 12 s old from 3 sources", 12)
STALE = RateStatus(
    False, "No fresh exchange rate (last 7 min ago): fiat charging is off, sats still work", 420
)


def typed(unit, keys: str, maximum: str = "1000000") -> AmountEntry:
    entry = AmountEntry(unit, Decimal(maximum))
    for key in keys:
        entry = entry.press(key)
    return entry


def test_empty_keypad_prompts_and_cannot_charge():
    view = viewmodels.keypad_view(typed(USD, ""), RATE, FRESH, 1_000_000)
    assert view.amount == "$0.00"
    assert view.equivalent == strings.ENTER_AMOUNT
    assert not view.can_charge
    assert view.problem == ""


def test_fiat_amount_shows_sats_equivalent_and_rate_source():
    view = viewmodels.keypad_view(typed(USD, "1250"), RATE, FRESH, 1_000_000)
    assert view.amount == "$12.50"
    # 12.50 / 95000 BTC = 13,157.89 sats, rounded down.
    assert view.equivalent == "≈ 13,157 sats"
    assert view.rate_note == "1 BTC = $95,000.00 · Rate 12 s old from 3 sources"  # price and age
    assert view.can_charge
    assert view.quote is not None and view.quote.amount_msat == 13_157_000


def test_sats_amount_shows_fiat_equivalent():
    view = viewmodels.keypad_view(typed(SATS, "21000"), RATE, FRESH, 1_000_000)
    assert view.amount == "21,000 sats"
    assert view.equivalent == "≈ $19.95"
    assert view.quote is not None and view.quote.amount_msat == 21_000_000


def test_fiat_without_rate_says_to_charge_in_sats():
    view = viewmodels.keypad_view(typed(USD, "500"), None, STALE, 1_000_000)
    assert not view.can_charge
    assert "charge in sats" in view.problem
    assert view.rate_note == STALE.message  # why fiat is off, and that sats work


def test_sats_without_rate_still_charge():
    view = viewmodels.keypad_view(typed(SATS, "500"), None, STALE, 1_000_000)
    assert view.can_charge
    assert view.equivalent == ""
    assert view.rate_note == ""


def test_amount_over_the_limit_is_refused_with_the_limit():
    view = viewmodels.keypad_view(typed(USD, "99900"), RATE, FRESH, 1_000_000)
    assert not view.can_charge
    assert "1,000,000 sats" in view.problem


def sale(**fields) -> Sale:
    base = dict(id=7, created_at_ms=0, amount_msat=13_157_000, memo="", state=SaleState.AWAITING_PAYMENT)
    base.update(fields)
    return Sale(**base)


def test_sale_amounts_fiat_first_then_sats():
    assert viewmodels.sale_amounts(sale(fiat_amount=Decimal("12.50"), currency="USD")) == (
        "$12.50",
        "13,157 sats",
    )
    assert viewmodels.sale_amounts(sale()) == ("13,157 sats", "")


def test_a_tip_is_named_under_the_amount():
    tipped = sale(fiat_amount=Decimal("11.50"), currency="USD", tip_fiat=Decimal("1.50"), tip_msat=1_578_000)
    assert viewmodels.sale_amounts(tipped) == ("$11.50", "13,157 sats · incl. $1.50 tip")
    assert viewmodels.sale_amounts(sale(tip_msat=1_000_000)) == ("13,157 sats", "incl. 1,000 sats tip")


def test_countdown_rounds_up_and_turns_urgent_under_30_s():
    s = sale(deadline_ms=300_000)
    assert viewmodels.countdown(s, 0) == ("05:00", False)
    assert viewmodels.countdown(s, 1) == ("05:00", False)
    assert viewmodels.countdown(s, 1_000) == ("04:59", False)
    assert viewmodels.countdown(s, 270_000) == ("00:30", False)
    assert viewmodels.countdown(s, 270_001) == ("00:30", False)
    assert viewmodels.countdown(s, 271_000) == ("00:29", True)
    assert viewmodels.countdown(s, 400_000) == ("00:00", True)


def test_error_notice_splits_message_and_next_step():
    notice = viewmodels.notice_for(sale(state=SaleState.FAILED, error="Node down\nCheck the cable"))
    assert (notice.title, notice.body) == ("Node down", "Check the cable")
    assert notice.detail == "Sale #7 · 13,157 sats"


def test_error_notice_without_hint_still_gives_a_next_step():
    notice = viewmodels.notice_for(sale(state=SaleState.FAILED, error="Disk full"))
    assert (notice.title, notice.body) == ("Disk full", strings.ERROR_FALLBACK_HINT)


def test_expired_and_cancelled_notices():
    assert viewmodels.notice_for(sale(state=SaleState.EXPIRED)).title == strings.EXPIRED_TITLE
    assert viewmodels.notice_for(sale(state=SaleState.CANCELLED)).title == strings.CANCELLED_TITLE


def test_receipt_note_follows_the_sale():
    assert viewmodels.receipt_note(sale(state=SaleState.PAID)) == strings.RECEIPT_PRINTING
    assert viewmodels.receipt_note(sale(state=SaleState.RECEIPT_PRINTED)) == strings.RECEIPT_PRINTED


PAPER_OUT = "The printer is out of paper. Put in a new roll: waiting receipts then print by themselves"


def job(state: JobState, copy: Copy = Copy.CUSTOMER, reprint: bool = False, error: str | None = None):
    return PrintJob(
        id=1,
        sale_id=7,
        copy=copy,
        reprint=reprint,
        state=state,
        attempts=1,
        last_error=error,
        created_at_ms=0,
        next_attempt_ms=0,
        printed_at_ms=None,
    )


def status(state: PrinterHealth, message: str = PAPER_OUT, waiting: int = 0) -> PrinterStatus:
    return PrinterStatus(state, message, waiting)


def test_receipt_waiting_says_what_is_wrong_without_the_fix():
    paid = sale(state=SaleState.PAID)
    note = viewmodels.receipt_note(paid, [job(JobState.WAITING, error=PAPER_OUT)])
    assert note == "Receipt waiting: The printer is out of paper"


def test_receipt_not_tried_yet_waits_for_a_failing_printer():
    paid = sale(state=SaleState.PAID)
    failing = status(PrinterHealth.NOT_CONNECTED, "The printer at 10.0.0.9:9100 does not answer. Check it")
    expected = "Receipt waiting: The printer at 10.0.0.9:9100 does not answer"
    assert viewmodels.receipt_note(paid, [job(JobState.QUEUED)], failing) == expected
    assert viewmodels.receipt_note(paid, [], failing) == expected  # jobs not read yet
    assert viewmodels.receipt_note(paid, [job(JobState.QUEUED)], status(PrinterHealth.READY)) == (
        strings.RECEIPT_PRINTING
    )


def test_receipt_printed_by_its_job_or_by_the_sale():
    paid = sale(state=SaleState.PAID)
    assert viewmodels.receipt_note(paid, [job(JobState.PRINTED)]) == strings.RECEIPT_PRINTED
    merchant_waits = [job(JobState.PRINTED), job(JobState.WAITING, Copy.MERCHANT, error=PAPER_OUT)]
    assert viewmodels.receipt_note(paid, merchant_waits) == strings.RECEIPT_PRINTED


def test_a_reprint_shows_its_own_progress():
    printed = sale(state=SaleState.RECEIPT_PRINTED)
    again = [job(JobState.PRINTED), job(JobState.QUEUED, reprint=True)]
    assert viewmodels.receipt_note(printed, again) == strings.RECEIPT_PRINTING
    stuck = [job(JobState.PRINTED), job(JobState.WAITING, reprint=True, error=PAPER_OUT)]
    assert viewmodels.receipt_note(printed, stuck) == "Receipt waiting: The printer is out of paper"


def test_printer_strip_hidden_while_receipts_print():
    for fine in (PrinterHealth.READY, PrinterHealth.UNKNOWN, PrinterHealth.NOT_CONFIGURED):
        assert not viewmodels.printer_view(status(fine, "Printer ready", waiting=1)).visible
    assert not viewmodels.printer_view(None).visible


def test_printer_strip_counts_the_waiting_receipts_and_gives_the_queues_reason():
    one = viewmodels.printer_view(status(PrinterHealth.PAPER_OUT, waiting=1))
    assert (one.title, one.message, one.stopped) == ("1 receipt waiting for the printer", PAPER_OUT, True)
    assert one.visible
    two = viewmodels.printer_view(status(PrinterHealth.OFFLINE, "Cover open", waiting=2))
    assert (two.title, two.message) == ("2 receipts waiting for the printer", "Cover open")
    none = viewmodels.printer_view(status(PrinterHealth.ERROR, "Bad logo", waiting=0))
    assert (none.title, none.message, none.stopped) == (strings.PRINTER_PROBLEM, "Bad logo", True)


def test_paper_low_is_a_heads_up_not_a_stop():
    low = viewmodels.printer_view(status(PrinterHealth.PAPER_LOW, "Paper is running low"))
    assert low.visible and not low.stopped
    assert low.message == "Paper is running low"


def test_reprint_last_needs_a_paid_sale():
    assert not viewmodels.can_reprint_last([])
    assert not viewmodels.can_reprint_last([sale(state=SaleState.CANCELLED), sale(state=SaleState.FAILED)])
    assert viewmodels.can_reprint_last([sale(state=SaleState.EXPIRED), sale(state=SaleState.PAID_LATE)])
    assert viewmodels.can_reprint_last([sale(state=SaleState.RECEIPT_PRINTED)])


def test_paid_amount_shows_what_was_received():
    paid = sale(state=SaleState.PAID, amount_received_msat=13_158_000, invoice=Invoice("lnbc", "h", 0))
    assert viewmodels.sale_amounts(paid) == ("13,158 sats", "")


def test_currency_toggle_swaps_shop_currency_and_sats():
    assert viewmodels.other_unit(USD, USD) is SATS
    assert viewmodels.other_unit(SATS, USD) is USD


LATTE = Product("Latte", Decimal("3.50"), "Coffee")


def test_cart_total_lines_and_order():
    cart = Cart().add(LATTE).add(LATTE)
    view = cart_views.cart_view(cart, USD, RATE, FRESH, 1_000_000)
    assert (view.amount, view.equivalent) == ("$7.00", "≈ 7,368 sats")
    assert view.order == Order(Decimal("7.00"), USD, (SaleItem("Latte", 2, Decimal("3.50")),))
    assert cart_views.cart_rows(cart, USD) == [cart_views.CartRowView("2× Latte", "$7.00")]


def test_an_empty_cart_cannot_be_charged_and_says_how_to_fill_it():
    view = cart_views.cart_view(Cart(), USD, RATE, FRESH, 1_000_000)
    assert not view.can_charge and view.equivalent == strings.CART_EMPTY


def test_tip_choices_show_what_each_adds():
    choices = viewmodels.tip_choices(Order(Decimal("11.50"), USD), (Decimal(10), Decimal("12.5")))
    assert [(c.label, c.detail, c.tip) for c in choices] == [
        (strings.NO_TIP, "+ $0.00", Decimal(0)),
        ("10%", "+ $1.15", Decimal("1.15")),
        ("12.5%", "+ $1.44", Decimal("1.44")),
    ]
    assert viewmodels.tip_summary(Order(Decimal("11.50"), USD), Decimal("1.50")) == (
        "$11.50 + $1.50 tip = $13.00"
    )


def test_sats_tips_are_whole_sats():
    choices = viewmodels.tip_choices(Order(Decimal(999), SATS), (Decimal(10),))
    assert choices[1].detail == "+ 100 sats" and choices[1].tip == Decimal(100)


def test_a_full_disk_is_named_and_says_not_to_charge():
    notice = viewmodels.failure_notice(StorageFull(Path("ledger.sqlite3")))
    assert notice.title == "The kiosk's storage is full"
    assert "do not charge" in notice.body
    other = viewmodels.failure_notice(RuntimeError("database is locked"))
    assert other.title == strings.UNEXPECTED_ERROR.format(error="database is locked")


def test_setup_view_names_the_file_and_the_setting_and_says_what_to_do():
    problem = ConfigError(
        "The LND macaroon file /k/m does not exist", "Copy the LND macaroon to /k/m", "node.macaroon_file"
    )
    view = viewmodels.setup_view(problem, Path("/etc/kiosk.toml"))
    assert view.where == ("Config file: /etc/kiosk.toml", "Setting: node.macaroon_file")
    assert view.terminal_text == (
        "Setup problem: The LND macaroon file /k/m does not exist\n"
        "Config file: /etc/kiosk.toml\nSetting: node.macaroon_file\nTo fix it: Copy the LND macaroon to /k/m"
    )


def test_setup_view_without_a_config_file_or_hint_says_only_what_there_is():
    view = viewmodels.setup_view(StorageFull(Path("/var/ledger")), None)
    assert view.where == ("Config file: none (the built-in demo)",)
    assert view.to_fix.startswith("To fix it: New sales cannot be recorded")
    bare = viewmodels.setup_view(KioskError("The ledger is gone"), None)
    assert bare.terminal_text == "Setup problem: The ledger is gone\nConfig file: none (the built-in demo)"
