"""What the admin screens say, without a window."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from kiosk import i18n
from kiosk.domain.sale import SaleItem, SaleState
from kiosk.services.admin import NodeStatus
from kiosk.services.admin_pin import PinCheck
from kiosk.services.node_port import NodeInfo
from kiosk.ui import admin_views, strings
from tests.admin.conftest import DAY_START_MS, record

S = SaleState
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_pad_says_tries_left_then_how_long_to_wait():
    assert admin_views.pin_answer(PinCheck(False, 3, 0)) == strings.ADMIN_PIN_WRONG.format(left=3)
    assert admin_views.pin_answer(PinCheck(False, 0, 90)) == strings.ADMIN_PIN_LOCKED.format(wait="1:30")
    assert admin_views.pin_dots("258") == "● ● ●" and admin_views.pin_dots("") == ""


def test_history_rows_name_every_state(ledger):
    late = record(ledger, DAY_START_MS, 4_736, fiat="4.50", end=S.PAID_LATE, memo="x" * 40)
    row = admin_views.history_row(late, SHANGHAI)
    assert row.left == f"#{late.id}  11-23 17:00  " + "x" * 40  # the label shortens it to its width
    assert (row.amount, row.sats, row.state) == ("$4.50", "4,736 sats", strings.STATE_PAID_LATE)
    assert (row.paid, row.late, row.quiet) == (True, True, False)
    ends = (S.RECEIPT_PRINTED, S.EXPIRED, S.CANCELLED, S.FAILED)
    names = [
        admin_views.state_name(record(ledger, DAY_START_MS + n, 10 + n, end=e)) for n, e in enumerate(ends)
    ]
    assert names == [strings.STATE_PAID, strings.STATE_EXPIRED, strings.STATE_CANCELLED, strings.STATE_FAILED]
    assert admin_views.event_name(S.AWAITING_PAYMENT) == strings.EVENT_AWAITING
    assert admin_views.event_name(S.CANCELLED) == strings.STATE_CANCELLED
    assert admin_views.history_count(0, 1, 0) == strings.HISTORY_NONE
    assert admin_views.history_count(23, 6, 5) == "6–10 of 23"


def test_history_rows_say_what_was_sold_not_the_shop_name_and_mute_what_took_no_money(ledger):
    items = (SaleItem("Latte", 2, Decimal("3.50")), SaleItem("Croissant", 1, Decimal("3.20")))
    catalog = record(
        ledger, DAY_START_MS, 10_000, fiat="10.20", memo="Café: 2× Latte, 1× Croissant", items=items
    )
    keypad = record(ledger, DAY_START_MS, 2_100, memo="Café", end=S.FAILED)
    typed = record(ledger, DAY_START_MS, 2_100, memo="Table 4", end=S.EXPIRED)
    rows = [admin_views.history_row(sale, SHANGHAI, "Café") for sale in (catalog, keypad, typed)]
    assert [row.left.split("  ", 2)[2:] for row in rows] == [["2× Latte, 1× Croissant"], [], ["Table 4"]]
    assert [row.sats for row in rows] == ["10,000 sats", "", ""]  # a sats sale's amount is its sats
    assert [row.quiet for row in rows] == [False, True, True]
    i18n.set_language("zh_CN")
    try:
        assert admin_views.sale_what(catalog, "Café") == "2× Latte、1× Croissant"
    finally:
        i18n.set_language("en")


def test_node_text_shows_what_is_unknown_and_the_warnings():
    info = NodeInfo("02ab", "shop-node", "mainnet", synced=False, active_channels=3)
    text = admin_views.node_text(NodeStatus(info, None, "", ("too little inbound",)))
    assert "shop-node" in text and "mainnet" in text and strings.NODE_NOT_SYNCED in text
    assert strings.NODE_CHANNELS.format(count=3) in text
    assert strings.NODE_INBOUND.format(amount=strings.NODE_UNKNOWN) in text and "too little inbound" in text
    down = admin_views.node_text(NodeStatus(None, None, "The Lightning node did not answer"))
    assert "did not answer" in down


def test_the_sale_detail_says_what_proved_the_payment():
    from dataclasses import replace

    from kiosk.domain.sale import Invoice, Sale
    from kiosk.services.admin import SaleDetail

    paid = Sale(1, DAY_START_MS, 21_000, "", SaleState.PAID, invoice=Invoice("lnbcrt1", "ab" * 32, 0))
    by_preimage = replace(paid, preimage="11" * 32, proof="preimage")
    by_server = replace(paid, proof="btcpay status")
    utc = ZoneInfo("UTC")
    assert strings.DETAIL_PROOF_PREIMAGE in admin_views.sale_detail_text(SaleDetail(by_preimage, [], []), utc)
    server_text = admin_views.sale_detail_text(SaleDetail(by_server, [], []), utc)
    assert strings.DETAIL_PROOF_SERVER.format(proof="btcpay status") in server_text
    assert strings.DETAIL_PROOF_PREIMAGE not in server_text
