"""A shop day through the real services on a real ledger file: cash, tax, discounts, refunds, cashiers."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kiosk.backends.demo import DemoNode
from kiosk.config import PaymentConfig, ShopConfig
from kiosk.domain.discount import percent
from kiosk.domain.money import Rate, currency
from kiosk.domain.pricing import Order
from kiosk.domain.refund import RefundMode, RefundState
from kiosk.domain.sale import SaleItem, SaleState
from kiosk.domain.tax import TaxPolicy
from kiosk.domain.tender import Tender
from kiosk.errors import BackendError, ErrorKind, KioskError
from kiosk.hardware.printers import FileReceiptPrinter
from kiosk.hardware.rendering import PrintFormat
from kiosk.services.admin_pin import ScryptParams
from kiosk.services.export import export_sales
from kiosk.services.receipts import PaperGeometry
from kiosk.services.refunds import Refunds, Voucher
from kiosk.services.shift_money import by_cashier, by_tender, cash_count, report_json, takings
from kiosk.services.shifts import Shifts, report_layout
from kiosk.services.staff import NotAllowed, Role, Staff, require
from kiosk.storage import database
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.support.clock import Clock
from tests.support.wait import wait_until

EUR = currency("EUR")
RATE = Rate(Decimal("90000"), EUR, "test rate", 0)
SHOP = ShopConfig(name="Café Test", currency="EUR", timezone="Europe/Berlin")
VAT = TaxPolicy(included=True)
FAST = ScryptParams(n=2**4)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def checkout(tmp_path, storage, clock):
    made = make_checkout(
        DemoNode(),
        storage,
        FileReceiptPrinter(tmp_path / "receipts", PrintFormat(PaperGeometry.of_width(58))),
        PaymentConfig(poll_interval_seconds=0.05),
        SHOP,
        clock_ms=clock,
        steady_ms=clock.steady,
    )
    yield made
    made.close()


def lines_of(tmp_path, sale_id: int) -> str:
    return (tmp_path / "receipts" / f"sale-{sale_id:06d}.txt").read_text()


def test_a_cash_sale_records_the_change_and_prints(checkout, tmp_path):
    order = Order(Decimal("4.50"), EUR, tax=VAT, tax_rate=Decimal(19))
    sale = checkout.take_cash(order.cash(), "Flat white", Decimal("10.00"))
    assert (sale.state, sale.tender, sale.amount_msat) == (SaleState.PAID, Tender.CASH, 0)
    assert (sale.cash_tendered, sale.cash_change) == (Decimal("10.00"), Decimal("5.50"))
    wait_until(lambda: checkout.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="cash receipt")
    receipt = lines_of(tmp_path, sale.id)
    assert "PAID in cash" in receipt and "Change" in receipt and "€5.50" in receipt
    assert "Tax 19% on €3.78" in receipt and "€0.72" in receipt and "Payment hash" not in receipt
    with pytest.raises(KioskError, match="does not cover"):
        checkout.take_cash(order.cash(), "", Decimal("4.00"))


def test_an_untaxed_shop_prints_no_tax_lines(checkout, tmp_path):
    sale = checkout.take_cash(Order(Decimal("3.00"), EUR).cash(), "Tea", Decimal("3.00"))
    assert sale.taxes == ()
    wait_until(lambda: checkout.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="receipt")
    assert "Tax" not in lines_of(tmp_path, sale.id) and "Net" not in lines_of(tmp_path, sale.id)


def test_a_lightning_sale_keeps_its_taxes_and_discounts(checkout, tmp_path):
    items = (
        SaleItem("Cake", 2, Decimal("4.00"), Decimal(7)),
        SaleItem("Tea", 1, Decimal("3.00"), Decimal(19)),
    )
    order = Order(Decimal("11.00"), EUR, items, VAT, discount=percent(10))
    quote = order.priced(RATE, 1_000_000)
    sale = checkout.charge(quote, "Cake and tea")
    stored = checkout.ledger.get(sale.id)
    assert stored.fiat_amount == Decimal("9.90") and stored.discount == Decimal("1.10")
    assert [(t.rate, t.net + t.tax) for t in stored.taxes] == [
        (Decimal(7), Decimal("7.20")),
        (Decimal(19), Decimal("2.70")),
    ]
    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="receipt")
    receipt = lines_of(tmp_path, sale.id)
    assert "Discount" in receipt and "-€1.10" in receipt and "Gross" in receipt


def test_refunds_are_capped_idempotent_and_on_the_z_report(checkout, storage, clock):
    staff = Staff(storage.staff, clock, FAST)
    ann = staff.add("Ann", Role.CASHIER, "4826")
    bob = staff.add("Bob", Role.MANAGER, "7315")
    shifts = Shifts(
        storage.shifts, storage.sales, SHOP, clock, storage.refunds, lambda: {ann.id: "Ann", bob.id: "Bob"}
    )
    shifts.set_float(Decimal("50.00"), bob.id)
    checkout.cashier_id = ann.id
    cash = checkout.take_cash(
        Order(Decimal("8.00"), EUR, tax=VAT, tax_rate=Decimal(19)).cash(), "", Decimal("10")
    )
    light = checkout.charge(Order(Decimal("6.00"), EUR, tax=VAT, tax_rate=Decimal(7)).priced(RATE, 10**6), "")
    checkout.backend.pay(light.payment_hash)
    wait_until(lambda: checkout.ledger.get(light.id).state.is_paid, what="paid")
    refunds = Refunds(storage.sales, storage.refunds, RefundMode.RECORD, clock)

    first = refunds.refund(light.id, "r1", Decimal("2.00"), cashier_id=bob.id)
    assert (first.state, first.tender) == (RefundState.DONE, Tender.LIGHTNING)
    assert refunds.refund(light.id, "r1", Decimal("2.00")) == first  # the same key is the same refund
    with pytest.raises(KioskError, match=r"at most €4\.00"):
        refunds.refund(light.id, "r2", Decimal("4.01"))
    back = refunds.refund(cash.id, "r3", cash=True, cashier_id=bob.id)
    assert (back.amount, back.tender) == (Decimal("8.00"), Tender.CASH)
    with pytest.raises(KioskError):
        refunds.refund(cash.id, "r4", Decimal("0.01"))

    report = shifts.report(shifts.current())
    (total,) = takings(report).values()
    assert total.subtotal + total.tax + total.tips - total.refunds == total.takings == Decimal("4.00")
    assert sum(p.takings for p in by_tender(report).values()) == total.takings
    per_cashier = by_cashier(report)
    assert per_cashier[("EUR", ann.id)].takings == Decimal("14.00")
    assert per_cashier[("EUR", bob.id)].refunds == Decimal("10.00")
    drawer = cash_count(report, "EUR")
    assert drawer.expected == Decimal("50.00") + Decimal("8.00") - Decimal("8.00")
    closed = shifts.close(Decimal("49.50"), bob.id)
    assert cash_count(closed, "EUR").over_short == Decimal("-0.50")
    text = [b.text for b in report_layout(closed, 48) if hasattr(b, "text")]
    assert any("Short" in t and "€0.50" in t for t in text) and any(t.startswith("Ann (2x)") for t in text)
    assert report_json(closed, "EUR")["cash"]["over_short"] == "-0.50"


class Issuer:
    """A voucher issuer that loses its first answer: the voucher is made, the kiosk hears nothing."""

    def __init__(self) -> None:
        self.made: dict[str, Voucher] = {}
        self.lose_next = True

    def find(self, key: str) -> Voucher | None:
        return self.made.get(key)

    def create(self, key: str, amount_msat: int, title: str) -> Voucher:
        self.made[key] = Voucher(f"v{len(self.made)}", f"LNURL{amount_msat}")
        if self.lose_next:
            self.lose_next = False
            raise BackendError(ErrorKind.UNREACHABLE, "answer lost")
        return self.made[key]


def test_a_voucher_retry_finds_the_voucher_made_before(checkout, storage, clock):
    light = checkout.charge(Order(Decimal("6.00"), EUR).priced(RATE, 10**6), "")
    checkout.backend.pay(light.payment_hash)
    wait_until(lambda: checkout.ledger.get(light.id).state.is_paid, what="paid")
    issuer = Issuer()
    refunds = Refunds(storage.sales, storage.refunds, RefundMode.VOUCHER, clock, issuer)
    with pytest.raises(BackendError):
        refunds.refund(light.id, "v-1", Decimal("3.00"))
    assert storage.refunds.with_key("v-1").state is RefundState.PENDING
    assert refunds.left(checkout.ledger.get(light.id)) == Decimal("3.00")  # pending counts: never paid twice
    done = refunds.refund(light.id, "v-1", Decimal("3.00"))
    assert (done.state, done.voucher, len(issuer.made)) == (RefundState.DONE, "LNURL3333000", 1)


def test_staff_sign_in_with_lockout_and_roles(storage, clock):
    staff = Staff(storage.staff, clock, FAST)
    ann = staff.add("Ann", Role.CASHIER, "4826")
    member, check = staff.sign_in(ann.id, "4826")
    assert member == ann and check.ok
    for _ in range(5):
        member, check = staff.sign_in(ann.id, "0000")
    assert member is None and check.locked_for_s == 30
    with pytest.raises(NotAllowed):
        require(ann, Role.MANAGER)
    require(None, Role.OWNER)  # the owner's admin PIN
    with pytest.raises(KioskError, match="already"):
        staff.add("Ann", Role.MANAGER, "5937")


def test_a_ledger_from_before_keeps_every_row_through_migration_006(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    for script in sorted(database.MIGRATIONS.iterdir(), key=lambda p: p.name):
        if script.name.endswith(".sql") and int(script.name.split("-")[0]) <= 5:
            conn.executescript(script.read_text())
    conn.execute("PRAGMA user_version = 5")
    conn.execute(
        "INSERT INTO sales (created_at_ms, updated_at_ms, state, amount_msat, memo, currency) "
        "VALUES (1, 1, 'receipt_printed', 5000, 'old', 'SAT')"
    )
    conn.execute("INSERT INTO sale_events (sale_id, at_ms, to_state) VALUES (1, 1, 'receipt_printed')")
    conn.execute("INSERT INTO sale_items (sale_id, name, quantity, unit_price) VALUES (1, 'Tea', 1, '5')")
    conn.close()
    storage = Storage.open(path)
    try:
        (old,) = storage.sales.sales()
        assert (old.memo, old.tender, old.items[0].tax_rate) == ("old", Tender.LIGHTNING, Decimal(0))
        assert storage.sales.history(1)[0][1] is SaleState.RECEIPT_PRINTED
        with storage.database.read() as db, pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO sale_events (sale_id, at_ms, to_state) VALUES (99, 1, 'paid')")
    finally:
        storage.close()


def test_the_csv_columns_sum_to_the_takings(checkout, storage, clock, tmp_path):
    cash = checkout.take_cash(
        Order(Decimal("8.00"), EUR, tax=VAT, tax_rate=Decimal(19)).cash(Decimal("1.00")), "", Decimal(9)
    )
    light = checkout.charge(Order(Decimal("6.00"), EUR, tax=VAT, tax_rate=Decimal(7)).priced(RATE, 10**6), "")
    checkout.backend.pay(light.payment_hash)
    wait_until(lambda: checkout.ledger.get(light.id).state.is_paid, what="paid")
    checkout.charge(Order(Decimal("1.00"), EUR).priced(RATE, 10**6), "never paid")
    refunds = Refunds(storage.sales, storage.refunds, RefundMode.RECORD, clock)
    refunds.refund(cash.id, "c1", Decimal("2.50"))
    result = export_sales(
        storage.sales, tmp_path, ZoneInfo("Europe/Berlin"), datetime.now(UTC), storage.refunds
    )
    rows = list(csv.DictReader(result.path.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["kind"] for r in rows] == ["sale", "sale", "sale", "refund"]

    def column(name: str) -> Decimal:
        return sum((Decimal(r[name]) for r in rows if r[name]), Decimal(0))

    assert column("subtotal") + column("tax") + column("tips") - column("refund") == column("takings")
    assert column("takings") == Decimal("9.00") + Decimal("6.00") - Decimal("2.50")
    assert rows[0]["tender"] == "cash" and rows[0]["cash_change"] == "0.00" and rows[3]["takings"] == "-2.50"
