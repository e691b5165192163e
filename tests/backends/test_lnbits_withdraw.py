"""Refund vouchers through the LNbits withdraw adapter, against the withdraw double (its contract table)."""

from __future__ import annotations

import pytest

from kiosk.backends.lnbits_withdraw import LnbitsWithdraw
from kiosk.errors import BackendError
from tests.doubles.lnbits_withdraw import CONTRACT, WithdrawDouble


@pytest.fixture
def double():
    node = WithdrawDouble().start()
    yield node
    node.kill()


def test_a_voucher_is_one_single_use_link_for_the_amount_found_again_by_its_key(double):
    issuer = LnbitsWithdraw(double.url, double.admin_key)
    assert issuer.find("r-1") is None
    voucher = issuer.create("r-1", 2_500_999, "Refund for sale #7")
    (link,) = double.links
    assert (link["min_withdrawable"], link["max_withdrawable"]) == (2_500, 2_500)  # whole sats, rounded down
    assert voucher.lnurl == link["lnurl"] and voucher.id == link["id"]
    (_method, _path, body, status, _answer) = double.exchanges[-1]
    assert status == CONTRACT["endpoint"][1]["status"] and body["uses"] == 1
    assert set(CONTRACT["create"]["required"]) <= set(body)
    assert issuer.find("r-1") == voucher and issuer.find("r-2") is None


def test_an_invoice_key_cannot_make_vouchers_and_the_kiosk_says_so(double):
    issuer = LnbitsWithdraw(double.url, double.invoice_key)
    with pytest.raises(BackendError, match="HTTP 401"):
        issuer.create("r-1", 5_000, "Refund")
    assert double.links == []


def test_no_withdraw_extension_is_an_error_with_what_to_check(double):
    issuer = LnbitsWithdraw(double.url + "/missing", double.admin_key)
    with pytest.raises(BackendError) as caught:
        issuer.find("r-1")
    assert "withdraw extension" in caught.value.hint


def test_the_spending_probe_tells_an_admin_key_from_an_invoice_key_at_a_real_lnbits(lnbits):
    """What doctor asks of the voucher key: LNbits rejects the empty invoice, so nothing is paid."""
    assert lnbits.kiosk is not None
    admin = LnbitsWithdraw(lnbits.url, lnbits.kiosk.adminkey)
    assert admin.can_pay() is True
    assert LnbitsWithdraw(lnbits.url, lnbits.kiosk.inkey).can_pay() is False
    with pytest.raises(BackendError) as caught:  # PyPI's LNbits has no withdraw extension
        admin.find("doctor")
    assert "withdraw extension" in caught.value.hint
