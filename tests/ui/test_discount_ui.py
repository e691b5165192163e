"""Discounts on the catalog's cart in the real app: a line's and the order's, the manager's PIN above
the limit, and the discounted sale in the ledger, on the printed receipt, the Z-report and the CSV.

A real SQLite ledger, the demo node, and a python-escpos Dummy printer behind the kiosk's ESC/POS adapter.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kiosk.config import DEMO_CATALOG, CatalogConfig, PrinterConfig
from kiosk.domain.sale import SaleState
from kiosk.services.export import export_sales
from kiosk.services.receipts import Line
from kiosk.services.shift_money import takings
from kiosk.services.shifts import report_layout
from kiosk.services.staff import Role
from kiosk.ui import admin_views, routing, strings_discount
from tests.ui.conftest import printing_kiosk, scratch_config
from tests.ui.test_admin import PIN, ensure_pin

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kiosk")
    config = dataclasses.replace(
        scratch_config(folder, catalog=CatalogConfig(DEMO_CATALOG)), printer=PrinterConfig()
    )
    with printing_kiosk(config) as d:
        yield d


@pytest.fixture
def d(kiosk):
    kiosk.app.controller.new_sale()
    kiosk.app.controller.show_catalog()
    kiosk.wait_for_screen(routing.CATALOG)
    return kiosk


def catalog(d):
    return d.app.root.get_screen(routing.CATALOG)


def product(d, name: str):
    return next(p for p in catalog(d).products if p.name == name)


def row_of(d, name: str):
    """The cart row of `name`'s line (rows are listed bottom up)."""
    return next(r for r in catalog(d).ids.lines.children if getattr(r, "product", None) == product(d, name))


def panel(d):
    return d.app.root.get_screen(routing.DISCOUNT)


def type_keys(d, screen, keys: str) -> None:
    for key in keys:
        d.tap(screen.keys[key])


def fill_cart(d) -> None:
    """2× Espresso ($4.80) and a Flat white ($3.80): $8.60."""
    for name in ("Espresso", "Espresso", "Flat white"):
        d.tap(catalog(d).tiles[product(d, name)])


def test_a_discounted_catalog_sale_is_recorded_printed_and_summed_on_the_z_report(d, tmp_path):
    ensure_pin(d)
    fill_cart(d)
    d.tap(row_of(d, "Espresso").ids.discount)  # 10% off the espressos: at the limit, no PIN
    d.wait_for_screen(routing.DISCOUNT)
    assert d.get(routing.DISCOUNT, "title").text == strings_discount.TITLE_LINE.format(line="2× Espresso")
    d.tap(d.get(routing.DISCOUNT, "presets").children[-2])  # 10%
    assert d.get(routing.DISCOUNT, "new_total").text == strings_discount.NEW_TOTAL.format(amount="$8.12")
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.CATALOG)
    assert (row_of(d, "Espresso").discount, row_of(d, "Espresso").off) == ("Discount 10%", "−$0.48")

    d.tap(d.get(routing.CATALOG, "discount"))  # $0.50 off the order: 6% of $8.12, but $0.98 of $8.60 in all
    d.wait_for_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "by_amount"))
    type_keys(d, panel(d), "50")
    assert d.get(routing.DISCOUNT, "typed").text == "$0.50"
    assert d.get(routing.DISCOUNT, "note").text == strings_discount.NEEDS_MANAGER_TOGETHER.format(limit="10")
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.ADMIN_APPROVE)
    type_keys(d, d.app.root.get_screen(routing.ADMIN_APPROVE), PIN)  # the owner's
    d.tap(d.get(routing.ADMIN_APPROVE, "ok"))
    d.wait_for_screen(routing.CATALOG)
    assert d.get(routing.CATALOG, "amount").text == "$7.62"
    assert catalog(d).order_discount == strings_discount.ORDER_OFF_AMOUNT and catalog(d).order_off == "−$0.50"

    sessions = len(d.paper.sessions)
    d.tap(d.get(routing.CATALOG, "charge"))
    if d.app.controller.tips_enabled:
        d.wait_for_screen(routing.TIP)
        d.tap(d.app.root.get_screen(routing.TIP).choices[0])
    d.wait_for_screen(routing.INVOICE)
    sale = d.app.controller.followed
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.wait_until(lambda: d.services.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, "the receipt")

    stored = d.services.ledger.get(sale.id)
    assert (stored.fiat_amount, stored.discount) == (Decimal("7.62"), Decimal("0.98"))
    assert [(i.name, i.discount) for i in stored.items] == [
        ("Espresso", Decimal("0.48")),
        ("Flat white", Decimal(0)),
    ]
    printed = b"".join(d.paper.sessions[sessions:])
    assert b"Discount" in printed and b"-$0.98" in printed and b"$7.62" in printed

    report = d.services.admin.shift_report()
    usd = takings(report)["USD"]
    paid = [s for s in report.paid if s.currency == "USD"]
    assert usd.discount == sum((s.discount or Decimal(0) for s in paid), Decimal(0)) >= Decimal("0.98")
    assert usd.subtotal + usd.tax + usd.tips - usd.refunds == usd.takings
    assert usd.takings == sum((s.fiat_amount for s in paid), Decimal(0)) - usd.refunds

    printed_report = [line.text for line in report_layout(report, 32) if isinstance(line, Line)]
    assert any(
        t.startswith("Discounts (taken off)") and t.endswith(f"${usd.discount}") for t in printed_report
    )

    now = datetime.now(UTC)
    exported = export_sales(d.services.ledger, tmp_path, ZoneInfo("UTC"), now)
    with exported.path.open(encoding="utf-8-sig") as rows:
        row = next(r for r in csv.DictReader(rows) if r["sale_id"] == str(sale.id))
    assert row["discount"] == "0.98" and Decimal(row["subtotal"]) + Decimal(row["tax"]) == Decimal("7.62")


def test_a_discount_above_the_limit_needs_the_owner_pin_in_a_shop_without_staff(d):
    ensure_pin(d)
    fill_cart(d)
    d.tap(d.get(routing.CATALOG, "discount"))
    d.wait_for_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "presets").children[0])  # 20%
    assert d.get(routing.DISCOUNT, "note").text == strings_discount.NEEDS_MANAGER.format(limit="10")
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.ADMIN_APPROVE)
    pad = d.app.root.get_screen(routing.ADMIN_APPROVE)
    assert pad.prompt == strings_discount.APPROVE_OWNER and pad.picked == admin_views.OWNER
    type_keys(d, pad, "9999")
    d.tap(d.get(routing.ADMIN_APPROVE, "ok"))
    d.wait_until(lambda: pad.notice != "", "the wrong PIN refused")
    assert catalog(d).cart.discount is None
    type_keys(d, pad, PIN)
    d.tap(d.get(routing.ADMIN_APPROVE, "ok"))
    d.wait_for_screen(routing.CATALOG)
    assert d.get(routing.CATALOG, "amount").text == "$6.88"  # $8.60 less 20%

    d.tap(d.get(routing.CATALOG, "discount"))  # Remove needs no PIN
    d.wait_for_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "remove"))
    d.wait_for_screen(routing.CATALOG)
    assert d.get(routing.CATALOG, "amount").text == "$8.60"


def test_discounts_within_the_limit_alone_need_the_owner_together_and_an_approved_one_counts_no_more(d):
    ensure_pin(d)
    fill_cart(d)
    d.tap(row_of(d, "Espresso").ids.discount)
    d.wait_for_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "presets").children[1])  # 10%: $0.48 of $4.80, at the limit
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.CATALOG)
    d.tap(d.get(routing.CATALOG, "discount"))
    d.wait_for_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "presets").children[1])  # 10% of $8.12 more: $1.29 of $8.60 together
    assert d.get(routing.DISCOUNT, "note").text == strings_discount.NEEDS_MANAGER_TOGETHER.format(limit="10")
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.ADMIN_APPROVE)
    pad = d.app.root.get_screen(routing.ADMIN_APPROVE)
    assert pad.why == strings_discount.APPROVE_WHY_TOGETHER.format(limit="10")
    type_keys(d, pad, PIN)
    d.tap(d.get(routing.ADMIN_APPROVE, "ok"))
    d.wait_for_screen(routing.CATALOG)
    assert d.get(routing.CATALOG, "amount").text == "$7.31"

    d.get(routing.CATALOG, "lines").parent.scroll_to(row_of(d, "Flat white"), animate=False)  # swipe down
    d.frames(2)
    d.tap(row_of(d, "Flat white").ids.discount)  # 5% more: the owner's 10% off the order counts no more
    d.wait_for_screen(routing.DISCOUNT)
    d.tap(d.get(routing.DISCOUNT, "presets").children[-1])
    assert d.get(routing.DISCOUNT, "note").text == ""
    d.tap(d.get(routing.DISCOUNT, "apply"))
    d.wait_for_screen(routing.CATALOG)
    assert d.get(routing.CATALOG, "amount").text == "$7.14"  # $8.60 − $0.48 − $0.19 − 10% of $7.93


def test_a_cashier_asks_a_manager_and_a_manager_gives_it_at_once(d):
    staff = d.services.staff
    ann = staff.add("Ann", Role.CASHIER, "4826")
    bob = staff.add("Bob", Role.MANAGER, "7315")
    signin = d.app.controller.signin
    try:
        signin.members, signin.member = (ann, bob), ann
        fill_cart(d)
        d.tap(row_of(d, "Espresso").ids.discount)
        d.wait_for_screen(routing.DISCOUNT)
        d.tap(d.get(routing.DISCOUNT, "by_amount"))
        type_keys(d, panel(d), "100")  # $1.00 of $4.80: 21%
        d.tap(d.get(routing.DISCOUNT, "apply"))
        d.wait_for_screen(routing.ADMIN_APPROVE)
        pad = d.app.root.get_screen(routing.ADMIN_APPROVE)
        assert set(pad.names) == {bob.id, admin_views.OWNER} and pad.picked is None
        d.tap(pad.names[bob.id])
        type_keys(d, pad, "7315")
        d.tap(d.get(routing.ADMIN_APPROVE, "ok"))
        d.wait_for_screen(routing.CATALOG)
        assert row_of(d, "Espresso").off == "−$1.00"
        d.tap(row_of(d, "Espresso").ids.minus)  # $1.00 of one $2.40 espresso was not approved: it goes
        assert catalog(d).cart.line(product(d, "Espresso")).discount is None

        signin.member = bob
        d.tap(d.get(routing.CATALOG, "discount"))
        d.wait_for_screen(routing.DISCOUNT)
        d.tap(d.get(routing.DISCOUNT, "presets").children[0])  # 20%, a manager's own
        d.tap(d.get(routing.DISCOUNT, "apply"))
        d.wait_for_screen(routing.CATALOG)
        assert catalog(d).cart.discount is not None
    finally:
        signin.members, signin.member = (), None
        staff.remove(ann.id)
        staff.remove(bob.id)
