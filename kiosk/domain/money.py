"""Exact money: millisatoshi integers and fiat Decimals with each currency's own decimals.

Floats never appear here. Every conversion says which way it rounds, and the
customer is never charged more than the fiat amount shown on screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from kiosk.i18n import _

MSAT_PER_SAT = 1_000
SAT_PER_BTC = 100_000_000
MSAT_PER_BTC = MSAT_PER_SAT * SAT_PER_BTC


@dataclass(frozen=True)
class Currency:
    """An ISO 4217 currency (or SAT, the sats-only mode) and how it is written."""

    code: str
    decimals: int
    symbol: str

    @property
    def is_sats(self) -> bool:
        return self.code == SATS.code

    @property
    def quantum(self) -> Decimal:
        """The smallest amount of this currency, e.g. Decimal('0.01') for USD."""
        return Decimal(1).scaleb(-self.decimals)


SATS = Currency("SAT", 0, "sats")

# ISO 4217 minor units. Only currencies with a symbol people expect on a
# receipt; any other valid code can be added with its decimals.
CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        SATS,
        Currency("USD", 2, "$"),
        Currency("EUR", 2, "€"),
        Currency("GBP", 2, "£"),
        Currency("CHF", 2, "CHF"),
        Currency("CNY", 2, "¥"),
        Currency("JPY", 0, "¥"),
        Currency("KRW", 0, "₩"),
        Currency("HKD", 2, "HK$"),
        Currency("TWD", 2, "NT$"),
        Currency("SGD", 2, "S$"),
        Currency("AUD", 2, "A$"),
        Currency("CAD", 2, "C$"),
        Currency("NZD", 2, "NZ$"),
        Currency("SEK", 2, "kr"),
        Currency("NOK", 2, "kr"),
        Currency("DKK", 2, "kr"),
        Currency("PLN", 2, "zł"),
        Currency("CZK", 2, "Kč"),
        Currency("HUF", 2, "Ft"),
        Currency("BRL", 2, "R$"),
        Currency("ARS", 2, "$"),
        Currency("MXN", 2, "$"),
        Currency("ZAR", 2, "R"),
        Currency("NGN", 2, "₦"),
        Currency("KES", 2, "KSh"),
        Currency("INR", 2, "₹"),
        Currency("THB", 2, "฿"),
        Currency("VND", 0, "₫"),
        Currency("BHD", 3, "BD"),
        Currency("KWD", 3, "KD"),
    )
}


class UnknownCurrency(ValueError):
    """The configured or requested currency code is not one the kiosk knows."""


def currency(code: str) -> Currency:
    """Look a currency up by its code ('usd' works too)."""
    try:
        return CURRENCIES[code.upper()]
    except KeyError:
        known = ", ".join(sorted(CURRENCIES))
        raise UnknownCurrency(f"unknown currency {code!r}; use one of: {known}") from None


@dataclass(frozen=True)
class Fiat:
    """An exact amount in one currency, always quantized to its decimals."""

    amount: Decimal
    currency: Currency

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("fiat amounts are Decimal, never float")
        if self.amount != self.amount.quantize(self.currency.quantum):
            raise ValueError(
                f"{self.amount} has more decimals than {self.currency.code} allows ({self.currency.decimals})"
            )

    def __str__(self) -> str:
        return format_fiat(self)


@dataclass(frozen=True)
class Rate:
    """Price of one bitcoin in a currency, with where and when it came from."""

    btc_price: Decimal
    currency: Currency
    source: str
    fetched_at_ms: int

    def __post_init__(self) -> None:
        if not isinstance(self.btc_price, Decimal) or self.btc_price <= 0:
            raise ValueError("a rate is a positive Decimal price of one bitcoin")


def sats_to_msat(sats: int) -> int:
    return sats * MSAT_PER_SAT


def fiat_to_msat(fiat: Fiat, rate: Rate) -> int:
    """Convert to msat, rounded down to a whole sat.

    Rounding down means the invoice is never worth more than the fiat amount
    shown; the merchant loses at most one sat. The division is exact (Fraction):
    Decimal's 28 digits could round 999.99...9 sats up to 1000 before rounding down.
    """
    if fiat.currency != rate.currency:
        raise ValueError(f"rate is for {rate.currency.code}, amount is in {fiat.currency.code}")
    return sats_to_msat(math.floor(Fraction(fiat.amount) * SAT_PER_BTC / Fraction(rate.btc_price)))


def msat_to_fiat(msat: int, rate: Rate) -> Fiat:
    """Fiat value of an msat amount, rounded half-even to the currency's decimals."""
    value = Decimal(msat) * rate.btc_price / MSAT_PER_BTC
    return Fiat(value.quantize(rate.currency.quantum, rounding=ROUND_HALF_EVEN), rate.currency)


def format_sats(msat: int) -> str:
    """'12,345 sats'; sub-sat remainders are shown, since a node may be overpaid by msat."""
    sats, rest = divmod(msat, MSAT_PER_SAT)
    text = f"{sats:,}" if not rest else f"{sats:,}.{rest:03d}".rstrip("0")
    return (_("{amount} sat") if msat == MSAT_PER_SAT else _("{amount} sats")).format(amount=text)


def format_fiat(fiat: Fiat) -> str:
    """'$12.50', 'CHF 12.50', '¥1,200'."""
    number = f"{fiat.amount:,.{fiat.currency.decimals}f}"
    symbol = fiat.currency.symbol
    if len(symbol) > 1 and symbol.isalpha():
        return f"{symbol} {number}"
    return f"{symbol}{number}"
