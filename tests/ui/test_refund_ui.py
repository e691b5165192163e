"""Refunds from a sale's detail in the real app: partial and capped, one per tap, a manager's PIN, the slip.

A real SQLite ledger, the demo node, and a python-escpos Dummy printer behind the kiosk's ESC/POS adapter.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from kiosk.config import PrinterConfig
from kiosk.domain.refund import RefundState
from kiosk.domain.tender import Tender
from kiosk.services.staff import Role
from kiosk.ui import routing, strings_refund
from tests.support.held import held
from tests.ui.conftest import printing_kiosk, scratch_config
from tests.ui.test_admin import sell, unlock

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kiosk")
    config = dataclasses.replace(scratch_config(folder), printer=PrinterConfig(cash_drawer=True))
    with printing_kiosk(config) as d:
        yield d


@pytest.fixture
def d(kiosk):
    kiosk.app.controller.admin.lock()
    kiosk.wait_for_screen(routing.KEYPAD)
    return kiosk


def refunds_of(d, sale_id: int):
    return d.services.refunds.for_sale(sale_id)


def open_refund(d, sale_id: int) -> None:
    """Unlocked already: the sale's detail, then its Refund button."""
    d.app.controller.admin.open_sale(sale_id)
    d.wait_for_screen(routing.ADMIN_SALE)
    d.wait_until(lambda: d.app.root.get_screen(routing.ADMIN_SALE).can_refund, "the Refund button")
    d.tap(d.get(routing.ADMIN_SALE, "refund"))


def on_form(d, sale_id: int) -> object:
    open_refund(d, sale_id)
    d.wait_for_screen(routing.ADMIN_REFUND)
    return d.app.root.get_screen(routing.ADMIN_REFUND)


def type_keys(d, screen, *keys: str) -> None:
    for key in keys:
        d.tap(screen.keys[key])


def test_a_partial_refund_is_recorded_its_slip_printed_and_the_detail_shows_what_is_left(d):
    sale = sell(d, "4", "5", "0")
    unlock(d)
    form = on_form(d, sale.id)
    assert d.get(routing.ADMIN_REFUND, "cap").text == strings_refund.REFUND_CAP.format(left="$4.50")
    assert d.get(routing.ADMIN_REFUND, "confirm").disabled
    type_keys(d, form, "1", "5", "0")
    assert d.get(routing.ADMIN_REFUND, "amount").text == "$1.50"
    assert form.way == "other"  # the configured way first: refunds.mode = "record", handled elsewhere
    sessions = len(d.paper.sessions)
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    d.wait_for_screen(routing.ADMIN_REFUND_DONE)
    done = d.app.root.get_screen(routing.ADMIN_REFUND_DONE)
    assert done.headline == strings_refund.REFUND_DONE.format(amount="$1.50") and done.qr == ""
    d.wait_until(lambda: done.notice == strings_refund.REFUND_SLIP_PRINTED, "the refund slip printed")
    (refund,) = refunds_of(d, sale.id)
    assert (refund.amount, refund.state) == (Decimal("1.50"), RefundState.DONE)
    assert refund.tender is Tender.LIGHTNING
    slip = b"".join(d.paper.sessions[sessions:])
    assert b"REFUND" in slip and b"$1.50" in slip and f"sale #{sale.id}".encode() in slip
    d.tap(d.get(routing.ADMIN_REFUND_DONE, "done"))
    d.wait_for_screen(routing.ADMIN_SALE)
    body = d.get(routing.ADMIN_SALE, "body")
    d.wait_until(lambda: strings_refund.DETAIL_LEFT.format(amount="$3.00") in body.text, "what is left")
    assert f"Refund #{refund.id}" in body.text and strings_refund.DETAIL_LIGHTNING in body.text


def test_the_amount_is_capped_at_what_is_left_and_a_refund_made_meanwhile_counts(d):
    sale = sell(d, "3", "0", "0")
    unlock(d)
    form = on_form(d, sale.id)
    type_keys(d, form, "9", "9", "9")  # $9.99 would pass the $3.00 left: the third 9 is not taken
    assert d.get(routing.ADMIN_REFUND, "amount").text == "$0.99"
    d.tap(d.get(routing.ADMIN_REFUND, "all"))
    assert d.get(routing.ADMIN_REFUND, "amount").text == "$3.00"
    # Meanwhile $2.00 of it is refunded from a terminal (python -m kiosk refund): $1.00 is left.
    d.services.refunds.refund(sale.id, "from-the-terminal", Decimal("2.00"))
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    cap = strings_refund.REFUND_CAP.format(left="$1.00")
    d.wait_until(lambda: "at most $1.00" in form.notice, "the refusal")
    assert d.screen == routing.ADMIN_REFUND
    assert [r.amount for r in refunds_of(d, sale.id)] == [Decimal("2.00")]
    d.tap(d.get(routing.ADMIN_REFUND, "back"))
    d.wait_for_screen(routing.ADMIN_SALE)
    form = on_form(d, sale.id)
    d.wait_until(lambda: d.get(routing.ADMIN_REFUND, "cap").text == cap, "the new cap")
    d.tap(d.get(routing.ADMIN_REFUND, "all"))
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    d.wait_for_screen(routing.ADMIN_REFUND_DONE)
    d.tap(d.get(routing.ADMIN_REFUND_DONE, "done"))
    d.wait_for_screen(routing.ADMIN_SALE)
    body = d.get(routing.ADMIN_SALE, "body")
    d.wait_until(lambda: strings_refund.DETAIL_ALL_REFUNDED in body.text, "refunded in full")
    assert not d.app.root.get_screen(routing.ADMIN_SALE).can_refund


def test_a_double_tap_is_one_refund(d):
    sale = sell(d, "2", "0", "0")
    unlock(d)
    form = on_form(d, sale.id)
    type_keys(d, form, "5", "0")
    d.tap(form.ways["cash"])
    confirm = d.get(routing.ADMIN_REFUND, "confirm")
    confirm.dispatch("on_release")  # two releases before the screen has changed
    confirm.dispatch("on_release")
    d.wait_for_screen(routing.ADMIN_REFUND_DONE)
    d.app.controller.admin.refunds.refund(Decimal("0.50"), True)  # the same form's key again
    d.wait_until(lambda: d.app.root.get_screen(routing.ADMIN_REFUND_DONE).notice != "", "the slip")
    (refund,) = refunds_of(d, sale.id)
    assert (refund.amount, refund.tender) == (Decimal("0.50"), Tender.CASH)
    what_now = d.get(routing.ADMIN_REFUND_DONE, "what_now").text
    assert what_now == strings_refund.REFUND_HAND_BACK.format(amount="$0.50")


def test_an_answer_after_the_admin_area_locked_leaves_the_keypad_on_show(d, monkeypatch):
    """The idle timeout may lock the admin area while a refund is on its way: the refund is made and
    its slip printed, but no admin screen comes back over the keypad the customer sees."""
    sale = sell(d, "1", "5", "0")
    unlock(d)
    form = on_form(d, sale.id)
    d.tap(d.get(routing.ADMIN_REFUND, "all"))
    d.tap(form.ways["cash"])
    go_on, answered = held(monkeypatch, d.services.refunds, "refund")
    printed = len(d.paper.sessions)
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    d.app.controller.admin.lock()  # the timeout, while the refund is still at the worker
    d.wait_for_screen(routing.KEYPAD)
    go_on.set()
    d.wait_until(answered.is_set, "the refund made")
    d.wait_until(lambda: len(d.paper.sessions) > printed, "the slip printed")
    d.frames(5)
    assert d.screen == routing.KEYPAD
    (refund,) = refunds_of(d, sale.id)
    assert refund.amount == Decimal("1.50")


def test_a_cashier_may_not_refund_a_manager_approves_with_their_pin(d):
    staff = d.services.staff
    names = {m.name for m in staff.members()}
    ana = staff.add("Ana", Role.CASHIER, "4826") if "Ana" not in names else None
    mei = staff.add("Mei", Role.MANAGER, "7391") if "Mei" not in names else None
    assert ana is not None and mei is not None
    sale = sell(d, "1", "2", "0")
    unlock(d)
    d.app.controller.admin.signed_in = ana  # as the cashier sign-in leaves it
    open_refund(d, sale.id)
    d.wait_for_screen(routing.ADMIN_APPROVE)
    pad = d.app.root.get_screen(routing.ADMIN_APPROVE)
    assert "Ana may not do this" in pad.why and list(pad.names) == [mei.id]
    assert pad.picked == mei.id  # the only manager: already picked
    type_keys(d, pad, "1", "1", "1", "1")
    d.tap(d.get(routing.ADMIN_APPROVE, "ok"))
    d.wait_until(lambda: "Wrong PIN" in pad.notice, "the wrong PIN refused")
    assert d.screen == routing.ADMIN_APPROVE and refunds_of(d, sale.id) == []
    type_keys(d, pad, "7", "3", "9", "1")
    d.tap(d.get(routing.ADMIN_APPROVE, "ok"))
    d.wait_for_screen(routing.ADMIN_REFUND)
    form = d.app.root.get_screen(routing.ADMIN_REFUND)
    d.tap(d.get(routing.ADMIN_REFUND, "all"))
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    d.wait_for_screen(routing.ADMIN_REFUND_DONE)
    (refund,) = refunds_of(d, sale.id)
    assert (refund.amount, refund.cashier_id) == (Decimal("1.20"), mei.id)  # who approved it
    assert form.view.sale_id == sale.id
