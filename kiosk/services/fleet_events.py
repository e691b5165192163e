"""The events a kiosk sends to the central books (issue 19), and how a record becomes one and back.

An event is the whole record as it stands after a change: a sale after each state
change, a refund when recorded and when finished, a shift when its float is set and
when it closes. The central side rebuilds the same domain objects from the payload and
adds them up with the same `kiosk.domain.takings` as the kiosk's own Z-report, so the
two cannot disagree by a second copy of the arithmetic.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kiosk.domain.refund import Refund
from kiosk.domain.sale import Sale
from kiosk.services.shifts import Shift

SALE, REFUND, FLOAT, SHIFT_CLOSE = "sale", "refund", "float", "shift_close"
_HIDDEN = {"voucher"}  # a refund's voucher is a bearer LNURL: whoever has it takes the money


@dataclass(frozen=True)
class Event:
    """One outbox row. `seq` and `key` are given when it is written; the rest says what changed."""

    kind: str
    ref_id: int
    at_ms: int
    payload: dict[str, Any]
    state: str | None = None
    payment_hash: str | None = None
    amount_msat: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    rate: Decimal | None = None
    rate_source: str | None = None
    cashier_id: int | None = None
    seq: int = 0
    key: str = ""

    def payload_json(self) -> str:
        return json.dumps(self.payload, sort_keys=True, separators=(",", ":"))


def sale_event(sale: Sale, at_ms: int) -> Event:
    return Event(
        SALE,
        sale.id,
        at_ms,
        encode(sale),
        sale.state.value,
        sale.invoice.payment_hash if sale.invoice else None,
        sale.amount_received_msat or sale.amount_msat,
        sale.fiat_amount,
        sale.currency,
        sale.rate,
        sale.rate_source,
        sale.cashier_id,
    )


def refund_event(refund: Refund, at_ms: int) -> Event:
    payload = {k: v for k, v in encode(refund).items() if k not in _HIDDEN}
    return Event(
        REFUND,
        refund.id,
        at_ms,
        payload,
        refund.state.value,
        amount_msat=refund.amount_msat,
        amount=refund.amount,
        cashier_id=refund.cashier_id,
    )


def shift_event(kind: str, shift: Shift, at_ms: int, shop_currency: str | None = None) -> Event:
    """A float set (`FLOAT`) or a close (`SHIFT_CLOSE`): the drawer's figures in the shop's currency."""
    amount = shift.opening_float if kind == FLOAT else shift.counted_cash
    who = shift.opened_by if kind == FLOAT else shift.closed_by
    return Event(kind, shift.id, at_ms, encode(shift), amount=amount, currency=shop_currency, cashier_id=who)


def encode(record: object) -> dict[str, Any]:
    """A frozen dataclass as JSON values: Decimals as exact text, enums as their value, msat as ints."""
    return {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}  # type: ignore[arg-type]


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value):
        return encode(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


T = typing.TypeVar("T")


def decode(cls: type[T], data: dict[str, Any]) -> T:
    """The dataclass back from `encode`'s output; fields it lacks (hidden ones) keep their defaults."""
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: _typed(hints[k], v) for k, v in data.items() if k in fields})


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _typed(inner[0], value)
    if origin is tuple:
        return tuple(_typed(typing.get_args(hint)[0], v) for v in value)
    if hint is Decimal:
        return Decimal(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if dataclasses.is_dataclass(hint):
        return decode(hint, value)  # type: ignore[arg-type]
    return value
