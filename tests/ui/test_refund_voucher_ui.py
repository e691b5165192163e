"""A refund voucher from a sale's detail: LNbits' withdraw API (its double), the QR on screen and the slip.

LNbits from PyPI, which the other tests run, has no withdraw extension (tests/doubles/contracts/
lnbits_withdraw.toml), so the voucher service is the double that follows that contract, reached
over HTTP by the kiosk's real adapter, configured as a shop would: refunds.voucher_url and key file.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from kiosk.config import RefundsConfig
from kiosk.domain.refund import RefundMode, RefundState
from kiosk.ui import routing, strings_refund
from tests.doubles.lnbits_withdraw import WithdrawDouble
from tests.ui.conftest import headless_kiosk, scratch_config
from tests.ui.test_admin import sell, unlock
from tests.ui.test_refund_ui import on_form, type_keys

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def vouchers():
    double = WithdrawDouble().start()
    yield double
    double.kill()


@pytest.fixture(scope="module")
def d(tmp_path_factory, vouchers):
    folder = tmp_path_factory.mktemp("kiosk")
    key_file = folder / "withdraw.key"
    key_file.write_text(vouchers.admin_key + "\n")
    key_file.chmod(0o600)
    refunds = RefundsConfig(mode="voucher", voucher_url=vouchers.url, voucher_key_file=key_file)
    config = dataclasses.replace(scratch_config(folder), refunds=refunds)
    with headless_kiosk(config) as driver:
        yield driver


def test_a_voucher_refund_shows_its_qr_and_prints_it_and_a_failed_service_is_retried_as_one(d, vouchers):
    sale = sell(d, "6", "0", "0")
    unlock(d)
    form = on_form(d, sale.id)
    assert d.get(routing.ADMIN_REFUND, "ways").children[-1].text == strings_refund.REFUND_VOUCHER
    type_keys(d, form, "2", "5", "0")
    vouchers.kill()  # the voucher service is down
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    d.wait_until(lambda: strings_refund.REFUND_KEPT in form.notice, "the failure and what to do")
    (pending,) = d.services.refunds.for_sale(sale.id)
    assert (pending.state, pending.mode, pending.amount) == (
        RefundState.PENDING,
        RefundMode.VOUCHER,
        Decimal("2.50"),
    )
    assert d.get(routing.ADMIN_REFUND, "confirm").text == strings_refund.REFUND_AGAIN
    type_keys(d, form, "9")  # the recorded refund is retried as it was: the amount is not changed
    assert d.get(routing.ADMIN_REFUND, "amount").text == "$2.50"
    d.tap(d.get(routing.ADMIN_REFUND, "back"))  # the cashier gives up for now; the sale says so
    d.wait_for_screen(routing.ADMIN_SALE)
    body = d.get(routing.ADMIN_SALE, "body")
    d.wait_until(lambda: strings_refund.DETAIL_REFUND_PENDING in body.text, "the unfinished refund")
    assert strings_refund.DETAIL_LEFT.format(amount="$3.50") in body.text  # it counts already
    form = on_form(d, sale.id)  # Refund again: that refund, not a new one
    d.wait_until(lambda: form.kept and "$2.50" in form.notice, "the unfinished refund offered")
    assert d.get(routing.ADMIN_REFUND, "amount").text == "$2.50"
    vouchers.start()
    d.tap(d.get(routing.ADMIN_REFUND, "confirm"))
    d.wait_for_screen(routing.ADMIN_REFUND_DONE)
    done = d.app.root.get_screen(routing.ADMIN_REFUND_DONE)
    (link,) = vouchers.links
    assert done.qr == "LIGHTNING:" + link["lnurl"].upper() and d.get(routing.ADMIN_REFUND_DONE, "qr").modules
    d.wait_until(lambda: done.notice == strings_refund.REFUND_SLIP_PRINTED, "the slip")
    (refund,) = d.services.refunds.for_sale(sale.id)
    assert (refund.id, refund.state, refund.voucher) == (pending.id, RefundState.DONE, link["lnurl"])
    slip = (d.services.config.demo.receipts_dir / f"refund-{refund.id:05d}.txt").read_text()
    assert "REFUND" in slip and "$2.50" in slip and "Lightning voucher" in slip
    assert refund.amount_msat // 1000 == link["max_withdrawable"]
