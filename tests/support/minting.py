"""Genuine signed BOLT11 invoices with whatever amount, date, expiry, hash and signer a test needs."""

from __future__ import annotations

import secrets
import time

import bolt11
from bolt11.models.tags import TagChar, Tags
from coincurve import PrivateKey


def sign_invoice(
    key: PrivateKey,
    payment_hash: str,
    amount_msat: int = 21_000,
    expiry_s: int = 600,
    date_s: int | None = None,
    currency: str = "bcrt",
) -> str:
    """An invoice as a node holding `key` would sign it; `date_s` defaults to now."""
    tags = Tags()
    tags.add(TagChar.payment_hash, payment_hash)
    tags.add(TagChar.payment_secret, secrets.token_hex(32))
    tags.add(TagChar.description, "coffee")
    tags.add(TagChar.expire_time, expiry_s)
    date = int(time.time()) if date_s is None else date_s
    return bolt11.encode(
        bolt11.Bolt11(currency, date, tags, bolt11.MilliSatoshi(amount_msat)), key.secret.hex()
    )
