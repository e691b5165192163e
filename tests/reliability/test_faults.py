"""A quick run of the fault matrix (benchmarks/reliability/faults.py): a few rows, the same code."""

import pytest

from benchmarks.reliability.faults import run


@pytest.mark.parametrize(
    ("name", "seen"),
    [
        ("printer out of paper, then a new roll", "The printer is out of paper"),
        ("config garbled (not text)", "not a text file"),
        ("wall clock jumps 1 h forward", "PAID shows as usual"),
        ("disk full under the ledger (1 MiB tmpfs)", "The kiosk's storage is full"),
    ],
)
def test_the_fault_loses_nothing_and_the_cashier_is_told(lnbits, name, seen):
    row = run(lnbits, name)
    if row.skipped:
        pytest.skip(row.skipped)
    assert row.lost == [], row
    assert seen in row.cashier_sees
