"""The shop-day screens in the real app: a cash sale with its change, the sale number on Paid, Try again."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from kiosk.config import TaxConfig
from kiosk.domain.sale import SaleState
from kiosk.domain.tender import Tender
from kiosk.ui import routing, strings
from tests.ui.conftest import headless_kiosk, scratch_config

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kiosk")
    config = dataclasses.replace(scratch_config(folder), tax=TaxConfig(rate=Decimal(19)))
    with headless_kiosk(config) as d:
        yield d


@pytest.fixture
def d(kiosk):
    kiosk.app.controller.new_sale()
    kiosk.app.controller.show_keypad()
    kiosk.wait_for_screen(routing.KEYPAD)
    return kiosk


def tap_keys(d, screen: str, *pressed: str) -> None:
    for key in pressed:
        d.tap(d.app.root.get_screen(screen).keys[key])


def test_a_cash_sale_shows_the_change_opens_the_drawer_and_names_the_sale(d):
    tap_keys(d, routing.KEYPAD, "4", "5", "0")
    d.tap(d.get(routing.KEYPAD, "cash"))
    d.wait_for_screen(routing.CASH)
    assert d.get(routing.CASH, "due").text == strings.CASH_DUE.format(amount="$4.50")
    assert d.get(routing.CASH, "take").disabled
    tap_keys(d, routing.CASH, "4", "0", "0")
    assert d.get(routing.CASH, "change").text == strings.CASH_SHORT.format(amount="$0.50")
    tap_keys(d, routing.CASH, "back", "back", "back", "1", "0", "0", "0")
    assert d.get(routing.CASH, "change").text == strings.CASH_CHANGE.format(amount="$5.50")
    d.tap(d.get(routing.CASH, "take"))
    d.wait_for_screen(routing.PAID)
    sale = d.app.controller.followed
    assert (sale.tender, sale.cash_change) == (Tender.CASH, Decimal("5.50"))
    stamp = d.get(routing.PAID, "stamp").text
    assert stamp.startswith(strings.PAID_STAMP.format(sale_id=sale.id, time="")) and "$5.50" in stamp
    d.wait_until(lambda: d.services.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, "receipt")
    receipt = (d.services.config.demo.receipts_dir / f"sale-{sale.id:06d}.txt").read_text()
    assert "Tax 19%" in receipt and "Change" in receipt


def test_try_again_after_a_cancel_makes_a_new_invoice_for_the_same_amount(d):
    tap_keys(d, routing.KEYPAD, "2", "0", "0")
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    first = d.app.controller.followed
    d.app.controller.cancel()
    d.wait_for_screen(routing.CANCELLED)
    d.tap(d.get(routing.CANCELLED, "try_again"))
    d.wait_for_screen(routing.INVOICE)
    again = d.app.controller.followed
    assert again.id != first.id and again.fiat_amount == first.fiat_amount
    assert again.payment_hash != first.payment_hash


def test_recent_lists_the_last_sales_without_a_pin_and_asks_the_node_afresh(d):
    tap_keys(d, routing.KEYPAD, "3", "0", "0")
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    paid = d.app.controller.followed
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.app.controller.new_sale()
    d.wait_for_screen(routing.KEYPAD)
    d.tap(d.get(routing.KEYPAD, "recent"))
    d.wait_for_screen(routing.RECENT)
    recent = d.app.root.get_screen(routing.RECENT)
    d.wait_until(lambda: recent.rows, "the recent list")
    assert len(recent.rows) == min(20, len(d.services.ledger.sales()))
    top = recent.rows[0]
    assert top.text.startswith(f"#{paid.id} ") and f"…{paid.payment_hash[-4:]}" in top.text
    d.tap(top)
    said = strings.NODE_SAYS.format(state=strings.NODE_PAID)
    d.wait_until(lambda: said in d.get(routing.RECENT, "detail").text, "the node's answer")
    d.tap(d.get(routing.RECENT, "back"))
    d.wait_for_screen(routing.KEYPAD)
