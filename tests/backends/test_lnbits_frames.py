"""Frames on LNbits's per-invoice websocket: anyone who knows the hash can post to it."""

from __future__ import annotations

import pytest

from kiosk.backends.lnbits_push import is_payment_frame


@pytest.mark.parametrize(
    ("frame", "announces"),
    [
        ('{"pending": false, "status": "success"}', True),
        ('{"pending": false, "status": "failed"}', True),
        ('{"paid": true}', True),
        ('{"status": "pending"}', False),
        ("[" * 5_000 + "]" * 5_000, False),  # nested too deeply: RecursionError, not a dead push thread
        (b"\xff\xfe", False),
        ("not json", False),
        ("[1, 2]", False),
        (None, False),
    ],
)
def test_only_a_payment_frame_wakes_the_lookup(frame, announces):
    assert is_payment_frame(frame) is announces
