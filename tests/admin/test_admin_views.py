"""What the admin screens say, without a window."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from kiosk.domain.sale import SaleState
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
    assert row.left.startswith(f"#{late.id}  11-23 17:00  ") and row.left.endswith("…")
    assert (row.amount, row.state, row.paid, row.late) == ("$4.50", strings.STATE_PAID_LATE, True, True)
    ends = (S.RECEIPT_PRINTED, S.EXPIRED, S.CANCELLED, S.FAILED)
    names = [
        admin_views.state_name(record(ledger, DAY_START_MS + n, 10 + n, end=e)) for n, e in enumerate(ends)
    ]
    assert names == [strings.STATE_PAID, strings.STATE_EXPIRED, strings.STATE_CANCELLED, strings.STATE_FAILED]
    assert admin_views.event_name(S.AWAITING_PAYMENT) == strings.EVENT_AWAITING
    assert admin_views.event_name(S.CANCELLED) == strings.STATE_CANCELLED
    assert admin_views.history_count(0, 1, 0) == strings.HISTORY_NONE
    assert admin_views.history_count(23, 6, 5) == "6–10 of 23"


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
