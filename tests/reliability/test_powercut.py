"""A quick run of the power-cut harness (benchmarks/reliability/powercut.py) on its riskiest states."""

import pytest

from benchmarks.reliability.powercut import SCENARIOS, run


@pytest.mark.parametrize(
    ("name", "at_kill", "receipts"),
    [
        ("paid at the node, PAID not committed", "awaiting_payment", "1 receipt(s)"),
        # The printer took every byte, the job was not marked printed: a marked copy follows.
        ("printing, all bytes sent, not marked", "paid (job printing)", "1 receipt(s) + 1 DUPLICATE?"),
        ("cancelled; paid while dead (late)", "cancelled", "1 receipt(s)"),
    ],
)
def test_nothing_is_lost_when_the_kiosk_is_killed(lnbits, name, at_kill, receipts):
    row = run(lnbits, next(s for s in SCENARIOS if s.name == name))
    assert row.lost == [], row
    assert (row.at_kill, row.receipts) == (at_kill, receipts)
    assert row.found == f"{at_kill.split(' ')[0]} -> receipt_printed (node: paid)"


@pytest.mark.parametrize("name", ["refund: voucher made, answer lost", "refund: cash back, slip printing"])
def test_a_refund_is_never_paid_twice_when_the_kiosk_is_killed_mid_refund(lnbits, name):
    row = run(lnbits, next(s for s in SCENARIOS if s.name == name))
    assert row.lost == [], row
    assert row.found == "receipt_printed, kept (node: paid)"
